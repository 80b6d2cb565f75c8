using Microsoft.Extensions.Logging;
using Npgsql;
using Satmon.Core.History;
using Satmon.Core.History.Packing;
using Satmon.Core.Storage;

namespace Satmon.Storage.Postgres.History;

/// <summary>
/// History on PostgreSQL in the packed layout shared with SQLite (<see cref="HistorySchema"/>): raw values and 5 min /
/// 1 h / 1 d rollups that stay exact under late, out-of-order and re-delivered points, also when several nodes write
/// the same database. Writes of one element are serialized by its advisory lock; the ids and latest times a node
/// caches are checked against the element's last writer on every write (<see cref="HistoryCache"/>).
/// </summary>
internal sealed class PostgresHistoryStore : IHistoryStore
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger _logger;
    private readonly HistoryCache _cache = new();
    private readonly HistoryIngest _ingest;

    public PostgresHistoryStore(NpgsqlDataSource dataSource, ILogger logger)
    {
        _dataSource = dataSource;
        _logger = logger;
        _ingest = new HistoryIngest(dataSource, _cache);
    }

    public Task<int> WriteAsync(string elementId, IReadOnlyList<HistoryPoint> points, CancellationToken cancellationToken) =>
        points.Count == 0 ? Task.FromResult(0) : _ingest.WriteAsync(elementId, points, cancellationToken);

    public async Task<HistorySeries> QueryAsync(string elementId, HistoryQuery query, CancellationToken cancellationToken)
    {
        if (await HistoryIds.FindAsync(_dataSource, elementId, query, cancellationToken) is not var (row, column))
        {
            return new HistorySeries(query.Resolution, [], []);
        }

        var from = query.From.ToUnixTimeMilliseconds();
        var to = query.To.ToUnixTimeMilliseconds();
        if (to <= from)
        {
            return new HistorySeries(query.Resolution, [], []);
        }

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        if (query.Resolution == Resolution.Raw)
        {
            var samples = new List<HistorySample>();
            await using var raw = Pg.Command(connection, null,
                "SELECT hour, data FROM history_points WHERE row_id = @r AND hour BETWEEN @a AND @b ORDER BY hour, batch",
                ("r", row), ("a", PackedPoints.Hour(from)), ("b", PackedPoints.Hour(to - 1)));
            await using var reader = await raw.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var state = (Samples: samples, HourStart: reader.GetInt64(0) * PackedPoints.HourMs, Column: column, From: from, To: to);
                PackedPoints.ForEach(reader.GetFieldValue<byte[]>(1), ref state,
                    static (ref (List<HistorySample> Samples, long HourStart, int Column, long From, long To) s, uint at, int c, double value) =>
                    {
                        var t = s.HourStart + at;
                        if (c == s.Column && t >= s.From && t < s.To)
                        {
                            s.Samples.Add(new HistorySample(DateTimeOffset.FromUnixTimeMilliseconds(t), value));
                        }
                    });
            }

            // Records of several batches may share an hour: order their values by time.
            samples.Sort(static (x, y) => x.Time.CompareTo(y.Time));
            return new HistorySeries(Resolution.Raw, samples, []);
        }

        // Buckets whose start lies in [From, To): the stored rollups, plus the raw values not folded into them yet.
        var (code, bucketMs, spanMs) = HistorySchema.Rollup(query.Resolution);
        var buckets = new SortedDictionary<long, Aggregate>();
        await using (var command = Pg.Command(connection, null, RollupSql,
            ("e", elementId), ("r", row), ("res", code), ("a", HistorySchema.Floor(from, spanMs)), ("b", HistorySchema.Floor(to - 1, spanMs)),
            ("ha", PackedPoints.Hour(from)), ("hb", PackedPoints.Hour(HistorySchema.Floor(to - 1, bucketMs) + bucketMs - 1))))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var start = reader.GetInt64(1);
                var data = reader.GetFieldValue<byte[]>(2);
                if (reader.GetBoolean(0))
                {
                    var state = (Buckets: buckets, HourStart: start * PackedPoints.HourMs, Column: column, BucketMs: bucketMs, From: from, To: to);
                    PackedPoints.ForEach(data, ref state,
                        static (ref (SortedDictionary<long, Aggregate> Buckets, long HourStart, int Column, long BucketMs, long From, long To) s, uint at, int c, double value) =>
                        {
                            var bucket = HistorySchema.Floor(s.HourStart + at, s.BucketMs);
                            if (c == s.Column && bucket >= s.From && bucket < s.To)
                            {
                                Add(s.Buckets, bucket, Aggregate.Of(value));
                            }
                        });
                    continue;
                }

                for (var offset = 0; offset < data.Length;)
                {
                    offset = PackedRollupSpans.Read(data, offset, out var index, out var entryStart, out var length);
                    var bucket = start + index * bucketMs;
                    if (bucket >= from && bucket < to && PackedRollups.TryGet(data.AsSpan(entryStart, length), column, out var aggregate))
                    {
                        Add(buckets, bucket, aggregate);
                    }
                }
            }
        }

        return new HistorySeries(query.Resolution, [],
            [.. buckets.Select(b => new RollupSample(DateTimeOffset.FromUnixTimeMilliseconds(b.Key), b.Value.Min, b.Value.Sum / b.Value.Count, b.Value.Max, b.Value.Count))]);
    }

    // One statement, so one snapshot: a fold that commits meanwhile is seen whole (rollups and watermark) or not at all.
    // A span may be in several records (one per fold until a writer compacts it); their aggregates are combined.
    private const string RollupSql = """
        SELECT false, span_start, data FROM history_rollups
        WHERE row_id = @r AND resolution = @res AND span_start BETWEEN @a AND @b
        UNION ALL
        SELECT true, p.hour, p.data FROM history_writers w
        JOIN history_points p ON p.row_id = @r AND p.hour BETWEEN greatest(@ha, w.unfolded_from_hour) AND @hb AND p.batch > w.folded
        WHERE w.element_id = @e AND w.unfolded_from_hour IS NOT NULL
        """;

    private static void Add(SortedDictionary<long, Aggregate> buckets, long bucket, Aggregate aggregate) =>
        buckets[bucket] = buckets.TryGetValue(bucket, out var stored) ? stored.Add(aggregate) : aggregate;

    /// <summary>
    /// Folds the raw records of every element not in the rollups yet (writers fold every <see cref="HistoryFold.FoldAfter"/>
    /// writes, retention before it deletes raw records); returns how many elements had any.
    /// </summary>
    public async Task<int> FoldAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        return await HistoryFold.FoldAllAsync(connection, _cache, cancellationToken);
    }

    public Task<long> ApplyRetentionAsync(RetentionOptions retention, DateTimeOffset now, CancellationToken cancellationToken) =>
        HistoryRetention.ApplyAsync(_dataSource, _cache, _logger, retention, now, cancellationToken);

    /// <summary>Forgets everything cached for an element: call when it starts on this node, and after <see cref="DeleteElementAsync"/> committed.</summary>
    public void ForgetElement(string elementId) => _cache.Forget(elementId);

    /// <summary>Deletes an element's tables, rows, columns, raw records and rollups inside the caller's transaction.</summary>
    internal static async Task DeleteElementAsync(NpgsqlConnection c, NpgsqlTransaction tx, string elementId, CancellationToken ct)
    {
        const string Rows = "SELECT r.id FROM history_rows r JOIN history_tables t ON t.id = r.table_id WHERE t.element_id = $1";
        await using var batch = new NpgsqlBatch(c, tx);
        foreach (var sql in new[]
        {
            $"DELETE FROM history_points WHERE row_id IN ({Rows})",
            $"DELETE FROM history_rollups WHERE row_id IN ({Rows})",
            $"DELETE FROM history_rows WHERE id IN ({Rows})",
            "DELETE FROM history_columns WHERE table_id IN (SELECT id FROM history_tables WHERE element_id = $1)",
            "DELETE FROM history_tables WHERE element_id = $1",
            // Every node's cache of the element is stale from now on: the batch number it compares with is gone.
            "DELETE FROM history_writers WHERE element_id = $1",
        })
        {
            var delete = new NpgsqlBatchCommand(sql);
            delete.Parameters.Add(new NpgsqlParameter<string> { TypedValue = elementId });
            batch.BatchCommands.Add(delete);
        }

        await batch.ExecuteNonQueryAsync(ct);
    }
}
