using Satmon.Core.History.Packing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Satmon.Core.History;

namespace Satmon.Storage.Sqlite.History;

/// <summary>
/// Deletes history older than its retention, in many small write transactions so that ingest is never held up for
/// long. Counts what went in series values (one per column of a packed row), as the store's contract counts them.
/// </summary>
internal sealed class HistoryRetention(SqliteDatabase db, SeriesCache series, ILogger logger)
{
    private const int RowsPerTransaction = 256;
    private const long RowIdsPerRawTransaction = 2048;

    public async Task<long> ApplyAsync(RetentionOptions retention, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var total = 0L;
        var rawCutoff = now - retention.For(Resolution.Raw);
        var deleted = await DeleteRawAsync(rawCutoff.ToUnixTimeMilliseconds(), cancellationToken);
        Report(Resolution.Raw, rawCutoff, deleted);
        total += deleted;

        var rows = series.AllRowIds();
        foreach (var resolution in Resolutions.Rollups)
        {
            var cutoff = now - retention.For(resolution);
            deleted = 0L;
            // Per row (a primary-key range each) and in chunks.
            foreach (var chunk in rows.Chunk(RowsPerTransaction))
            {
                deleted += await db.WriteAsync(connection => DeleteRollups(connection, resolution, chunk, cutoff.ToUnixTimeMilliseconds()), cancellationToken);
            }

            Report(resolution, cutoff, deleted);
            total += deleted;
        }

        return total;
    }

    /// <summary>Whole hours from the oldest, then the part of the cutoff's hour before it; each hour in id ranges.</summary>
    private async Task<long> DeleteRawAsync(long cutoff, CancellationToken cancellationToken)
    {
        var cutoffHour = HistorySchema.Hour(cutoff);
        var deleted = 0L;
        var (oldest, maxRowId) = db.Read(connection => (
            Sql.Scalar(connection, null, "SELECT min(hour) FROM history_points") as long?,
            Sql.Scalar(connection, null, "SELECT max(id) FROM history_rows") as long? ?? 0));
        for (var hour = oldest; hour is { } h && h <= cutoffHour;)
        {
            for (var first = 0L; first <= maxRowId; first += RowIdsPerRawTransaction)
            {
                var start = first;
                deleted += await db.WriteAsync(connection => DeleteRaw(connection, h, start, start + RowIdsPerRawTransaction, cutoff), cancellationToken);
            }

            // Skips hours without points, which a pause in ingest leaves behind.
            hour = db.Read(connection => Sql.Scalar(connection, null, "SELECT min(hour) FROM history_points WHERE hour > $h", ("$h", h)) as long?);
        }

        return deleted;
    }

    private static long DeleteRaw(SqliteConnection connection, long hour, long firstRowId, long endRowId, long cutoff)
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        using var command = Sql.Command(connection, transaction,
            "DELETE FROM history_points WHERE hour = $h AND row_id >= $a AND row_id < $b AND t < $c RETURNING data",
            ("$h", hour), ("$a", firstRowId), ("$b", endRowId), ("$c", cutoff));
        var values = 0L;
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                values += PackedPoints.Count(reader.GetFieldValue<byte[]>(0));
            }
        }

        transaction.Commit();
        return values;
    }

    private static long DeleteRollups(SqliteConnection connection, Resolution resolution, long[] rowIds, long cutoff)
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        using var command = Sql.Command(connection, transaction,
            $"DELETE FROM {RollupFolder.TableName(resolution)} WHERE row_id = $r AND bucket_start < $c RETURNING data", ("$c", cutoff));
        var row = command.Parameters.Add("$r", SqliteType.Integer);
        var buckets = 0L;
        foreach (var id in rowIds)
        {
            row.Value = id;
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                buckets += PackedRollups.Count(reader.GetFieldValue<byte[]>(0));
            }
        }

        transaction.Commit();
        return buckets;
    }

    private void Report(Resolution resolution, DateTimeOffset cutoff, long deleted)
    {
        if (deleted > 0)
        {
            Log.RetentionApplied(logger, deleted, Resolutions.ToToken(resolution), cutoff);
        }
    }
}
