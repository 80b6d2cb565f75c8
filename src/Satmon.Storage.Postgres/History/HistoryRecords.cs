using System.Buffers;
using Npgsql;
using NpgsqlTypes;
using Satmon.Core.History;
using Satmon.Core.History.Packing;

namespace Satmon.Storage.Postgres.History;

/// <summary>
/// Writes a batch's new values, ordered by row, time and column, as new records only, all with binary COPY: one raw
/// record per row and hour, and one rollup record per row and span with the aggregates of the batch's values. Both are
/// keyed by the batch number, so nothing stored is read or updated: min, max, sum and count combine exactly, and
/// readers merge the records of a span (<see cref="PackedRollupSpans.Merge"/>). A span is folded back into one record by the
/// writer once it holds <see cref="CompactAt"/> records.
/// </summary>
internal static class HistoryRecords
{
    /// <summary>Records a span may collect before a writer folds them into one: bounds what a trend query reads.</summary>
    public const int CompactAt = 16;

    private const string PointsCopySql = "COPY history_points (row_id, hour, batch, last_t, data) FROM STDIN (FORMAT BINARY)";
    private const string RollupsCopySql = "COPY history_rollups (row_id, resolution, span_start, batch, data) FROM STDIN (FORMAT BINARY)";

    private const string TakeRollupsSql = """
        DELETE FROM history_rollups h
        USING unnest(@rows, @resolutions, @spans) AS u(r, res, s)
        WHERE h.row_id = u.r AND h.resolution = u.res AND h.span_start = u.s
        RETURNING h.row_id, h.resolution, h.span_start, h.batch, h.data
        """;

    private static readonly Resolution[] Rollups = [Resolution.FiveMinutes, Resolution.OneHour, Resolution.OneDay];

