using Microsoft.Extensions.Logging;
using Npgsql;
using Satmon.Core.History;
using Satmon.Core.History.Packing;

namespace Satmon.Storage.Postgres.History;

/// <summary>
/// Retention per resolution on the packed records: records wholly older than the cutoff are deleted, the one record
/// per row that straddles it is rewritten without its older values. Counts are of values (raw) and of buckets per
/// column (rollups), as in the SQLite provider, so both report the same numbers.
/// </summary>
internal static class HistoryRetention
{
    private static readonly Resolution[] Rollups = [Resolution.FiveMinutes, Resolution.OneHour, Resolution.OneDay];

    public static async Task<long> ApplyAsync(
        NpgsqlDataSource dataSource, HistoryCache cache, ILogger logger, RetentionOptions retention, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Raise the watermark first, in its own committed statement: from then on no node stores a point older than
        // the cutoff, so none can slip in behind the deletes below and be counted again after its raw twin is gone.
        var rawCutoff = (now - retention.For(Resolution.Raw)).ToUnixTimeMilliseconds();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await Pg.ExecuteAsync(connection, null, "UPDATE history_watermark SET raw_cutoff = greatest(raw_cutoff, @c) WHERE id = 1", cancellationToken, ("c", rawCutoff));

        // Raw records go only once they are in the rollups.
        await HistoryFold.FoldAllAsync(connection, cache, cancellationToken);
        var total = 0L;
        var raw = await RawAsync(connection, rawCutoff, cancellationToken);
        Report(logger, Resolution.Raw, raw, rawCutoff);
        total += raw;
        foreach (var resolution in Rollups)
        {
            var cutoff = (now - retention.For(resolution)).ToUnixTimeMilliseconds();
            var deleted = await RollupAsync(connection, resolution, cutoff, cancellationToken);
            Report(logger, resolution, deleted, cutoff);
            total += deleted;
        }

        return total;
    }

    private static void Report(ILogger logger, Resolution resolution, long deleted, long cutoff)
    {
        if (deleted > 0)
        {
            HistoryLog.RetentionApplied(logger, deleted, Resolutions.ToToken(resolution), DateTimeOffset.FromUnixTimeMilliseconds(cutoff));
        }
    }

    // The rows of raw records that are in the rollups: those of a batch up to their element's fold watermark. One that a
    // writer stored after the fold above is left for the next run.
    private const string FoldedFrom = "history_rows r, history_tables t, history_writers w";
    private const string FoldedWhere = "r.id = p.row_id AND t.id = r.table_id AND w.element_id = t.element_id AND p.batch <= w.folded";

    private static async Task<long> RawAsync(NpgsqlConnection connection, long cutoff, CancellationToken cancellationToken)
    {
        var hour = PackedPoints.Hour(cutoff);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var deleted = 0L;
        await using (var whole = Pg.Command(connection, transaction, $"DELETE FROM history_points p USING {FoldedFrom} WHERE {FoldedWhere} AND p.hour < @h RETURNING p.data", ("h", hour)))
        await using (var reader = await whole.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                deleted += PackedPoints.Count(reader.GetFieldValue<byte[]>(0));
            }
        }

