using System.Buffers;
using Npgsql;
using NpgsqlTypes;
using Satmon.Core.History;
using Satmon.Core.History.Packing;

namespace Satmon.Storage.Postgres.History;

/// <summary>
/// Writes a batch's new values, ordered by row, time and column: one raw record per row and hour (always new: its key
/// holds the batch number) and the rollup spans they fall in. A span can only be stored already when a value of it is:
/// one at or before the row's latest stored time, or one behind the raw watermark whose raw record retention removed.
/// Only those spans are read (and locked against retention) and merged in C#; all other records go in with binary COPY.
/// </summary>
internal static class HistoryRecords
{
    private const string PointsCopySql = "COPY history_points (row_id, hour, batch, last_t, data) FROM STDIN (FORMAT BINARY)";
    private const string RollupsCopySql = "COPY history_rollups (row_id, resolution, span_start, data) FROM STDIN (FORMAT BINARY)";

    private const string StoredRollupsSql = """
        SELECT h.row_id, h.resolution, h.span_start, h.data
        FROM unnest(@rows, @resolutions, @spans) AS u(r, res, s)
        JOIN history_rollups h ON h.row_id = u.r AND h.resolution = u.res AND h.span_start = u.s
        ORDER BY 1, 2, 3
        FOR UPDATE OF h
        """;

    private const string UpdateRollupsSql = """
        UPDATE history_rollups h SET data = u.d
        FROM unnest(@rows, @resolutions, @spans, @data) AS u(r, res, s, d)
        WHERE h.row_id = u.r AND h.resolution = u.res AND h.span_start = u.s
        """;

    private static readonly Resolution[] Rollups = [Resolution.FiveMinutes, Resolution.OneHour, Resolution.OneDay];

    public static async Task WriteAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, ElementHistory element, PointEntry[] fresh, int count, Dictionary<long, long> previous,
        long batch, long cutoff, CancellationToken cancellationToken)
    {
        await CopyPointsAsync(connection, fresh, count, batch, cancellationToken);

        var records = new List<Record>();
        foreach (var resolution in Rollups)
        {
            Fold(fresh, count, resolution, records);
        }

        // Three kinds: spans this node wrote last (cached: merged without a read), spans that may be stored (read and
        // merged), and spans that cannot be stored yet (copied).
        List<Record> inserts = [], updates = [], unknown = [];
        foreach (var record in records)
        {
            if (element.Spans.TryGetValue((record.Row, record.Resolution), out var cached) && cached.SpanStart == record.SpanStart)
            {
                updates.Add(record with { Data = PackedRollupSpans.Merge(cached.Data, record.Data) });
            }
            else if (record.SpanStart <= previous[record.Row] || record.SpanStart < cutoff)
            {
                unknown.Add(record);
            }
            else
            {
                inserts.Add(record);
            }
        }

        if (unknown.Count > 0)
        {
            var added = unknown.ToDictionary(r => (r.Row, r.Resolution, r.SpanStart));
            await using (var command = Pg.Command(connection, transaction, StoredRollupsSql,
                ("rows", unknown.Select(r => r.Row).ToArray()), ("resolutions", unknown.Select(r => r.Resolution).ToArray()),
                ("spans", unknown.Select(r => r.SpanStart).ToArray())))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    var key = (reader.GetInt64(0), reader.GetInt16(1), reader.GetInt64(2));
                    updates.Add(added[key] with { Data = PackedRollupSpans.Merge(reader.GetFieldValue<byte[]>(3), added[key].Data) });
                    added.Remove(key);
                }
            }

            inserts.AddRange(added.Values);
        }

        if (updates.Count > 0)
        {
            await using var update = Pg.Command(connection, transaction, UpdateRollupsSql,
                ("rows", updates.Select(r => r.Row).ToArray()), ("resolutions", updates.Select(r => r.Resolution).ToArray()),
                ("spans", updates.Select(r => r.SpanStart).ToArray()));
            update.Parameters.Add(new NpgsqlParameter("data", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = updates.Select(r => r.Data).ToArray() });
            var updated = await update.ExecuteNonQueryAsync(cancellationToken);
            if (updated != updates.Count)
            {
                // Only a cache that no longer matches the database can cause this; the caller drops the cache.
                throw new InvalidOperationException($"Updated {updated} of {updates.Count} history rollup records; the cached spans were stale.");
            }
        }

        if (inserts.Count > 0)
        {
            await using var importer = await connection.BeginBinaryImportAsync(RollupsCopySql, cancellationToken);
            foreach (var record in inserts)
            {
                await importer.StartRowAsync(cancellationToken);
                await importer.WriteAsync(record.Row, NpgsqlDbType.Bigint, cancellationToken);
                await importer.WriteAsync(record.Resolution, NpgsqlDbType.Smallint, cancellationToken);
                await importer.WriteAsync(record.SpanStart, NpgsqlDbType.Bigint, cancellationToken);
                await importer.WriteAsync(record.Data, NpgsqlDbType.Bytea, cancellationToken);
            }

            await importer.CompleteAsync(cancellationToken);
        }

        foreach (var record in (IEnumerable<Record>)[.. updates, .. inserts])
        {
            var key = (record.Row, record.Resolution);
            if (!element.Spans.TryGetValue(key, out var cached) || cached.SpanStart <= record.SpanStart)
            {
                element.Spans[key] = (record.SpanStart, record.Data);
            }
        }
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
    private static void Fold(PointEntry[] fresh, int count, Resolution resolution, List<Record> records)
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
                records.Add(new Record(row, code, span, buffer.WrittenSpan.ToArray()));
                buffer.ResetWrittenCount();
            }
        }
    }

    private sealed record Record(long Row, short Resolution, long SpanStart, byte[] Data);
}
