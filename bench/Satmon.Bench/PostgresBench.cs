using System.Diagnostics;
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
        var warmup = HistoryBench.Batches(sizes with { Series = 100, PointsPerSeries = 100, HistoryBatch = 5_000 }, 1);
        await BaselineAsync(await FreshSchemaAsync("warm_raw"), warmup, "bare");
        await StoreIngestAsync(await FreshSchemaAsync("warm_store"), warmup);

        var batches = HistoryBench.Batches(sizes, 42);
        var baselineBest = TimeSpan.MaxValue;
        var keyedBest = TimeSpan.MaxValue;
        var storeBest = TimeSpan.MaxValue;
        var foldedBest = TimeSpan.MaxValue;
        NpgsqlDataSource? first = null;
        for (var round = 1; round <= rounds; round++)
        {
            var plain = await FreshSchemaAsync($"raw_{round}");
            var baseline = await BaselineAsync(plain, batches, "bare");
            var keyed = await BaselineAsync(plain, batches, "keyed");
            var source = await FreshSchemaAsync($"store_{round}");
            first ??= source;
            var (stored, fold) = await StoreIngestAsync(source, batches);
            Console.WriteLine($"    round {round}: baseline COPY {Rate.PerSecond(sizes.Points, baseline)} ({baseline.TotalSeconds:F2} s)   " +
                $"keyed COPY {Rate.PerSecond(sizes.Points, keyed)} ({keyed.TotalSeconds:F2} s)   " +
                $"WriteAsync {Rate.PerSecond(sizes.Points, stored)} ({stored.TotalSeconds:F2} s)   ratio {baseline / stored:F2}   " +
                $"+ fold {fold.TotalSeconds:F2} s: ratio {baseline / (stored + fold):F2}");
            baselineBest = baselineBest < baseline ? baselineBest : baseline;
            keyedBest = keyedBest < keyed ? keyedBest : keyed;
            storeBest = storeBest < stored ? storeBest : stored;
            foldedBest = foldedBest < stored + fold ? foldedBest : stored + fold;
        }

        var ratio = baselineBest / storeBest;
        report([
            $"postgres history ingest   WriteAsync {Rate.PerSecond(sizes.Points, storeBest)}   baseline COPY {Rate.PerSecond(sizes.Points, baselineBest)}   ratio {ratio:F2} (target >= 0.70) {(ratio >= 0.7 ? "PASS" : "FAIL")}",
            $"                          WriteAsync and then folding the rollups of all its writes {Rate.PerSecond(sizes.Points, foldedBest)}   ratio {baselineBest / foldedBest:F2}",
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
    /// The time of the writes, in which every <see cref="HistoryFold.FoldAfter"/>th of an element folds its rollups, and
    /// then the time to fold what they left unfolded: together, the whole cost of the points and their rollups.
    /// </summary>
    private static async Task<(TimeSpan Write, TimeSpan Fold)> StoreIngestAsync(NpgsqlDataSource source, List<HistoryPoint[]> batches)
    {
        var store = new PostgresHistoryStore(source, NullLogger.Instance);
        var written = 0L;
        var start = Stopwatch.GetTimestamp();
        foreach (var batch in batches)
        {
            written += await store.WriteAsync("bench", batch, CancellationToken.None);
        }

        var elapsed = Stopwatch.GetElapsedTime(start);
        start = Stopwatch.GetTimestamp();
        await store.FoldAsync(CancellationToken.None);
        var fold = Stopwatch.GetElapsedTime(start);
        var expected = batches.Sum(b => (long)b.Length);
        return written == expected ? (elapsed, fold) : throw new InvalidOperationException($"WriteAsync stored {written} of {expected} points.");
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
