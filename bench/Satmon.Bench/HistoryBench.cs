using Satmon.Core.History;
using Satmon.Storage.Sqlite;

namespace Satmon.Bench;

/// <summary>(a) history ingest against a bare-table baseline, (d) trend queries.</summary>
internal static class HistoryBench
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Points the way a connector delivers them: each poll carries one point per series at the same minute, and
    /// consecutive polls are written in batches.
    /// </summary>
    public static List<HistoryPoint[]> Batches(BenchSizes sizes, int seed)
    {
        var random = new Random(seed);
        var keys = Enumerable.Range(0, sizes.Series).Select(i => $"terminal-{i:00000}").ToArray();
        var all = new HistoryPoint[sizes.Points];
        var n = 0;
        for (var minute = 0; minute < sizes.PointsPerSeries; minute++)
        {
            var time = T0.AddMinutes(minute);
            foreach (var key in keys)
            {
                all[n++] = new HistoryPoint("terminals", key, "latency", time, 500 + random.NextDouble() * 200);
            }
        }

        return all.Chunk(sizes.HistoryBatch).ToList();
    }

    public static async Task<Timing> StoreIngestAsync(string path, List<HistoryPoint[]> batches)
    {
        await using var store = await BenchFolder.OpenStoreAsync(path);
        var written = 0L;
        var elapsed = await Timing.MeasureAsync(async () =>
        {
            foreach (var batch in batches)
            {
                written += await store.History.WriteAsync("bench", batch, CancellationToken.None);
            }
        });
        var expected = batches.Sum(b => (long)b.Length);
        if (written != expected)
        {
            throw new InvalidOperationException($"WriteAsync stored {written} of {expected} points.");
        }

        return elapsed;
    }

    /// <summary>The floor: the same rows, one prepared statement, one transaction, a bare table without keys.</summary>
    public static Timing BaselineIngest(string path, List<HistoryPoint[]> batches)
    {
        using var connection = BenchFolder.OpenRaw(path);
        using (var create = connection.CreateCommand())
        {
            create.CommandText = "CREATE TABLE raw (series_id INTEGER, t INTEGER, value REAL)";
            create.ExecuteNonQuery();
        }

        var ids = new Dictionary<string, long>(StringComparer.Ordinal);
        return Timing.Measure(() => Insert(connection, batches, ids));
    }

    private static void Insert(Microsoft.Data.Sqlite.SqliteConnection connection, List<HistoryPoint[]> batches, Dictionary<string, long> ids)
    {
        using var transaction = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO raw (series_id, t, value) VALUES ($s, $t, $v)";
        var s = insert.Parameters.Add("$s", Microsoft.Data.Sqlite.SqliteType.Integer);
        var t = insert.Parameters.Add("$t", Microsoft.Data.Sqlite.SqliteType.Integer);
        var v = insert.Parameters.Add("$v", Microsoft.Data.Sqlite.SqliteType.Real);
        insert.Prepare();
        foreach (var batch in batches)
        {
            foreach (var point in batch)
            {
                if (!ids.TryGetValue(point.Key, out var id))
                {
                    id = ids.Count + 1;
                    ids[point.Key] = id;
                }

                s.Value = id;
                t.Value = point.Time.ToUnixTimeMilliseconds();
                v.Value = point.Value;
                insert.ExecuteNonQuery();
            }
        }

        transaction.Commit();
    }

    /// <summary>Writes a week of 1-minute points for one series (plus neighbours) and times trend queries.</summary>
    public static async Task<(Latencies Raw, Latencies FiveMinutes, int RawPoints, int Buckets)> TrendAsync(SqliteSatmonStore store, int queries)
    {
        var random = new Random(7);
        var week = TimeSpan.FromDays(7);
        var minutes = (int)week.TotalMinutes;
        foreach (var key in new[] { "trend-a", "trend-b", "trend-c" })
        {
            var points = Enumerable.Range(0, minutes).Select(m => new HistoryPoint("terminals", key, "latency", T0.AddMinutes(m), random.NextDouble() * 1000)).ToList();
            foreach (var chunk in points.Chunk(1440))
            {
                await store.History.WriteAsync("bench", chunk, CancellationToken.None);
            }
        }

        var raw = new Latencies();
        var rollup = new Latencies();
        int rawPoints = 0, buckets = 0;
        for (var i = 0; i < queries; i++)
        {
            var query = new HistoryQuery("terminals", "trend-b", "latency", T0, T0 + week, Resolution.Raw);
            rawPoints = (await raw.MeasureAsync(() => store.History.QueryAsync("bench", query, CancellationToken.None))).Raw.Count;
            buckets = (await rollup.MeasureAsync(() => store.History.QueryAsync("bench", query with { Resolution = Resolution.FiveMinutes }, CancellationToken.None))).Rollups.Count;
        }

        return (raw, rollup, rawPoints, buckets);
    }
}
