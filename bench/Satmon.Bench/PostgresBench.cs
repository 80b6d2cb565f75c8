using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;
using Satmon.Core.History;
using Satmon.Storage.Postgres;
using Satmon.Storage.Postgres.History;

namespace Satmon.Bench;

/// <summary>
/// The storage benchmark on PostgreSQL, beside SQLite in the same run: (a) history ingest through
/// <see cref="PostgresHistoryStore.WriteAsync"/> against raw binary COPY of the same rows into a bare table, and
/// (c) table page queries. The run creates its own database and drops it at the end.
/// </summary>
internal sealed class PostgresBench : IAsyncDisposable
{
    private readonly string _admin;
    private readonly string _database = "satmon_bench_" + Guid.NewGuid().ToString("N")[..12];
    private readonly List<NpgsqlDataSource> _sources = [];

    private PostgresBench(string admin) => _admin = admin;

    /// <param name="connectionString">A role that may create databases; its database is only used to create and drop the bench's.</param>
    /// <param name="sizes">The same sizes as the SQLite part of the run.</param>
    /// <param name="rounds">Ingest rounds; the best counts.</param>
    /// <param name="only">Parts to run: a (ingest) and c (page queries) have a PostgreSQL side.</param>
    /// <param name="report">Adds lines to the run's summary.</param>
    public static async Task RunAsync(string connectionString, BenchSizes sizes, int rounds, IReadOnlyCollection<string> only, Action<string[]> report)
    {
        await using var bench = new PostgresBench(connectionString);
        await bench.CreateDatabaseAsync();
        Console.WriteLine();
        Console.WriteLine($"PostgreSQL: {await bench.ServerAsync()}");
        if (only.Contains("a"))
        {
            await bench.IngestAsync(sizes, rounds, report);
        }

        if (only.Contains("c"))
        {
            await bench.PagesAsync(sizes, report);
        }
    }

    private async Task CreateDatabaseAsync()
    {
        await using var connection = new NpgsqlConnection(_admin);
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {_database}", connection);
        await create.ExecuteNonQueryAsync();
    }

