using Satmon.Core.History.Packing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Satmon.Core.History;
using Satmon.Core.Storage;

namespace Satmon.Storage.Sqlite.History;

/// <summary>
/// History: raw values packed per (row, time) plus 5 min / 1 h / 1 d rollups packed per (row, bucket), which stay exact
/// under late, out-of-order and re-delivered points because only values that were actually new are folded into them.
/// </summary>
internal sealed class HistoryStore(SqliteDatabase db, SeriesCache series, ILogger logger) : IHistoryStore
{
    // The hours to visit are clamped to the stored ones, so a query over years seeks only where points can be.
    private const string RawSql = """
        WITH RECURSIVE hours(h) AS (
            SELECT max($first, (SELECT min(hour) FROM history_points))
            UNION ALL
            SELECT h + 1 FROM hours WHERE h < min($last, (SELECT max(hour) FROM history_points)))
        SELECT p.hour, p.data FROM hours CROSS JOIN history_points p
        WHERE p.hour = hours.h AND p.row_id = $r AND p.t < $to
        """;

    private record struct RawState(List<HistorySample> Samples, int Column, long From, long To, long HourStart);

    private readonly HistoryWriter _writer = new(db, series);
    private readonly HistoryRetention _retention = new(db, series, logger);

    /// <summary>
    /// Moves a version-2 history into the packed tables if one is left, then reads the retention watermark; call under
    /// the write lock after migrating.
    /// </summary>
    public void Load(SqliteConnection connection)
    {
        if (LegacyHistoryImport.Run(connection, db.Path, logger))
        {
            series.Load(connection);
        }

        _writer.RawCutoff = Sql.Scalar(connection, null, "SELECT raw_cutoff FROM history_watermark WHERE id = 1") is long cutoff ? cutoff : long.MinValue;
    }

    public Task<int> WriteAsync(string elementId, IReadOnlyList<HistoryPoint> points, CancellationToken cancellationToken) =>
        points.Count == 0
            ? Task.FromResult(0)
            : db.WriteAsync(connection => _writer.Write(connection, elementId, points), cancellationToken);

    public Task<HistorySeries> QueryAsync(string elementId, HistoryQuery query, CancellationToken cancellationToken)
    {
        if (!series.TryGet(elementId, query.Table, query.Key, query.Column, out var rowId, out var columnNo)
            && !db.Read(connection => TryFind(connection, elementId, query, out rowId, out columnNo)))
        {
            return Task.FromResult(new HistorySeries(query.Resolution, [], []));
        }

        var from = query.From.ToUnixTimeMilliseconds();
        var to = query.To.ToUnixTimeMilliseconds();
        return Task.FromResult(query.Resolution == Resolution.Raw
            ? db.Read(connection => new HistorySeries(Resolution.Raw, ReadRaw(connection, rowId, columnNo, from, to), []))
            : db.Read(connection => new HistorySeries(query.Resolution, [], ReadRollups(connection, query.Resolution, rowId, columnNo, from, to))));
    }

    public async Task<long> ApplyRetentionAsync(RetentionOptions retention, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Raise the watermark before deleting, so that no point older than the cutoff is stored meanwhile.
        var rawCutoff = (now - retention.For(Resolution.Raw)).ToUnixTimeMilliseconds();
        await db.WriteAsync(connection =>
        {
            Sql.Execute(connection, null, """
                INSERT INTO history_watermark (id, raw_cutoff) VALUES (1, $c)
                ON CONFLICT (id) DO UPDATE SET raw_cutoff = max(raw_cutoff, excluded.raw_cutoff)
                """, ("$c", rawCutoff));
            _writer.RawCutoff = Math.Max(_writer.RawCutoff, rawCutoff);
            return 0;
        }, cancellationToken);

        return await _retention.ApplyAsync(retention, now, cancellationToken);
    }

    /// <summary>
    /// Looks a series up in the database when the cache misses it: another process on the same file (a cluster node)
    /// may have created it since this one loaded its cache.
    /// </summary>
    private static bool TryFind(SqliteConnection connection, string elementId, HistoryQuery query, out long rowId, out int columnNo)
    {
        using var command = Sql.Command(connection, null, """
            SELECT r.id, c.column_no FROM history_tables t
            JOIN history_rows r ON r.table_id = t.id AND r.row_key = $k
            JOIN history_columns c ON c.table_id = t.id AND c.column_name = $c
            WHERE t.element_id = $e AND t.table_name = $t
            """, ("$e", elementId), ("$t", query.Table), ("$k", query.Key), ("$c", query.Column));
        using var reader = command.ExecuteReader();
        var found = reader.Read();
        rowId = found ? reader.GetInt64(0) : 0;
        columnNo = found ? reader.GetInt32(1) : 0;
        return found;
    }

    private static List<HistorySample> ReadRaw(SqliteConnection connection, long rowId, int columnNo, long from, long to)
    {
        using var command = Sql.Command(connection, null, RawSql,
            ("$first", HistorySchema.Hour(from)), ("$last", HistorySchema.Hour(to - 1)), ("$r", rowId), ("$to", to));
        using var reader = command.ExecuteReader();
        var state = new RawState(new List<HistorySample>(), columnNo, from, to, 0);
        while (reader.Read())
        {
            state.HourStart = reader.GetInt64(0) * HistorySchema.HourMs;
            // GetBytes would open an incremental blob handle per row, which costs a hundred times more.
            PackedPoints.ForEach(reader.GetFieldValue<byte[]>(1), ref state, static (ref RawState s, uint at, int column, double value) =>
            {
                var time = s.HourStart + at;
                if (column == s.Column && time >= s.From && time < s.To)
                {
                    s.Samples.Add(new HistorySample(Sql.FromUnixMs(time), value));
                }
            });
        }

        // Records of one hour are read by their first time; a late batch's record can reach past the next one's.
        var samples = state.Samples;
        for (var i = 1; i < samples.Count; i++)
        {
            if (samples[i].Time < samples[i - 1].Time)
            {
                samples.Sort(static (x, y) => x.Time.CompareTo(y.Time));
                break;
            }
        }

        return samples;
    }

    private static List<RollupSample> ReadRollups(SqliteConnection connection, Resolution resolution, long rowId, int columnNo, long from, long to)
    {
        // Buckets whose start lies in [From, To).
        using var command = Sql.Command(connection, null,
            $"SELECT bucket_start, data FROM {RollupFolder.TableName(resolution)} WHERE row_id = $r AND bucket_start >= $from AND bucket_start < $to ORDER BY bucket_start",
            ("$r", rowId), ("$from", from), ("$to", to));
        using var reader = command.ExecuteReader();
        var buckets = new List<RollupSample>();
        while (reader.Read())
        {
            if (PackedRollups.TryGet(reader.GetFieldValue<byte[]>(1), columnNo, out var a))
            {
                buckets.Add(new RollupSample(Sql.FromUnixMs(reader.GetInt64(0)), a.Min, a.Sum / a.Count, a.Max, a.Count));
            }
        }

        return buckets;
    }

}
