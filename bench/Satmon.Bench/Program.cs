using System.Diagnostics;
using System.Globalization;
using Satmon.Bench;

// Benchmarks on this machine; every figure and its baseline come from the same run.
//   dotnet run -c Release --project bench/Satmon.Bench [-- --suite storage|mpower|oneweb|inventory]
//   storage (default): [--points N] [--quick] [--rounds N] [--only a,b,c,d] [--postgres "<connection string>"]
//   mpower / oneweb / inventory: connector against its simulator; --quick shrinks the fleet.
var quick = args.Contains("--quick");
string? Arg(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
switch (Arg("--suite") ?? "storage")
{
    case "storage":
        break;
    case "mpower":
        await MpowerIngestBenchmark.RunAsync(Console.Out, quick ? 5_000 : 100_000);
        return;
    case "oneweb":
        await OneWebPollBenchmark.RunAsync(Console.Out, quick ? 1_000 : 20_000);
        return;
    case "inventory":
        await (quick
            ? InventoryBuildUpBenchmark.RunAsync(Console.Out, 5_000, 1_000, 10_000)
            : InventoryBuildUpBenchmark.RunAsync(Console.Out));
        return;
    case var other:
        Console.Error.WriteLine($"Unknown --suite '{other}'; use storage, mpower, oneweb or inventory.");
        Environment.ExitCode = 2;
        return;
}

var only = Arg("--only")?.Split(',') ?? ["a", "b", "c", "d"];
var rounds = int.Parse(Arg("--rounds") ?? "3", CultureInfo.InvariantCulture);
BenchFolder.PageSizeBytes = Arg("--page-size") is { } pageSize ? int.Parse(pageSize, CultureInfo.InvariantCulture) : null;
var series = quick ? 200 : 2_000;
var points = Arg("--points") is { } p ? long.Parse(p, CultureInfo.InvariantCulture) : quick ? 20_000 : 1_000_000;
var sizes = new BenchSizes(
    Series: series,
    PointsPerSeries: (int)Math.Max(1, points / series),
    HistoryBatch: quick ? 5_000 : 50_000,
    TableRows: quick ? 5_000 : 100_000,
    TableBatch: quick ? 1_000 : 5_000,
    PageQueries: quick ? 40 : 200,
    TrendQueries: quick ? 20 : 100);

Console.WriteLine($"Satmon storage benchmark — SQLite, {Environment.ProcessorCount} cores, .NET {Environment.Version}{(quick ? ", quick run" : "")}");
Console.WriteLine($"Load average at start: {LoadAverage()} (the machine is shared; timings are best-of-{rounds} where repeated)");
using var folder = new BenchFolder();
var summary = new List<string>();

void Report(params string[] lines)
{
    foreach (var line in lines)
    {
        Console.WriteLine("    " + line);
        summary.Add(line);
    }
}

if (only.Contains("a"))
{
    await IngestAsync();
}

if (only.Contains("b") || only.Contains("c"))
{
    await TablesAsync();
}

if (only.Contains("d"))
{
    await TrendsAsync();
}

// --postgres "<connection string>": the same ingest (a) and page queries (c) on PostgreSQL, in a database of its own.
if (Arg("--postgres") is { } postgres)
{
    await PostgresBench.RunAsync(postgres, sizes, rounds, only, Report);
}

Console.WriteLine();
Console.WriteLine($"Summary (load average at end: {LoadAverage()})");
Console.WriteLine(new string('-', 120));
summary.ForEach(Console.WriteLine);
Console.WriteLine(new string('-', 120));

// (a) History ingest against the bare-table baseline. A warm-up first so JIT is not measured, then alternating
// rounds, each on fresh files; the best round of each side counts, which filters out other load on the machine.
async Task IngestAsync()
{
    Console.WriteLine();
    Console.WriteLine($"(a) History ingest: {sizes.Series:N0} series x {sizes.PointsPerSeries:N0} one-minute points = {sizes.Points:N0} points, batches of {sizes.HistoryBatch:N0}");
    Console.WriteLine($"    baseline: one prepared INSERT (Microsoft.Data.Sqlite) in one transaction into a bare table; same file settings as the store (page size {BenchFolder.EffectivePageSizeBytes} B, WAL, synchronous=NORMAL)");
    var warmup = HistoryBench.Batches(sizes with { Series = 100, PointsPerSeries = 100, HistoryBatch = 5_000 }, 1);
    HistoryBench.BaselineIngest(folder.File("warm-raw.db"), warmup);
    await HistoryBench.StoreIngestAsync(folder.File("warm-store.db"), warmup);
    var batches = HistoryBench.Batches(sizes, 42);
    var baselineBest = new Timing(TimeSpan.MaxValue, TimeSpan.MaxValue);
    var storeBest = baselineBest;
    for (var round = 1; round <= rounds; round++)
    {
        var baseline = HistoryBench.BaselineIngest(folder.File($"raw-{round}.db"), batches);
        var stored = await HistoryBench.StoreIngestAsync(folder.File($"history-{round}.db"), batches);
        Console.WriteLine($"    round {round}: baseline {Rate.PerSecond(sizes.Points, baseline.Wall)} ({baseline.Wall.TotalSeconds:F2} s, cpu {baseline.Cpu.TotalSeconds:F2} s)   " +
            $"WriteAsync {Rate.PerSecond(sizes.Points, stored.Wall)} ({stored.Wall.TotalSeconds:F2} s, cpu {stored.Cpu.TotalSeconds:F2} s)   ratio {baseline.Wall / stored.Wall:F2}");
        baselineBest = Timing.Best(baselineBest, baseline);
        storeBest = Timing.Best(storeBest, stored);
    }

    var ratio = baselineBest.Wall / storeBest.Wall;
    Report($"history ingest   WriteAsync {Rate.PerSecond(sizes.Points, storeBest.Wall)}   baseline {Rate.PerSecond(sizes.Points, baselineBest.Wall)}   ratio {ratio:F2} (target >= 0.70) {(ratio >= 0.7 ? "PASS" : "FAIL")}",
        $"                 CPU time: WriteAsync {storeBest.Cpu.TotalSeconds:F2} s, baseline {baselineBest.Cpu.TotalSeconds:F2} s, ratio {baselineBest.Cpu / storeBest.Cpu:F2}");
    Console.WriteLine($"    file sizes: store {BenchFolder.FileBytes(folder.File("history-1.db")) / 1048576.0:F1} MiB (raw + 3 rollups + series), baseline {BenchFolder.FileBytes(folder.File("raw-1.db")) / 1048576.0:F1} MiB");

    // Re-delivery: the same batches again are all duplicates; nothing may be stored or folded twice.
    await using var again = await BenchFolder.OpenStoreAsync(folder.File("history-1.db"));
    var start = Stopwatch.GetTimestamp();
    var fresh = 0L;
    foreach (var batch in batches)
    {
        fresh += await again.History.WriteAsync("bench", batch, CancellationToken.None);
    }

    Report($"history re-delivery of the same {sizes.Points:N0} points: {Rate.PerSecond(sizes.Points, Stopwatch.GetElapsedTime(start))}, new points stored: {fresh}");
}

// (b) Table upserts: before any query (no column index yet), with the indexes the page queries made, and with every
// number/enum/timestamp column indexed (what was made up front before indexes were made on first use); (c) page queries.
async Task TablesAsync()
{
    Console.WriteLine();
    Console.WriteLine($"(b) Table upsert: {sizes.TableRows:N0} rows x {TableBench.Definition.Columns.Count} columns, batches of {sizes.TableBatch:N0}");
    await using var tables = await BenchFolder.OpenStoreAsync(folder.File("tables.db"));
    var (insert, update) = await TableBench.UpsertAsync(tables, sizes.TableRows, sizes.TableBatch);
    if (only.Contains("b"))
    {
        Report($"table upsert     first insert {Rate.PerSecond(sizes.TableRows, insert)}   full update {Rate.PerSecond(sizes.TableRows, update)}   (no column index yet: each is made when a query first sorts or filters by it)");
    }

    if (only.Contains("c"))
    {
        Console.WriteLine();
        Console.WriteLine($"(c) Table page query: 100 rows, sorted by a number column, filtered, over {sizes.TableRows:N0} rows; {sizes.PageQueries} queries each");
        var pages = await TableBench.PagesAsync(tables, sizes.PageQueries);
        Report(
            $"page query       first 20 pages      {pages.Shallow.Summary()}   target p99 < 50 ms {(pages.Shallow.Percentile(99) < 50 ? "PASS" : "FAIL")}",
            $"page query       any offset          {pages.Deep.Summary()}   target p99 < 50 ms {(pages.Deep.Percentile(99) < 50 ? "PASS" : "FAIL")}",
            $"page query       any page by cursor  {pages.Cursor.Summary()}   target p99 < 50 ms {(pages.Cursor.Percentile(99) < 50 ? "PASS" : "FAIL")}");
        if (only.Contains("b"))
        {
            var after = await TableBench.UpdateAsync(tables, sizes.TableRows, sizes.TableBatch, seed: 3);
            Report($"table upsert                                   full update {Rate.PerSecond(sizes.TableRows, after)}   ({TableBench.ColumnIndexes(folder.File("tables.db"))} column indexes, made by the page queries above)");
        }
    }

    if (only.Contains("b"))
    {
        await using var every = await BenchFolder.OpenStoreAsync(folder.File("tables-every.db"));
        await TableBench.UpsertAsync(every, sizes.TableRows, sizes.TableBatch);
        await TableBench.IndexEveryNumberEnumAndTimeAsync(every);
        var updateEvery = await TableBench.UpdateAsync(every, sizes.TableRows, sizes.TableBatch, seed: 3);
        Report($"table upsert                                   full update {Rate.PerSecond(sizes.TableRows, updateEvery)}   ({TableBench.ColumnIndexes(folder.File("tables-every.db"))} column indexes: every number, enum and timestamp column, as made up front before)");
    }
}

// (d) A week of one series at raw and 5-minute resolution.
async Task TrendsAsync()
{
    Console.WriteLine();
    Console.WriteLine($"(d) 7-day trend of one series (1-minute points), {sizes.TrendQueries} queries each");
    await using var trend = await BenchFolder.OpenStoreAsync(folder.File("trend.db"));
    var (raw, fiveMinutes, rawPoints, buckets) = await HistoryBench.TrendAsync(trend, sizes.TrendQueries);
    Report($"trend 7 d raw    {rawPoints,6:N0} points   {raw.Summary()}", $"trend 7 d 5 min  {buckets,6:N0} buckets  {fiveMinutes.Summary()}");
}

static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
