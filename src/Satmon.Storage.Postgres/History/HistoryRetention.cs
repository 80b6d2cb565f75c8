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

    public static async Task<long> ApplyAsync(NpgsqlDataSource dataSource, ILogger logger, RetentionOptions retention, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Raise the watermark first, in its own committed statement: from then on no node stores a point older than
        // the cutoff, so none can slip in behind the deletes below and be counted again after its raw twin is gone.
        var rawCutoff = (now - retention.For(Resolution.Raw)).ToUnixTimeMilliseconds();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await Pg.ExecuteAsync(connection, null, "UPDATE history_watermark SET raw_cutoff = greatest(raw_cutoff, @c) WHERE id = 1", cancellationToken, ("c", rawCutoff));

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

    private static async Task<long> RawAsync(NpgsqlConnection connection, long cutoff, CancellationToken cancellationToken)
    {
        var hour = PackedPoints.Hour(cutoff);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var deleted = 0L;
        await using (var whole = Pg.Command(connection, transaction, "DELETE FROM history_points WHERE hour < @h RETURNING data", ("h", hour)))
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
            "SELECT row_id, batch, data FROM history_points WHERE hour = @h ORDER BY row_id, batch FOR UPDATE", ("h", hour)))
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
        // Writers merge into the rollup spans they cached: a new batch number for every element makes them drop those
        // caches. Taken first, so a writer in flight finishes before this rewrites anything, and a later one waits.
        await Pg.ExecuteAsync(connection, transaction, """
            UPDATE history_writers SET batch = nextval('history_batches')
            WHERE element_id IN (SELECT element_id FROM history_writers ORDER BY element_id FOR UPDATE)
            """, cancellationToken);
        var deleted = 0L;
        await using (var whole = Pg.Command(connection, transaction,
            "DELETE FROM history_rollups WHERE resolution = @res AND span_start < @s RETURNING data", ("res", code), ("s", span)))
        await using (var reader = await whole.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                deleted += PackedRollupSpans.Count(reader.GetFieldValue<byte[]>(0));
            }
        }

        // The span of the cutoff: keep its buckets that start at or after the cutoff.
        var firstKept = (int)((cutoff - span + bucketMs - 1) / bucketMs);
        var rewrites = new List<(long Row, byte[] Data)>();
        await using (var partial = Pg.Command(connection, transaction,
            "SELECT row_id, data FROM history_rollups WHERE resolution = @res AND span_start = @s ORDER BY row_id FOR UPDATE", ("res", code), ("s", span)))
        await using (var reader = await partial.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var data = PackedRollupSpans.RemoveBefore(reader.GetFieldValue<byte[]>(1), firstKept, out var removed);
                if (removed > 0)
                {
                    deleted += removed;
                    rewrites.Add((reader.GetInt64(0), data));
                }
            }
        }

        foreach (var (row, data) in rewrites)
        {
            await Pg.ExecuteAsync(connection, transaction,
                data.Length == 0
                    ? "DELETE FROM history_rollups WHERE row_id = @r AND resolution = @res AND span_start = @s"
                    : "UPDATE history_rollups SET data = @d WHERE row_id = @r AND resolution = @res AND span_start = @s",
                cancellationToken, ("r", row), ("res", code), ("s", span), ("d", data));
        }

        await transaction.CommitAsync(cancellationToken);
        return deleted;
    }
}
