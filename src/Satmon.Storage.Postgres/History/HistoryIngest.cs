using Npgsql;
using Satmon.Core.History;
using Satmon.Core.History.Packing;

namespace Satmon.Storage.Postgres.History;

/// <summary>
/// The ingest path of <see cref="PostgresHistoryStore.WriteAsync"/>, done in C# because the writer has the whole batch
/// in memory: under the element's advisory lock, resolve row ids and column numbers, order the batch, drop values
/// already stored (the per-row latest stored time makes the usual batch need no read), then pack one raw record per
/// row and hour (<see cref="HistoryRecords"/>). Every <see cref="HistoryFold.FoldAfter"/> writes the element's new
/// raw records are folded into its rollups (<see cref="HistoryFold"/>). The lock makes one writer per element at a
/// time on every node, so a re-delivered value is stored and counted once, also across nodes.
/// </summary>
internal sealed class HistoryIngest(NpgsqlDataSource dataSource, HistoryCache cache)
{
    // The writers row holds the batch number of the element's last write: a node whose cache is from an older one
    // (another node wrote meanwhile, or the element was deleted) drops it.
    private const string LockSql = ElementLock.Sql + """
        ;
        SELECT batch, folded, unfolded, unfolded_from_hour FROM history_writers WHERE element_id = @e FOR UPDATE;
        SELECT nextval('history_batches'), (SELECT raw_cutoff FROM history_watermark WHERE id = 1)
        """;

    // A row's latest stored time: the latest record of its latest hour (records are keyed by hour first).
    private const string LatestSql = """
        SELECT u.r, (SELECT max(p.last_t) FROM history_points p
                     WHERE p.row_id = u.r AND p.hour = (SELECT max(q.hour) FROM history_points q WHERE q.row_id = u.r))
        FROM unnest(@rows) AS u(r)
        """;

    private const string OverlapSql = """
        SELECT p.row_id, p.hour, p.data
        FROM unnest(@rows, @first, @last) AS u(r, a, b)
        JOIN history_points p ON p.row_id = u.r AND p.hour BETWEEN u.a AND u.b
        """;

    private const string WriterSql = """
        INSERT INTO history_writers (element_id, batch, folded, unfolded, unfolded_from_hour) VALUES (@e, @b, @f, @u, @h)
        ON CONFLICT (element_id) DO UPDATE SET batch = excluded.batch, folded = excluded.folded, unfolded = excluded.unfolded,
            unfolded_from_hour = excluded.unfolded_from_hour
        """;

    public async Task<int> WriteAsync(string elementId, IReadOnlyList<HistoryPoint> points, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        long? written;
        long batch, cutoff, folded = 0;
        var unfolded = 0;
        long? fromHour = null;
        await using (var command = Pg.Command(connection, transaction, LockSql, ("ns", ElementLock.Namespace), ("e", elementId)))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            await reader.NextResultAsync(cancellationToken);
            written = null;
            if (await reader.ReadAsync(cancellationToken))
            {
                (written, folded, unfolded) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt32(2));
                fromHour = reader.IsDBNull(3) ? null : reader.GetInt64(3);
            }