    /// <summary>A data source on the bench database whose tables are looked up in <paramref name="schema"/>.</summary>
    private NpgsqlDataSource Source(string schema = "public")
    {
        var source = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(_admin) { Database = _database, SearchPath = schema }.ConnectionString);
        _sources.Add(source);
        return source;
    }

    private async Task<string> ServerAsync()
    {
        await using var command = Source().CreateCommand(
            "SELECT version() || ' | shared_buffers ' || current_setting('shared_buffers') || ', synchronous_commit ' || current_setting('synchronous_commit') || ', wal_level ' || current_setting('wal_level')");
        return (string)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>A fresh schema with the history tables: every round starts from empty tables and an empty cache.</summary>
    private async Task<NpgsqlDataSource> FreshSchemaAsync(string name)
    {
        var source = Source(name);
        await using var command = Source().CreateCommand($"CREATE SCHEMA {name}; SET search_path = {name}; {HistorySchema.Sql}; {HistorySchema.RollupsPerBatchSql}; {HistorySchema.FoldedRollupsSql}; CREATE TABLE bare (series_id bigint, t bigint, value double precision); CREATE TABLE keyed (series_id bigint, t bigint, value double precision, PRIMARY KEY (series_id, t))");
        await command.ExecuteNonQueryAsync();
        return source;
    }

    // (a) As for SQLite: a warm-up so JIT and the server's caches are not measured, then alternating rounds on
    // fresh tables; the best round of each side counts, which filters out other load on the shared machine.
    private async Task IngestAsync(BenchSizes sizes, int rounds, Action<string[]> report)
    {
        Console.WriteLine();
        Console.WriteLine($"(a) PostgreSQL history ingest: {sizes.Points:N0} points, batches of {sizes.HistoryBatch:N0}");
        Console.WriteLine("    baseline: the same rows with one binary COPY in one transaction into a bare table (series_id bigint, t bigint, value float8), no keys");
        Console.WriteLine("    keyed COPY (for reference): the same COPY into a table with only the primary key (series_id, t) that deduplication needs");
        // Long enough for tiered compilation to reach optimized code on both sides: with a short one, the first round
        // measured mostly the JIT (client CPU twice that of the later rounds).
        var warmup = HistoryBench.Batches(sizes with { Series = 500, PointsPerSeries = 200, HistoryBatch = 10_000 }, 1);
        for (var i = 0; i < 3; i++)
        {
            await BaselineAsync(await FreshSchemaAsync($"warm_raw_{i}"), warmup, "bare");
            var warm = new PostgresHistoryStore(await FreshSchemaAsync($"warm_store_{i}"), NullLogger.Instance);
            await StoreIngestAsync(warm, warmup);
            await warm.FoldAsync(CancellationToken.None);
        }

        var batches = HistoryBench.Batches(sizes, 42);
        var baselineBest = TimeSpan.MaxValue;
        var keyedBest = TimeSpan.MaxValue;
        var storeBest = TimeSpan.MaxValue;
        var foldedBest = TimeSpan.MaxValue;
        Cost baselineCpu = new(TimeSpan.FromDays(1), TimeSpan.Zero), storeCpu = baselineCpu, foldedCpu = baselineCpu;
        NpgsqlDataSource? first = null;
        for (var round = 1; round <= rounds; round++)
        {
            var plain = await FreshSchemaAsync($"raw_{round}");
            var (baseline, baselineCost) = await Cost.MeasureAsync(_database, () => BaselineAsync(plain, batches, "bare"));
            var (keyed, _) = await Cost.MeasureAsync(_database, () => BaselineAsync(plain, batches, "keyed"));
            var source = await FreshSchemaAsync($"store_{round}");
            first ??= source;
            var store = new PostgresHistoryStore(source, NullLogger.Instance);
            var (stored, storeCost) = await Cost.MeasureAsync(_database, () => StoreIngestAsync(store, batches));
            var (fold, foldCost) = await Cost.MeasureAsync(_database, async () =>
            {
                var start = Stopwatch.GetTimestamp();
                await store.FoldAsync(CancellationToken.None);
                return Stopwatch.GetElapsedTime(start);
            });
            Console.WriteLine($"    round {round}: baseline COPY {Rate.PerSecond(sizes.Points, baseline)} ({baseline.TotalSeconds:F2} s, {baselineCost})   " +
                $"keyed COPY {Rate.PerSecond(sizes.Points, keyed)} ({keyed.TotalSeconds:F2} s)");
            Console.WriteLine($"             WriteAsync {Rate.PerSecond(sizes.Points, stored)} ({stored.TotalSeconds:F2} s, {storeCost})   ratio {baseline / stored:F2}   " +
                $"then fold ({fold.TotalSeconds:F2} s, {foldCost}): ratio with fold {baseline / (stored + fold):F2}");
            (baselineCpu, storeCpu, foldedCpu) = (baselineCpu.Min(baselineCost), storeCpu.Min(storeCost), foldedCpu.Min(storeCost.Plus(foldCost)));
            baselineBest = baselineBest < baseline ? baselineBest : baseline;
            keyedBest = keyedBest < keyed ? keyedBest : keyed;
            storeBest = storeBest < stored ? storeBest : stored;
            foldedBest = foldedBest < stored + fold ? foldedBest : stored + fold;
        }

        var ratio = baselineBest / storeBest;
        report([
            $"postgres history ingest   WriteAsync {Rate.PerSecond(sizes.Points, storeBest)}   baseline COPY {Rate.PerSecond(sizes.Points, baselineBest)}   ratio {ratio:F2} (target >= 0.70) {(ratio >= 0.7 ? "PASS" : "FAIL")}",
            $"                          WriteAsync and then folding the rollups of all its writes {Rate.PerSecond(sizes.Points, foldedBest)}   ratio {baselineBest / foldedBest:F2}",
            $"                          CPU (client + server, least of the rounds): baseline {baselineCpu}, WriteAsync {storeCpu}: ratio {baselineCpu.Total / storeCpu.Total:F2}; with fold {foldedCpu}: ratio {baselineCpu.Total / foldedCpu.Total:F2}",
            $"                          keyed COPY (primary key only, no dedup, no rollups) {Rate.PerSecond(sizes.Points, keyedBest)}   ratio to baseline {baselineBest / keyedBest:F2}   WriteAsync / keyed COPY {keyedBest / storeBest:F2}",
        ]);

        // Re-delivery: the same batches again are all duplicates; nothing may be stored or folded twice.
        var again = new PostgresHistoryStore(first!, NullLogger.Instance);
        var start = Stopwatch.GetTimestamp();
        var fresh = 0L;
        foreach (var batch in batches)
        {
            fresh += await again.WriteAsync("bench", batch, CancellationToken.None);
        }

        report([$"postgres history re-delivery of the same {sizes.Points:N0} points: {Rate.PerSecond(sizes.Points, Stopwatch.GetElapsedTime(start))}, new points stored: {fresh}"]);
    }

    // (c) The same rows and queries as for SQLite (TableBench), through the full store on its own schema.
    private async Task PagesAsync(BenchSizes sizes, Action<string[]> report)
    {
        Console.WriteLine();
        Console.WriteLine($"(c) PostgreSQL table page query: 100 rows, sorted by a number column, filtered, over {sizes.TableRows:N0} rows; {sizes.PageQueries} queries each");
        Console.WriteLine("    no writes between the queries: each filter's total is counted once (in the unmeasured first query) and kept for the table's version");
        var options = new PostgresStoreOptions { ConnectionString = new NpgsqlConnectionStringBuilder(_admin) { Database = _database }.ConnectionString };
        await using var store = new PostgresSatmonStore(options, NullLoggerFactory.Instance);
        await store.MigrateAsync(CancellationToken.None);
        var (insert, update) = await TableBench.UpsertAsync(store, sizes.TableRows, sizes.TableBatch);
        Console.WriteLine($"    table upsert: first insert {Rate.PerSecond(sizes.TableRows, insert)}   full update {Rate.PerSecond(sizes.TableRows, update)}");
        var pages = await TableBench.PagesAsync(store, sizes.PageQueries);
        report([
            $"postgres page query   first 20 pages      {pages.Shallow.Summary()}   target p99 < 50 ms {(pages.Shallow.Percentile(99) < 50 ? "PASS" : "FAIL")}",
            $"postgres page query   any offset          {pages.Deep.Summary()}   target p99 < 50 ms {(pages.Deep.Percentile(99) < 50 ? "PASS" : "FAIL")}",
            $"postgres page query   any page by cursor  {pages.Cursor.Summary()}   target p99 < 50 ms {(pages.Cursor.Percentile(99) < 50 ? "PASS" : "FAIL")}",
        ]);
    }

    /// <summary>
    /// The writes, in which every <see cref="HistoryFold.FoldAfter"/>th of an element folds its rollups; the caller then
    /// times the fold of what they left unfolded: together, the whole cost of the points and their rollups.
    /// </summary>
    private static async Task<TimeSpan> StoreIngestAsync(PostgresHistoryStore store, List<HistoryPoint[]> batches)
    {
        var written = 0L;
        var start = Stopwatch.GetTimestamp();
        foreach (var batch in batches)
        {
            written += await store.WriteAsync("bench", batch, CancellationToken.None);
        }

        var elapsed = Stopwatch.GetElapsedTime(start);
        var expected = batches.Sum(b => (long)b.Length);
        return written == expected ? elapsed : throw new InvalidOperationException($"WriteAsync stored {written} of {expected} points.");
    }

    /// <summary>The floor: the same rows (series numbered as they appear, as the SQLite baseline does) in one COPY.</summary>
    private static async Task<TimeSpan> BaselineAsync(NpgsqlDataSource source, List<HistoryPoint[]> batches, string table)
    {
        var ids = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var connection = await source.OpenConnectionAsync();
        var start = Stopwatch.GetTimestamp();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var importer = await connection.BeginBinaryImportAsync($"COPY {table} (series_id, t, value) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var batch in batches)
            {
                foreach (var point in batch)
                {
                    if (!ids.TryGetValue(point.Key, out var id))
                    {
                        id = ids.Count + 1;
                        ids[point.Key] = id;
                    }

                    await importer.StartRowAsync();
                    await importer.WriteAsync(id, NpgsqlDbType.Bigint);
                    await importer.WriteAsync(point.Time.ToUnixTimeMilliseconds(), NpgsqlDbType.Bigint);
                    await importer.WriteAsync(point.Value, NpgsqlDbType.Double);
                }
            }

            await importer.CompleteAsync();
        }

        await transaction.CommitAsync();
        return Stopwatch.GetElapsedTime(start);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var source in _sources)
        {
            await source.DisposeAsync();
        }

        await using var connection = new NpgsqlConnection(_admin);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}

