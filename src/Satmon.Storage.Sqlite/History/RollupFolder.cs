using Microsoft.Data.Sqlite;
using Satmon.Core.History;

namespace Satmon.Storage.Sqlite.History;

/// <summary>
/// Folds new points into the rollup tables. The points come sorted by series and time, so each bucket's points
/// are adjacent: one pass aggregates them into 5-minute buckets, whose aggregates combine exactly into hours and
/// hours into days. One upsert per bucket then merges an aggregate into the stored one (min of mins, max of maxes,
/// sums and counts added), which stays exact however late a point arrives.
/// </summary>
internal sealed class RollupFolder
{
    private const int RowsPerUpsert = 32;
    private static readonly Resolution[] Levels = [Resolution.FiveMinutes, Resolution.OneHour, Resolution.OneDay];
    private readonly List<Bucket>[] _buckets = [[], [], []];

    public static string TableName(Resolution resolution) => resolution switch
    {
        Resolution.FiveMinutes => "rollup_5m",
        Resolution.OneHour => "rollup_1h",
        Resolution.OneDay => "rollup_1d",
        _ => throw new ArgumentOutOfRangeException(nameof(resolution), resolution, "Raw has no rollup table."),
    };

    private static readonly string[] UpsertOne = Levels.Select(r => Upsert(TableName(r), 1)).ToArray();
    private static readonly string[] UpsertMany = Levels.Select(r => Upsert(TableName(r), RowsPerUpsert)).ToArray();

    private static string Upsert(string table, int rows) => $"""
        INSERT INTO {table} (series_id, bucket_start, min_value, max_value, sum_value, count)
        VALUES {string.Join(", ", Enumerable.Repeat("(?, ?, ?, ?, ?, ?)", rows))}
        ON CONFLICT (series_id, bucket_start) DO UPDATE SET
            min_value = min(min_value, excluded.min_value),
            max_value = max(max_value, excluded.max_value),
            sum_value = sum_value + excluded.sum_value,
            count = count + excluded.count
        """;

    /// <summary>Called on the write connection inside the ingest transaction; the folder's buffers are not shared.</summary>
    public void Fold(SqliteDatabase db, SqliteConnection connection, ReadOnlySpan<PointEntry> fresh)
    {
        foreach (var list in _buckets)
        {
            list.Clear();
        }

        Aggregate(fresh, _buckets[0]);
        Combine(_buckets[0], Width(Resolution.OneHour), _buckets[1]);
        Combine(_buckets[1], Width(Resolution.OneDay), _buckets[2]);
        for (var level = 0; level < Levels.Length; level++)
        {
            Write(db, connection, level, _buckets[level]);
        }
    }

    private static long Width(Resolution resolution) => (long)Resolutions.BucketWidth(resolution).TotalMilliseconds;

    private static void Aggregate(ReadOnlySpan<PointEntry> fresh, List<Bucket> buckets)
    {
        var width = Width(Resolution.FiveMinutes);
        var i = 0;
        while (i < fresh.Length)
        {
            var seriesId = fresh[i].SeriesId;
            var start = BucketStart(fresh[i].Time, width);
            var end = start + width;
            double min = fresh[i].Value, max = min, sum = 0;
            var count = 0L;
            for (; i < fresh.Length && fresh[i].SeriesId == seriesId && fresh[i].Time < end; i++)
            {
                var value = fresh[i].Value;
                min = Math.Min(min, value);
                max = Math.Max(max, value);
                sum += value;
                count++;
            }

            buckets.Add(new Bucket(seriesId, start, min, max, sum, count));
        }
    }

    /// <summary>Merges adjacent finer buckets of one series into coarser ones (widths divide evenly).</summary>
    private static void Combine(List<Bucket> finer, long width, List<Bucket> coarser)
    {
        foreach (var bucket in finer)
        {
            var start = BucketStart(bucket.Start, width);
            if (coarser.Count > 0 && coarser[^1].SeriesId == bucket.SeriesId && coarser[^1].Start == start)
            {
                var last = coarser[^1];
                coarser[^1] = last with
                {
                    Min = Math.Min(last.Min, bucket.Min),
                    Max = Math.Max(last.Max, bucket.Max),
                    Sum = last.Sum + bucket.Sum,
                    Count = last.Count + bucket.Count,
                };
            }
            else
            {
                coarser.Add(bucket with { Start = start });
            }
        }
    }

    private static void Write(SqliteDatabase db, SqliteConnection connection, int level, List<Bucket> buckets)
    {
        var i = 0;
        if (buckets.Count >= RowsPerUpsert)
        {
            // Many rows per statement: SQLite's per-statement work is paid once per 32 buckets.
            var many = db.WriterStatement(connection, UpsertMany[level]);
            for (; i + RowsPerUpsert <= buckets.Count; i += RowsPerUpsert)
            {
                for (var r = 0; r < RowsPerUpsert; r++)
                {
                    Bind(many, r * 6, buckets[i + r]);
                }

                many.Execute();
            }
        }

        if (i < buckets.Count)
        {
            var one = db.WriterStatement(connection, UpsertOne[level]);
            for (; i < buckets.Count; i++)
            {
                Bind(one, 0, buckets[i]);
                one.Execute();
            }
        }
    }

    private static void Bind(RawStatement statement, int offset, Bucket bucket)
    {
        statement.Bind(offset + 1, bucket.SeriesId);
        statement.Bind(offset + 2, bucket.Start);
        statement.Bind(offset + 3, bucket.Min);
        statement.Bind(offset + 4, bucket.Max);
        statement.Bind(offset + 5, bucket.Sum);
        statement.Bind(offset + 6, bucket.Count);
    }

    /// <summary>Floor to the bucket width, like <see cref="Resolutions.BucketStart"/>, in integer arithmetic.</summary>
    private static long BucketStart(long time, long width)
    {
        var q = Math.DivRem(time, width, out var remainder);
        return (remainder < 0 ? q - 1 : q) * width;
    }

    private readonly record struct Bucket(long SeriesId, long Start, double Min, double Max, double Sum, long Count);
}