            await reader.NextResultAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            batch = reader.GetInt64(0);
            cutoff = reader.GetInt64(1);
        }

        // Only this node's writers of the element get here now, one at a time: the cache is theirs.
        var element = cache.Element(elementId);
        if (element.Batch != written)
        {
            element.Clear();
            element.Batch = written;
        }

        // The aggregates of what this node wrote since the last fold hold only while no one else folded, and can only
        // start when nothing is unfolded.
        if (element.Pending?.Folded != folded)
        {
            element.Pending = unfolded == 0 ? new PendingRollups(folded) : null;
        }

        try
        {
            var (fresh, firstHour) = await StoreAsync(connection, transaction, elementId, element, points, batch, cutoff, cancellationToken);
            if (fresh > 0)
            {
                unfolded++;
                fromHour = fromHour is { } h && h < firstHour ? h : firstHour;
            }

            if (fromHour is { } from && unfolded >= HistoryFold.FoldAfter)
            {
                await HistoryFold.FoldAsync(connection, transaction, elementId, element, folded, from, batch, cancellationToken);
                (folded, unfolded, fromHour) = (batch, 0, null);
                element.Pending = new PendingRollups(batch);
            }

            // Also when nothing was new: ids may have been created, and a delete by another node must show.
            await Pg.ExecuteAsync(connection, transaction, WriterSql, cancellationToken,
                ("e", elementId), ("b", batch), ("f", folded), ("u", unfolded), ("h", fromHour));
            await transaction.CommitAsync(cancellationToken);
            element.Batch = batch;

            return fresh;
        }
        catch
        {
            // Ids or latest times of the failed transaction may be cached: start over from the database.
            element.Clear();
            throw;
        }
    }

    /// <summary>Stores the batch's new values; returns how many, and the earliest hour they went into.</summary>
    private static async Task<(int Count, long FirstHour)> StoreAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string elementId, ElementHistory element, IReadOnlyList<HistoryPoint> points,
        long batch, long cutoff, CancellationToken cancellationToken)
    {
        var rows = new long[points.Count];
        var columns = new int[points.Count];
        await HistoryIds.ResolveAsync(connection, transaction, elementId, element, points, rows, columns, cancellationToken);
        var entries = new PointEntry[points.Count];
        var count = 0;
        for (var i = 0; i < points.Count; i++)
        {
            var point = points[i];
            var time = point.Time.ToUnixTimeMilliseconds();
            // NaN and infinities would poison every rollup sum; points behind the raw watermark could be counted twice.
            if (double.IsFinite(point.Value) && time >= cutoff)
            {
                entries[count++] = new PointEntry(rows[i], time, point.Value, columns[i], 0, i);
            }
        }

        var span = entries.AsSpan(0, count);
        Sort(span);
        count = DropRepeats(span);
        if (count == 0)
        {
            return (0, 0);
        }

        var previous = await LatestAsync(connection, transaction, element, entries, count, cancellationToken);
        count = await DropStoredAsync(connection, transaction, entries, count, previous, cancellationToken);
        if (count == 0)
        {
            return (0, 0);
        }

        var firstTime = long.MaxValue;
        // The cache is updated while the server still inserts the records (the caller drops it if the write fails).
        await HistoryRecords.CopyPointsAsync(connection, entries, count, batch, () =>
        {
            if (element.Pending is { } pending && !pending.Add(entries.AsSpan(0, count)))
            {
                element.Pending = null;
            }

            for (var i = 0; i < count; i++)
            {
                firstTime = Math.Min(firstTime, entries[i].Time);
                // Sorted by time within a row: the last entry of a row is its latest.
                if (i + 1 == count || entries[i + 1].RowId != entries[i].RowId)
                {
                    element.Latest[entries[i].RowId] = Math.Max(previous[entries[i].RowId], entries[i].Time);
                }
            }
        }, cancellationToken);

        return (count, PackedPoints.Hour(firstTime));
    }

    /// <summary>The latest stored time of every row of the batch (long.MinValue: none), read for rows not cached.</summary>
    private static async Task<Dictionary<long, long>> LatestAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, ElementHistory element, PointEntry[] entries, int count, CancellationToken cancellationToken)
    {
        var latest = new Dictionary<long, long>();
        var unknown = new List<long>();
        for (var i = 0; i < count; i++)
        {
            var row = entries[i].RowId;
            if (i > 0 && entries[i - 1].RowId == row)
            {
                continue;
            }

            if (element.Latest.TryGetValue(row, out var time))
            {
                latest[row] = time;
            }
            else
            {
                unknown.Add(row);
            }
        }

        if (unknown.Count > 0)
        {
            await using var command = Pg.Command(connection, transaction, LatestSql, ("rows", unknown.ToArray()));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var time = reader.IsDBNull(1) ? long.MinValue : reader.GetInt64(1);
                latest[reader.GetInt64(0)] = time;
                element.Latest[reader.GetInt64(0)] = time;
            }
        }

        return latest;
    }

    /// <summary>Removes values already stored: only rows whose batch reaches back to their latest stored time are read.</summary>
    private static async Task<int> DropStoredAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, PointEntry[] entries, int count, Dictionary<long, long> latest, CancellationToken cancellationToken)
    {
        List<long> rows = [], first = [], last = [];
        for (int start = 0, end; start < count; start = end)
        {
            var row = entries[start].RowId;
            for (end = start + 1; end < count && entries[end].RowId == row; end++)
            {
            }

            if (entries[start].Time <= latest[row])
            {
                rows.Add(row);
                first.Add(PackedPoints.Hour(entries[start].Time));
                last.Add(PackedPoints.Hour(Math.Min(entries[end - 1].Time, latest[row])));
            }
        }

        if (rows.Count == 0)
        {
            return count;
        }

        var stored = new HashSet<(long Row, long Time, int Column)>();
        await using (var command = Pg.Command(connection, transaction, OverlapSql, ("rows", rows.ToArray()), ("first", first.ToArray()), ("last", last.ToArray())))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var state = (Stored: stored, Row: reader.GetInt64(0), HourStart: reader.GetInt64(1) * PackedPoints.HourMs);
                PackedPoints.ForEach(reader.GetFieldValue<byte[]>(2), ref state,
                    static (ref (HashSet<(long, long, int)> Stored, long Row, long HourStart) s, uint at, int column, double _) =>
                        s.Stored.Add((s.Row, s.HourStart + at, column)));
            }
        }

        var kept = 0;
        for (var i = 0; i < count; i++)
        {
            if (!stored.Contains((entries[i].RowId, entries[i].Time, entries[i].Column)))
            {
                entries[kept++] = entries[i];
            }
        }

        return kept;
    }

    /// <summary>
    /// Orders the entries by row, time, column and arrival. A poll's batch usually comes time by time, each row's values
    /// in time order: when the row ids are dense (as an element's are), a stable counting sort by row leaves only rows
    /// whose values were out of order to sort.
    /// </summary>
    private static void Sort(Span<PointEntry> entries)
    {
        if (entries.Length == 0)
        {
            return;
        }

        long min = long.MaxValue, max = long.MinValue;
        foreach (var entry in entries)
        {
            (min, max) = (Math.Min(min, entry.RowId), Math.Max(max, entry.RowId));
        }

        if (max - min >= 4L * entries.Length + 1024)
        {
            entries.Sort(default(ByRowTimeColumnArrival));
            return;
        }

        var starts = new int[max - min + 2];
        foreach (var entry in entries)
        {
            starts[entry.RowId - min + 1]++;
        }

        for (var i = 1; i < starts.Length; i++)
        {
            starts[i] += starts[i - 1];
        }

        // Stable: within a row, entries keep their arrival order.
        var sorted = new PointEntry[entries.Length];
        foreach (var entry in entries)
        {
            sorted[starts[entry.RowId - min]++] = entry;
        }

        for (int start = 0, end; start < sorted.Length; start = end)
        {
            var ordered = true;
            for (end = start + 1; end < sorted.Length && sorted[end].RowId == sorted[start].RowId; end++)
            {
                ordered &= default(ByRowTimeColumnArrival).Compare(sorted[end - 1], sorted[end]) < 0;
            }

            if (!ordered)
            {
                sorted.AsSpan(start, end - start).Sort(default(ByRowTimeColumnArrival));
            }
        }

        sorted.CopyTo(entries);
    }

    /// <summary>Removes repeats of a (row, time, column) within the sorted batch, keeping the first arrival; returns how many remain.</summary>
    private static int DropRepeats(Span<PointEntry> sorted)
    {
        var kept = 0;
        for (var i = 0; i < sorted.Length; i++)
        {
            if (kept > 0 && sorted[i].RowId == sorted[kept - 1].RowId && sorted[i].Time == sorted[kept - 1].Time && sorted[i].Column == sorted[kept - 1].Column)
            {
                continue;
            }

            sorted[kept++] = sorted[i];
        }

        return kept;
    }

    /// <summary>Row, then time, column and arrival: the order records are packed in.</summary>
    private readonly struct ByRowTimeColumnArrival : IComparer<PointEntry>
    {
        public int Compare(PointEntry x, PointEntry y)
        {
            if (x.RowId != y.RowId)
            {
                return x.RowId < y.RowId ? -1 : 1;
            }

            if (x.Time != y.Time)
            {
                return x.Time < y.Time ? -1 : 1;
            }

            return x.Column != y.Column ? x.Column.CompareTo(y.Column) : x.Arrival.CompareTo(y.Arrival);
        }
    }
}
