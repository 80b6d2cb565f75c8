using System.Buffers;
using System.Runtime.InteropServices;
using Npgsql;
using NpgsqlTypes;
using Satmon.Core.History;
using Satmon.Core.History.Packing;

namespace Satmon.Storage.Postgres.History;

/// <summary>
/// The records of the packed layout, all new and all written with binary COPY: a write's raw records, one per row and
/// hour, keyed by the batch number; and a fold's rollup records, one per row and span with the aggregates of the values
/// folded, keyed by the folding batch. Nothing stored is read or updated: min, max, sum and count combine exactly, and
/// readers merge the records of a span (<see cref="PackedRollupSpans.Merge"/>). A span is compacted into one record by
/// the writer once it holds <see cref="CompactAt"/> records.
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

    /// <summary>Something to fold: a value (<see cref="Aggregate.Of"/>) or the aggregate of a 5-minute bucket, at its time.</summary>
    internal readonly record struct Item(long Time, int Column, Aggregate Aggregate);

    /// <summary>Folds rows into rollup records, reusing its buffers from row to row; one per fold, not shared.</summary>
    internal sealed class Folder
    {
        private readonly List<(int Column, Aggregate Aggregate)> _columns = [];
        private readonly ArrayBufferWriter<byte> _buffer = new();

        /// <summary>
        /// Adds the rollup records of one row's items (in any order; the list is sorted and then cleared) to
        /// <paramref name="records"/>: one per resolution and span, numbered <paramref name="batch"/>.
        /// </summary>
        public void FoldRow(long row, List<Item> items, long batch, List<Record> records)
        {
            var span = CollectionsMarshal.AsSpan(items);
            // Raw records come in hour and batch order: their values are in order unless late ones went into an older hour.
            for (var i = 1; i < span.Length; i++)
            {
                if (ByTimeColumn(span[i - 1], span[i]) > 0)
                {
                    span.Sort(ByTimeColumn);
                    break;
                }
            }

            foreach (var resolution in Rollups)
            {
                Fold(row, span, resolution, batch, records);
            }

            items.Clear();
        }

        private static int ByTimeColumn(Item x, Item y) => x.Time != y.Time ? x.Time.CompareTo(y.Time) : x.Column.CompareTo(y.Column);

        /// <summary>Adds one record per span of <paramref name="resolution"/> of one row's items, ordered by time.</summary>
        private void Fold(long row, ReadOnlySpan<Item> items, Resolution resolution, long batch, List<Record> records)
        {
            var (code, bucketMs, spanMs) = HistorySchema.Rollup(resolution);
            for (int start = 0, end; start < items.Length; start = end)
            {
                var bucket = HistorySchema.Floor(items[start].Time, bucketMs);
                var bucketEnd = bucket + bucketMs;
                for (end = start; end < items.Length && items[end].Time < bucketEnd; end++)
                {
                    AddTo(_columns, items[end].Column, items[end].Aggregate);
                }

                if (_columns.Count > 1)
                {
                    _columns.Sort(static (x, y) => x.Column.CompareTo(y.Column));
                }

                var span = HistorySchema.Floor(bucket, spanMs);
                var length = 0;
                foreach (var (_, aggregate) in _columns)
                {
                    length += PackedRollups.EntryBytes(aggregate);
                }

                var destination = _buffer.GetSpan(PackedRollupSpans.HeaderBytes + length);
                PackedRollupSpans.WriteHeader(destination, (int)((bucket - span) / bucketMs), length);
                var at = PackedRollupSpans.HeaderBytes;
                foreach (var (column, aggregate) in _columns)
                {
                    at += PackedRollups.Write(destination[at..], column, aggregate);
                }

                _buffer.Advance(at);
                _columns.Clear();
                if (end == items.Length || items[end].Time >= span + spanMs)
                {
                    records.Add(new Record(row, code, span, batch, _buffer.WrittenSpan.ToArray()));
                    _buffer.ResetWrittenCount();
                }
            }
        }

    }

    /// <summary>Adds to its column's aggregate of one bucket: a row's columns are few, searched in turn.</summary>
    public static void AddTo(List<(int Column, Aggregate Aggregate)> columns, int column, in Aggregate aggregate)
    {
        var aggregates = CollectionsMarshal.AsSpan(columns);
        for (var i = 0; i < aggregates.Length; i++)
        {
            if (aggregates[i].Column == column)
            {
                aggregates[i].Aggregate = aggregates[i].Aggregate.Add(aggregate);
                return;
            }
        }

        columns.Add((column, aggregate));
    }

    /// <summary>
    /// Copies a fold's rollup records and compacts the spans that have collected <see cref="CompactAt"/> records, as
    /// far as <paramref name="element"/> (the writer's cache; null: not counted) knows.
    /// </summary>
    public static async Task WriteRollupsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, ElementHistory? element, List<Record> records, long batch,
        CancellationToken cancellationToken)
    {
        await CopyRollupsAsync(connection, records, cancellationToken);
        if (element is null)
        {
            return;
        }

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

    /// <summary>
    /// One raw record per row and hour of the batch's new values, ordered by row, time and column. <paramref name="meanwhile"/>
    /// runs once the rows are written (all but the last buffer sent), while the server is still inserting them.
    /// </summary>
    public static async Task CopyPointsAsync(
        NpgsqlConnection connection, PointEntry[] fresh, int count, long batch, Action meanwhile, CancellationToken cancellationToken)
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

        meanwhile();
        await importer.CompleteAsync(cancellationToken);
    }

    /// <summary>One rollup record: the aggregates of one row's span of buckets written by one batch (or merged from several).</summary>
    internal sealed record Record(long Row, short Resolution, long SpanStart, long Batch, byte[] Data);
}
