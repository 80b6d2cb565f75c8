using System.Buffers;
using Npgsql;
using NpgsqlTypes;
using Satmon.Core.History;

namespace Satmon.Storage.Postgres.History;

/// <summary>
/// The ingest path of <see cref="PostgresHistoryStore.WriteAsync"/>: resolve series ids, order the batch by
/// (series, time, arrival) and drop repeats within it, binary-COPY the rest into a temporary staging table, then
/// one statement inserts them into history_raw (ON CONFLICT DO NOTHING where a point may be stored already) and
/// folds exactly the rows it inserted into the three rollup tables. Deduplication against stored points is left to
/// the primary key, so several nodes may write the same series at once and each point is stored and counted once.
/// </summary>
internal sealed class HistoryIngest(NpgsqlDataSource dataSource, SeriesIds series)
{
    private const string StageSql =
        "CREATE TEMPORARY TABLE history_stage (series_id bigint NOT NULL, t bigint NOT NULL, value double precision NOT NULL) ON COMMIT DROP";

    private const string CopySql = "COPY history_stage (series_id, t, value) FROM STDIN (FORMAT BINARY)";

    // The rows a statement inserted, as "fresh": RETURNING yields only those, so the rollups fold each stored point
    // exactly once, whatever was stored before or is being stored by another node. Points older than the raw
    // retention watermark are left out; the watermark is read in the same statement, so every node honours the
    // latest one without keeping it in memory.
    //
    // The usual batch holds points newer than anything stored for their series. Those go in with a plain INSERT,
    // which costs PostgreSQL about half of an INSERT ... ON CONFLICT (no speculative insertion); the rest, late
    // or re-delivered points, take ON CONFLICT DO NOTHING. "Newer" is judged from the table in this statement's
    // snapshot, so a point another node stores meanwhile makes the plain INSERT fail with a unique violation
    // rather than be stored twice; the batch is then run again with MergeAllSql.
    private const string AppendOrMergeSql = """
        WITH latest AS MATERIALIZED (
            SELECT g.series_id, coalesce((SELECT max(h.t) FROM history_raw h WHERE h.series_id = g.series_id), -9223372036854775808) AS max_t
            FROM (SELECT DISTINCT series_id FROM history_stage) g
        ),
        appended AS (
            INSERT INTO history_raw (series_id, t, value)
            SELECT s.series_id, s.t, s.value FROM history_stage s JOIN latest l USING (series_id)
            WHERE s.t > l.max_t AND s.t >= (SELECT raw_cutoff FROM history_watermark WHERE id = 1)
            RETURNING series_id, t, value
        ),
        merged AS (
            INSERT INTO history_raw (series_id, t, value)
            SELECT s.series_id, s.t, s.value FROM history_stage s JOIN latest l USING (series_id)
            WHERE s.t <= l.max_t AND s.t >= (SELECT raw_cutoff FROM history_watermark WHERE id = 1)
            ON CONFLICT DO NOTHING
            RETURNING series_id, t, value
        ),
        fresh AS (
            SELECT series_id, t, value FROM appended
            UNION ALL
            SELECT series_id, t, value FROM merged
        ),
        """;

    private const string MergeAllSql = """
        WITH fresh AS (
            INSERT INTO history_raw (series_id, t, value)
            SELECT series_id, t, value FROM history_stage
            WHERE t >= (SELECT raw_cutoff FROM history_watermark WHERE id = 1)
            ON CONFLICT DO NOTHING
            RETURNING series_id, t, value
        ),
        """;

    // Folds "fresh" into the rollups. Data-modifying CTEs all run to completion even though only b5 is read at the
    // end. Buckets are merged (least/greatest, sums and counts added), which stays exact however late a point
    // arrives; hours and days are combined from the 5-minute aggregates (the widths divide evenly). Rows go in key
    // order so that concurrent writers take their row locks in the same order. Bucket starts use floor division,
    // so points before 1970 land in the right bucket.
    private const string FoldSql = """
        b5 AS MATERIALIZED (
            SELECT series_id, t - ((t % 300000) + 300000) % 300000 AS bucket_start,
                   min(value) AS min_value, max(value) AS max_value, sum(value) AS sum_value, count(*) AS count
            FROM fresh
            GROUP BY 1, 2
        ),
        r5 AS (
            INSERT INTO rollup_5m AS r (series_id, bucket_start, min_value, max_value, sum_value, count)
            SELECT series_id, bucket_start, min_value, max_value, sum_value, count FROM b5
            ORDER BY series_id, bucket_start
            ON CONFLICT (series_id, bucket_start) DO UPDATE SET
                min_value = least(r.min_value, excluded.min_value),
                max_value = greatest(r.max_value, excluded.max_value),
                sum_value = r.sum_value + excluded.sum_value,
                count = r.count + excluded.count
        ),
        r1h AS (
            INSERT INTO rollup_1h AS r (series_id, bucket_start, min_value, max_value, sum_value, count)
            SELECT series_id, bucket_start - ((bucket_start % 3600000) + 3600000) % 3600000,
                   min(min_value), max(max_value), sum(sum_value), sum(count)
            FROM b5
            GROUP BY 1, 2
            ORDER BY 1, 2
            ON CONFLICT (series_id, bucket_start) DO UPDATE SET
                min_value = least(r.min_value, excluded.min_value),
                max_value = greatest(r.max_value, excluded.max_value),
                sum_value = r.sum_value + excluded.sum_value,
                count = r.count + excluded.count
        ),
        r1d AS (
            INSERT INTO rollup_1d AS r (series_id, bucket_start, min_value, max_value, sum_value, count)
            SELECT series_id, bucket_start - ((bucket_start % 86400000) + 86400000) % 86400000,
                   min(min_value), max(max_value), sum(sum_value), sum(count)
            FROM b5
            GROUP BY 1, 2
            ORDER BY 1, 2
            ON CONFLICT (series_id, bucket_start) DO UPDATE SET
                min_value = least(r.min_value, excluded.min_value),
                max_value = greatest(r.max_value, excluded.max_value),
                sum_value = r.sum_value + excluded.sum_value,
                count = r.count + excluded.count
        )
        SELECT coalesce(sum(count), 0)::integer FROM b5
        """;