        // The hour of the cutoff: keep its values from the cutoff on.
        var hourStart = hour * PackedPoints.HourMs;
        var rewrites = new List<(long Row, long Batch, byte[] Data)>();
        await using (var partial = Pg.Command(connection, transaction,
            $"SELECT p.row_id, p.batch, p.data FROM history_points p, {FoldedFrom} WHERE {FoldedWhere} AND p.hour = @h ORDER BY p.row_id, p.batch FOR UPDATE OF p", ("h", hour)))
        await using (var reader = await partial.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var kept = new List<PointEntry>();
                var state = (Kept: kept, HourStart: hourStart, Cutoff: cutoff, Removed: 0);
                PackedPoints.ForEach(reader.GetFieldValue<byte[]>(2), ref state,
                    static (ref (List<PointEntry> Kept, long HourStart, long Cutoff, int Removed) s, uint at, int column, double value) =>
                    {
                        if (s.HourStart + at >= s.Cutoff)
                        {
                            s.Kept.Add(new PointEntry(0, s.HourStart + at, value, column, 0, 0));
                        }
                        else
                        {
                            s.Removed++;
                        }
                    });
                if (state.Removed > 0)
                {
                    deleted += state.Removed;
                    var data = new byte[PackedPoints.Size(kept.ToArray())];
                    PackedPoints.Write(data, hour, kept.ToArray());
                    rewrites.Add((reader.GetInt64(0), reader.GetInt64(1), data));
                }
            }
        }

        foreach (var (row, batch, data) in rewrites)
        {
            await Pg.ExecuteAsync(connection, transaction,
                data.Length == 0
                    ? "DELETE FROM history_points WHERE row_id = @r AND hour = @h AND batch = @b"
                    : "UPDATE history_points SET data = @d WHERE row_id = @r AND hour = @h AND batch = @b",
                cancellationToken, ("r", row), ("h", hour), ("b", batch), ("d", data));
        }

        await transaction.CommitAsync(cancellationToken);
        return deleted;
    }

    private static async Task<long> RollupAsync(NpgsqlConnection connection, Resolution resolution, long cutoff, CancellationToken cancellationToken)
    {
        var (code, bucketMs, spanMs) = HistorySchema.Rollup(resolution);
        var span = HistorySchema.Floor(cutoff, spanMs);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // A span may be in several records (one per writing batch): merged before counting, each bucket counts once.
        var whole = await TakeAsync(connection, transaction,
            "DELETE FROM history_rollups WHERE resolution = @res AND span_start < @s RETURNING row_id, resolution, span_start, batch, data",
            code, span, cancellationToken);
        var deleted = HistoryRecords.MergeSpans(whole, 0).Sum(r => (long)PackedRollupSpans.Count(r.Data));

        // The span of the cutoff: its records of a row are merged into one that keeps the buckets from the cutoff on.
        // Writers only add records, with new batch numbers: one that commits meanwhile adds to the span beside this.
        var firstKept = (int)((cutoff - span + bucketMs - 1) / bucketMs);
        var straddling = await TakeAsync(connection, transaction,
            "SELECT row_id, resolution, span_start, batch, data FROM history_rollups WHERE resolution = @res AND span_start = @s ORDER BY row_id FOR UPDATE",
            code, span, cancellationToken);
        var rows = new List<long>();
        var batches = new List<long>();
        var kept = new List<HistoryRecords.Record>();
        foreach (var records in straddling.GroupBy(r => r.Row))
        {
            var merged = HistoryRecords.MergeSpans([.. records], records.Max(r => r.Batch)).Single();
            var data = PackedRollupSpans.RemoveBefore(merged.Data, firstKept, out var removed);
            if (removed == 0)
            {
                continue;
            }

            deleted += removed;
            rows.AddRange(records.Select(r => r.Row));
            batches.AddRange(records.Select(r => r.Batch));
            if (data.Length > 0)
            {
                // Numbered as its newest record, whose number is free again once that is deleted in this transaction.
                kept.Add(merged with { Data = data });
            }
        }

        await Pg.ExecuteAsync(connection, transaction, """
            DELETE FROM history_rollups h USING unnest(@rows, @batches) AS u(r, b)
            WHERE h.resolution = @res AND h.span_start = @s AND h.row_id = u.r AND h.batch = u.b
            """, cancellationToken, ("rows", rows.ToArray()), ("batches", batches.ToArray()), ("res", code), ("s", span));
        await HistoryRecords.CopyRollupsAsync(connection, kept, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return deleted;
    }

    private static Task<List<HistoryRecords.Record>> TakeAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, short code, long span, CancellationToken cancellationToken) =>
        Pg.ListAsync(connection, transaction, sql,
            r => new HistoryRecords.Record(r.GetInt64(0), r.GetInt16(1), r.GetInt64(2), r.GetInt64(3), r.GetFieldValue<byte[]>(4)),
            cancellationToken, ("res", code), ("s", span));
}