    public static async Task WriteAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, ElementHistory element, PointEntry[] fresh, int count, long batch,
        CancellationToken cancellationToken)
    {
        await CopyPointsAsync(connection, fresh, count, batch, cancellationToken);

        var records = new List<Record>();
        foreach (var resolution in Rollups)
        {
            Fold(fresh, count, resolution, batch, records);
        }

        await CopyRollupsAsync(connection, records, cancellationToken);

        // Every span written is counted, also an older one that late values keep reaching beside the current one.
        var due = new List<Record>();
        foreach (var record in records)
        {
            var key = (record.Row, record.Resolution, record.SpanStart);
            var held = element.Spans.GetValueOrDefault(key) + 1;
            element.Spans[key] = held;
            if (held >= CompactAt)
            {
                due.Add(record);
            }

            if (!element.NewestSpans.TryGetValue((record.Row, record.Resolution), out var newest) || newest < record.SpanStart)
            {
                element.NewestSpans[(record.Row, record.Resolution)] = record.SpanStart;
            }
        }

        if (due.Count > 0)
        {
            await CompactAsync(connection, transaction, due, batch, cancellationToken);
            foreach (var record in due)
            {
                element.Spans[(record.Row, record.Resolution, record.SpanStart)] = 1;
            }
        }

        if (element.Spans.Count > 4 * element.NewestSpans.Count)
        {
            // Keeps each row's three newest spans. Forgetting an older one only delays its compaction: its next
            // records are counted from one again (removing while enumerating is allowed for Dictionary).
            foreach (var (key, _) in element.Spans)
            {
                if (key.SpanStart < element.NewestSpans[(key.Row, key.Resolution)] - (2 * SpanMs(key.Resolution)))
                {
                    element.Spans.Remove(key);
                }
            }
        }
    }

    private static long SpanMs(short resolution) => resolution switch
    {
        1 => HistorySchema.Rollup(Resolution.FiveMinutes).SpanMs,
        2 => HistorySchema.Rollup(Resolution.OneHour).SpanMs,
        _ => HistorySchema.Rollup(Resolution.OneDay).SpanMs,
    };

    /// <summary>
    /// Replaces every record of the given spans with one that merges them, in the writer's transaction (the element lock
    /// keeps other writers of these rows out; a reader sees the records before or after, never both).
    /// </summary>
    public static async Task CompactAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyCollection<Record> spans, long batch, CancellationToken cancellationToken)
    {
        var taken = new List<Record>();
        await using (var command = Pg.Command(connection, transaction, TakeRollupsSql,
            ("rows", spans.Select(r => r.Row).ToArray()), ("resolutions", spans.Select(r => r.Resolution).ToArray()),
            ("spans", spans.Select(r => r.SpanStart).ToArray())))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                taken.Add(new Record(reader.GetInt64(0), reader.GetInt16(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetFieldValue<byte[]>(4)));
            }
        }

        await CopyRollupsAsync(connection, MergeSpans(taken, batch), cancellationToken);
    }

    /// <summary>One record per (row, resolution, span) of <paramref name="records"/>, merged in batch order, numbered <paramref name="batch"/>.</summary>
    public static List<Record> MergeSpans(List<Record> records, long batch)
    {
        records.Sort(static (x, y) => (x.Row, x.Resolution, x.SpanStart, x.Batch).CompareTo((y.Row, y.Resolution, y.SpanStart, y.Batch)));
        var merged = new List<Record>();
        foreach (var record in records)
        {
            if (merged.Count > 0 && merged[^1] is var last && last.Row == record.Row && last.Resolution == record.Resolution && last.SpanStart == record.SpanStart)
            {
                merged[^1] = last with { Data = PackedRollupSpans.Merge(last.Data, record.Data) };
            }
            else
            {
                merged.Add(record with { Batch = batch });
            }
        }

        return merged;
    }

    public static async Task CopyRollupsAsync(NpgsqlConnection connection, IReadOnlyList<Record> records, CancellationToken cancellationToken)
    {
        if (records.Count == 0)
        {
            return;
        }

        await using var importer = await connection.BeginBinaryImportAsync(RollupsCopySql, cancellationToken);
        foreach (var record in records)
        {
            await importer.StartRowAsync(cancellationToken);
            await importer.WriteAsync(record.Row, NpgsqlDbType.Bigint, cancellationToken);
            await importer.WriteAsync(record.Resolution, NpgsqlDbType.Smallint, cancellationToken);
            await importer.WriteAsync(record.SpanStart, NpgsqlDbType.Bigint, cancellationToken);
            await importer.WriteAsync(record.Batch, NpgsqlDbType.Bigint, cancellationToken);
            await importer.WriteAsync(record.Data, NpgsqlDbType.Bytea, cancellationToken);
        }

        await importer.CompleteAsync(cancellationToken);
    }

    /// <summary>One raw record per row and hour of the batch.</summary>
    private static async Task CopyPointsAsync(NpgsqlConnection connection, PointEntry[] fresh, int count, long batch, CancellationToken cancellationToken)
    {
        await using var importer = await connection.BeginBinaryImportAsync(PointsCopySql, cancellationToken);
        for (int start = 0, end; start < count; start = end)
        {
            var hour = PackedPoints.Hour(fresh[start].Time);
            for (end = start + 1; end < count && fresh[end].RowId == fresh[start].RowId && PackedPoints.Hour(fresh[end].Time) == hour; end++)
            {
            }

            var values = fresh.AsSpan(start, end - start);
            var data = new byte[PackedPoints.Size(values)];
            PackedPoints.Write(data, hour, values);
            await importer.StartRowAsync(cancellationToken);
            await importer.WriteAsync(fresh[start].RowId, NpgsqlDbType.Bigint, cancellationToken);
            await importer.WriteAsync(hour, NpgsqlDbType.Bigint, cancellationToken);
            await importer.WriteAsync(batch, NpgsqlDbType.Bigint, cancellationToken);
            await importer.WriteAsync(fresh[end - 1].Time, NpgsqlDbType.Bigint, cancellationToken);
            await importer.WriteAsync(data, NpgsqlDbType.Bytea, cancellationToken);
        }

        await importer.CompleteAsync(cancellationToken);
    }

    /// <summary>Adds one record per row and span of <paramref name="resolution"/> with the aggregates of the fresh values.</summary>
    private static void Fold(PointEntry[] fresh, int count, Resolution resolution, long batch, List<Record> records)
    {
        var (code, bucketMs, spanMs) = HistorySchema.Rollup(resolution);
        var byColumn = new SortedDictionary<int, Aggregate>();
        var buffer = new ArrayBufferWriter<byte>();
        for (int start = 0, end; start < count; start = end)
        {
            var row = fresh[start].RowId;
            var bucket = HistorySchema.Floor(fresh[start].Time, bucketMs);
            for (end = start; end < count && fresh[end].RowId == row && HistorySchema.Floor(fresh[end].Time, bucketMs) == bucket; end++)
            {
                var entry = fresh[end];
                byColumn[entry.Column] = byColumn.TryGetValue(entry.Column, out var aggregate) ? aggregate.Add(entry.Value) : Aggregate.Of(entry.Value);
            }

            var span = HistorySchema.Floor(bucket, spanMs);
            var length = byColumn.Values.Sum(a => PackedRollups.EntryBytes(a));
            var destination = buffer.GetSpan(PackedRollupSpans.HeaderBytes + length);
            PackedRollupSpans.WriteHeader(destination, (int)((bucket - span) / bucketMs), length);
            var at = PackedRollupSpans.HeaderBytes;
            foreach (var (column, aggregate) in byColumn)
            {
                at += PackedRollups.Write(destination[at..], column, aggregate);
            }

            buffer.Advance(at);
            byColumn.Clear();
            if (end == count || fresh[end].RowId != row || HistorySchema.Floor(fresh[end].Time, spanMs) != span)
            {
                records.Add(new Record(row, code, span, batch, buffer.WrittenSpan.ToArray()));
                buffer.ResetWrittenCount();
            }
        }
    }

    /// <summary>One rollup record: the aggregates of one row's span of buckets written by one batch (or merged from several).</summary>
    internal sealed record Record(long Row, short Resolution, long SpanStart, long Batch, byte[] Data);
}