    private const string AppendOrMergeFoldSql = AppendOrMergeSql + "\n" + FoldSql;
    private const string MergeAllFoldSql = MergeAllSql + "\n" + FoldSql;

    public async Task<int> WriteAsync(string elementId, IReadOnlyList<HistoryPoint> points, CancellationToken cancellationToken)
    {
        var entries = ArrayPool<Entry>.Shared.Rent(points.Count);
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            var count = await ResolveAsync(connection, elementId, points, entries, cancellationToken);
            var span = entries.AsSpan(0, count);
            span.Sort();
            count = DropRepeats(span);
            if (count == 0)
            {
                return 0;
            }

            try
            {
                return await StoreAsync(connection, entries, count, AppendOrMergeFoldSql, cancellationToken);
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DeadlockDetected)
            {
                // Another node stored some of these points since the snapshot (or locked rows in another order).
                // Nothing of this batch was kept; the merge-only statement cannot hit a unique violation.
                return await StoreAsync(connection, entries, count, MergeAllFoldSql, cancellationToken);
            }
        }
        finally
        {
            ArrayPool<Entry>.Shared.Return(entries);
        }
    }

    /// <summary>Stages the points and runs <paramref name="sql"/> in one transaction; returns how many points were new.</summary>
    private static async Task<int> StoreAsync(NpgsqlConnection connection, Entry[] entries, int count, string sql, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var stage = new NpgsqlCommand(StageSql, connection, transaction))
        {
            await stage.ExecuteNonQueryAsync(cancellationToken);
        }

        await CopyAsync(connection, entries, count, cancellationToken);
        int fresh;
        await using (var fold = new NpgsqlCommand(sql, connection, transaction))
        {
            fresh = (int)(await fold.ExecuteScalarAsync(cancellationToken))!;
        }

        await transaction.CommitAsync(cancellationToken);
        return fresh;
    }

    /// <summary>Fills <paramref name="entries"/> with the finite points and their series ids; returns how many.</summary>
    private async Task<int> ResolveAsync(NpgsqlConnection connection, string elementId, IReadOnlyList<HistoryPoint> points, Entry[] entries, CancellationToken cancellationToken)
    {
        var known = series.Element(elementId);
        HashSet<SeriesName>? missing = null;
        foreach (var point in points)
        {
            var name = new SeriesName(point.Table, point.Key, point.Column);
            if (double.IsFinite(point.Value) && !known.ContainsKey(name))
            {
                (missing ??= []).Add(name);
            }
        }

        if (missing is not null)
        {
            await SeriesIds.CreateAsync(connection, elementId, known, missing, cancellationToken);
        }

        var count = 0;
        SeriesName last = default;
        long lastId = -1;
        for (var i = 0; i < points.Count; i++)
        {
            var point = points[i];
            if (!double.IsFinite(point.Value))
            {
                // NaN and infinities would poison every rollup sum they are added to.
                continue;
            }

            // Points of one series often come together: look up a key only when it changes.
            if (lastId < 0 || point.Table != last.Table || point.Key != last.Key || point.Column != last.Column)
            {
                last = new SeriesName(point.Table, point.Key, point.Column);
                lastId = known[last];
            }

            entries[count++] = new Entry(lastId, point.Time.ToUnixTimeMilliseconds(), point.Value, i);
        }

        return count;
    }

    /// <summary>Removes repeats of a (series, time) within the sorted batch, keeping the first arrival; returns how many remain.</summary>
    private static int DropRepeats(Span<Entry> sorted)
    {
        var kept = 0;
        for (var i = 0; i < sorted.Length; i++)
        {
            if (kept > 0 && sorted[i].SeriesId == sorted[kept - 1].SeriesId && sorted[i].Time == sorted[kept - 1].Time)
            {
                continue;
            }

            sorted[kept++] = sorted[i];
        }

        return kept;
    }

    private static async Task CopyAsync(NpgsqlConnection connection, Entry[] entries, int count, CancellationToken cancellationToken)
    {
        await using var importer = await connection.BeginBinaryImportAsync(CopySql, cancellationToken);
        for (var i = 0; i < count; i++)
        {
            var entry = entries[i];
            await importer.StartRowAsync(cancellationToken);
            await importer.WriteAsync(entry.SeriesId, NpgsqlDbType.Bigint, cancellationToken);
            await importer.WriteAsync(entry.Time, NpgsqlDbType.Bigint, cancellationToken);
            await importer.WriteAsync(entry.Value, NpgsqlDbType.Double, cancellationToken);
        }

        await importer.CompleteAsync(cancellationToken);
    }

    /// <summary>A point ready to stage: series id, Unix ms, value and arrival position (the tie-break: first wins).</summary>
    private readonly record struct Entry(long SeriesId, long Time, double Value, int Arrival) : IComparable<Entry>
    {
        public int CompareTo(Entry other)
        {
            var c = SeriesId.CompareTo(other.SeriesId);
            if (c == 0)
            {
                c = Time.CompareTo(other.Time);
            }

            return c != 0 ? c : Arrival.CompareTo(other.Arrival);
        }
    }
}
