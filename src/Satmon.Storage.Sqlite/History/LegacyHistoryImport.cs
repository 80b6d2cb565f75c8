using Satmon.Core.History.Packing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Satmon.Core.History;

namespace Satmon.Storage.Sqlite.History;

/// <summary>
/// Moves the points and rollups of the version-2 layout (one series row per column: <c>series</c>,
/// <c>history_raw</c>, <c>rollup_5m/1h/1d</c>) into the packed tables of version 4, then drops the old tables, all in
/// one transaction: a crash leaves the old tables in place and the next start moves them again. Migration 4 has already
/// numbered their tables, columns and rows. Old rows are read in key order, without a sort, and each is upserted: values
/// of one row and time (or bucket) from several old series meet in the merge functions.
/// </summary>
internal static partial class LegacyHistoryImport
{
    private static readonly (string Old, Resolution Level)[] Rollups =
        [("rollup_5m", Resolution.FiveMinutes), ("rollup_1h", Resolution.OneHour), ("rollup_1d", Resolution.OneDay)];

    /// <summary>Imports if the old tables exist; returns whether it did. Runs under the write lock.</summary>
    public static bool Run(SqliteConnection connection, string path, ILogger logger)
    {
        if (Sql.Scalar(connection, null, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'history_raw'") is null)
        {
            return false;
        }

        RollupFolder.RegisterFunctions(connection);
        using var transaction = connection.BeginTransaction(deferred: false);
        Sql.Execute(connection, transaction, """
            CREATE TEMP TABLE legacy_series (series_id INTEGER PRIMARY KEY, row_id INTEGER NOT NULL, column_no INTEGER NOT NULL);
            INSERT INTO legacy_series (series_id, row_id, column_no)
                SELECT s.id, r.id, c.column_no
                FROM series s
                JOIN history_tables t ON t.element_id = s.element_id AND t.table_name = s.table_name
                JOIN history_rows r ON r.table_id = t.id AND r.row_key = s.row_key
                JOIN history_columns c ON c.table_id = t.id AND c.column_name = s.column_name;
            """);

        var points = 0L;
        using (var read = Sql.Command(connection, transaction,
            "SELECT m.row_id, m.column_no, h.t, h.value FROM history_raw h JOIN legacy_series m ON m.series_id = h.series_id"))
        using (var write = Sql.Command(connection, transaction, """
            INSERT INTO history_points (hour, row_id, t, data) VALUES ($h, $r, $t, $d)
            ON CONFLICT (hour, row_id, t) DO UPDATE SET data = satmon_points_merge(data, excluded.data)
            """))
        using (var reader = read.ExecuteReader())
        {
            var (hour, row, time, data) = (Add(write, "$h"), Add(write, "$r"), Add(write, "$t"), Add(write, "$d", SqliteType.Blob));
            var blob = new byte[PackedPoints.GroupBytes + PackedPoints.ValueBytes];
            while (reader.Read())
            {
                var t = reader.GetInt64(2);
                var h = HistorySchema.Hour(t);
                PackedPoints.Write(blob, h, [new PointEntry(0, t, reader.GetDouble(3), reader.GetInt32(1), 0, 0)]);
                (hour.Value, row.Value, time.Value, data.Value) = (h, reader.GetInt64(0), t, blob);
                write.ExecuteNonQuery();
                points++;
            }
        }

        var buckets = 0L;
        foreach (var (old, level) in Rollups)
        {
            using var read = Sql.Command(connection, transaction,
                $"SELECT m.row_id, m.column_no, o.bucket_start, o.min_value, o.max_value, o.sum_value, o.count FROM {old} o JOIN legacy_series m ON m.series_id = o.series_id");
            using var write = Sql.Command(connection, transaction, $"""
                INSERT INTO {RollupFolder.TableName(level)} (row_id, bucket_start, data) VALUES ($r, $b, $d)
                ON CONFLICT (row_id, bucket_start) DO UPDATE SET data = satmon_rollup_merge(data, excluded.data)
                """);
            using var reader = read.ExecuteReader();
            var (row, bucket, data) = (Add(write, "$r"), Add(write, "$b"), Add(write, "$d", SqliteType.Blob));
            var blob = new byte[PackedRollups.MaxEntryBytes];
            while (reader.Read())
            {
                var aggregate = new Aggregate(reader.GetDouble(3), reader.GetDouble(4), reader.GetDouble(5), reader.GetInt64(6));
                var length = PackedRollups.Write(blob, reader.GetInt32(1), aggregate);
                (row.Value, bucket.Value, data.Value) = (reader.GetInt64(0), reader.GetInt64(2), blob[..length]);
                write.ExecuteNonQuery();
                buckets++;
            }
        }

        Sql.Execute(connection, transaction, """
            DROP TABLE legacy_series;
            DROP TABLE history_raw;
            DROP TABLE rollup_5m;
            DROP TABLE rollup_1h;
            DROP TABLE rollup_1d;
            DROP TABLE series;
            """);
        transaction.Commit();
        LogImported(logger, points, buckets, path);
        return true;
    }

    private static SqliteParameter Add(SqliteCommand command, string name, SqliteType type = SqliteType.Integer) => command.Parameters.Add(name, type);

    [LoggerMessage(40, LogLevel.Information, "Moved {Points} history points and {Buckets} rollup buckets of {Path} into the packed history tables (schema 4)")]
    private static partial void LogImported(ILogger logger, long points, long buckets, string path);
}