/// <summary>
/// CPU time of a step on both sides: this process (the client) and the PostgreSQL server processes on this machine that
/// serve the bench's database or all databases (backends of the database; WAL writer, checkpointer, background writer);
/// none when the server runs elsewhere. Other load on a shared machine stretches wall time much more than CPU time.
/// </summary>
internal readonly record struct Cost(TimeSpan Client, TimeSpan Server)
{
    // Process titles of the server's shared helpers (a backend's title names its user and database).
    private static readonly string[] Shared = ["walwriter", "checkpointer", "background writer"];

    public TimeSpan Total => Client + Server;

    public static async Task<(T Result, Cost Cost)> MeasureAsync<T>(string database, Func<Task<T>> step)
    {
        var (client, server) = (Process.GetCurrentProcess().TotalProcessorTime, ServerCpu(database));
        var result = await step();
        return (result, new Cost(Process.GetCurrentProcess().TotalProcessorTime - client, ServerCpu(database) - server));
    }

    public Cost Min(Cost other) => Total <= other.Total ? this : other;

    public Cost Plus(Cost other) => new(Client + other.Client, Server + other.Server);

    public override string ToString() => $"cpu {Client.TotalSeconds:F2} s client + {Server.TotalSeconds:F2} s server";

    /// <summary>User and system time of the server processes that work for <paramref name="database"/>, from /proc (clock ticks of 1/100 s).</summary>
    private static TimeSpan ServerCpu(string database)
    {
        var ticks = 0L;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!char.IsAsciiDigit(Path.GetFileName(directory)[0]))
            {
                continue;
            }

            try
            {
                // pid (comm) state ppid ...: utime and stime are fields 14 and 15, the 12th and 13th after the name.
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var close = stat.LastIndexOf(')');
                var title = File.ReadAllText(Path.Combine(directory, "cmdline"));
                if (stat[(stat.IndexOf('(') + 1)..close] == "postgres" && (title.Contains(database, StringComparison.Ordinal) || Shared.Any(title.Contains)))
                {
                    var fields = stat[(close + 2)..].Split(' ');
                    ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                }
            }
            catch (IOException)
            {
                // The process ended meanwhile.
            }
        }

        return TimeSpan.FromSeconds(ticks / 100.0);
    }
}
