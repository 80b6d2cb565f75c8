using Satmon.Core.History.Packing;
using Microsoft.Data.Sqlite;
using Satmon.Core.History;

namespace Satmon.Storage.Sqlite.History;

/// <summary>
/// Folds new values into the rollup tables. The values come sorted by row and time, so each bucket's values are
/// adjacent: one pass aggregates them per column into 5-minute, 1-hour and 1-day buckets at once. One upsert per
/// (row, bucket) then merges the packed aggregates into the stored ones (min of mins, max of maxes, sums and counts
/// added, in <c>satmon_rollup_merge</c>), which stays exact however late a value arrives.
/// </summary>
internal sealed class RollupFolder
{
    private const int RowsPerUpsert = 32;
    private const string MergeFunction = "satmon_rollup_merge";
    private static readonly Resolution[] Levels = [Resolution.FiveMinutes, Resolution.OneHour, Resolution.OneDay];
    private static readonly string[] UpsertOne = [.. Levels.Select(r => Upsert(TableName(r), 1))];
    private static readonly string[] UpsertMany = [.. Levels.Select(r => Upsert(TableName(r), RowsPerUpsert))];
    private static readonly long[] Widths = [.. Levels.Select(r => (long)Resolutions.BucketWidth(r).TotalMilliseconds)];

    private readonly LevelBuffer[] _levels = [new(), new(), new()];

    public static string TableName(Resolution resolution) => resolution switch
    {
        Resolution.FiveMinutes => "history_5m",
        Resolution.OneHour => "history_1h",
        Resolution.OneDay => "history_1d",
        _ => throw new ArgumentOutOfRangeException(nameof(resolution), resolution, "Raw has no rollup table."),
    };

    private static string Upsert(string table, int rows) => $"""
        INSERT INTO {table} (row_id, bucket_start, data)
        VALUES {string.Join(", ", Enumerable.Repeat("(?, ?, ?)", rows))}
        ON CONFLICT (row_id, bucket_start) DO UPDATE SET data = {MergeFunction}(data, excluded.data)
        """;

    /// <summary>
    /// The merges of packed blobs that upserts on <paramref name="connection"/> call on a conflict: aggregates combine,
    /// and of two point sets the stored values win.
    /// </summary>
    public static void RegisterFunctions(SqliteConnection connection)
    {
        connection.CreateFunction<byte[], byte[], byte[]>(MergeFunction, PackedRollups.Merge, isDeterministic: true);
        connection.CreateFunction<byte[], byte[], byte[]>("satmon_points_merge", PackedPoints.Merge, isDeterministic: true);
    }

    /// <summary>Called on the write connection inside the ingest transaction; the folder's buffers are not shared.</summary>
    public void Fold(SqliteDatabase db, SqliteConnection connection, ReadOnlySpan<PointEntry> fresh)
    {
        var maxColumn = 0;
        foreach (var entry in fresh)
        {
            maxColumn = Math.Max(maxColumn, entry.Column);
        }

        for (var level = 0; level < Levels.Length; level++)
        {
            var buffer = _levels[level];
            buffer.Reset(maxColumn);
            foreach (var entry in fresh)
            {
                var bucket = BucketStart(entry.Time, Widths[level]);
                if (entry.RowId != buffer.RowId || bucket != buffer.Bucket)
                {
                    buffer.Flush();
                    buffer.RowId = entry.RowId;
                    buffer.Bucket = bucket;
                }

                buffer.Add(entry.Column, entry.Value);
            }

            buffer.Flush();
            Write(db, connection, level, buffer);
        }
    }

    private static void Write(SqliteDatabase db, SqliteConnection connection, int level, LevelBuffer buffer)
    {
        var rows = buffer.Rows;
        var i = 0;
        if (rows.Count >= RowsPerUpsert)
        {
            // Many rows per statement: SQLite's per-statement work is paid once per 32 buckets.
            var many = db.WriterStatement(connection, UpsertMany[level]);
            for (; i + RowsPerUpsert <= rows.Count; i += RowsPerUpsert)
            {
                for (var r = 0; r < RowsPerUpsert; r++)
                {
                    Bind(many, r * 3, rows[i + r], buffer);
                }

                many.Execute();
            }
        }

        if (i < rows.Count)
        {
            var one = db.WriterStatement(connection, UpsertOne[level]);
            for (; i < rows.Count; i++)
            {
                Bind(one, 0, rows[i], buffer);
                one.Execute();
            }
        }
    }

    private static void Bind(RawStatement statement, int offset, BucketRow row, LevelBuffer buffer)
    {
        statement.Bind(offset + 1, row.RowId);
        statement.Bind(offset + 2, row.Bucket);
        statement.Bind(offset + 3, buffer.Data.AsSpan(row.Offset, row.Length));
    }

    /// <summary>Floor to the bucket width, like <see cref="Resolutions.BucketStart"/>, in integer arithmetic.</summary>
    private static long BucketStart(long time, long width)
    {
        var q = Math.DivRem(time, width, out var remainder);
        return (remainder < 0 ? q - 1 : q) * width;
    }

    private readonly record struct BucketRow(long RowId, long Bucket, int Offset, int Length);

    /// <summary>The buckets of one level for one batch: aggregates per column while a bucket is open, then packed.</summary>
    private sealed class LevelBuffer
    {
        private Aggregate[] _byColumn = new Aggregate[64];
        private readonly List<int> _columns = [];

        public List<BucketRow> Rows { get; } = [];

        public byte[] Data { get; private set; } = new byte[64 * 1024];

        public int Length { get; private set; }

        public long RowId { get; set; } = long.MinValue;

        public long Bucket { get; set; }

        public void Reset(int maxColumn)
        {
            if (_byColumn.Length <= maxColumn)
            {
                _byColumn = new Aggregate[maxColumn + 1];
            }

            Rows.Clear();
            _columns.Clear();
            Length = 0;
            RowId = long.MinValue;
        }

        public void Add(int column, double value)
        {
            ref var aggregate = ref _byColumn[column];
            if (aggregate.Count == 0)
            {
                aggregate = Aggregate.Of(value);
                _columns.Add(column);
            }
            else
            {
                aggregate = aggregate.Add(value);
            }
        }

        public void Flush()
        {
            if (_columns.Count == 0)
            {
                return;
            }

            // Values arrive by time, then column: a bucket of several times lists its columns more than once over.
            _columns.Sort();
            var needed = Length + _columns.Count * PackedRollups.MaxEntryBytes;
            if (Data.Length < needed)
            {
                var grown = new byte[Math.Max(needed, Data.Length * 2)];
                Data.AsSpan(0, Length).CopyTo(grown);
                Data = grown;
            }

            var start = Length;
            foreach (var column in _columns)
            {
                Length += PackedRollups.Write(Data.AsSpan(Length), column, _byColumn[column]);
                _byColumn[column] = default;
            }

            Rows.Add(new BucketRow(RowId, Bucket, start, Length - start));
            _columns.Clear();
        }
    }
}
