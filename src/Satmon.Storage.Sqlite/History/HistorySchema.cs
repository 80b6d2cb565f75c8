using Satmon.Core.History.Packing;
using Microsoft.Data.Sqlite;

namespace Satmon.Storage.Sqlite.History;

/// <summary>
/// The history tables since schema version 4. A series is one column of one table row: the row has an id
/// (<c>history_rows</c>) and the column a small number per table (<c>history_columns</c>), so the 21 trended columns of
/// a terminal share one identity row, one raw row per timestamp and one rollup row per bucket, with the columns' values
/// packed in a blob (<see cref="PackedPoints"/>, <see cref="PackedRollups"/>).
/// </summary>
internal static class HistorySchema
{
    /// <summary>
    /// Migration 4. Numbers the series of the version-2 layout into tables, columns and rows; their points and rollups
    /// are moved by <see cref="LegacyHistoryImport"/> right after migrating, because packing values needs code.
    /// </summary>
    public const string Version4Sql = """
        CREATE TABLE history_tables (
            id INTEGER PRIMARY KEY,
            element_id TEXT NOT NULL,
            table_name TEXT NOT NULL,
            UNIQUE (element_id, table_name)
        );
        CREATE TABLE history_columns (
            table_id INTEGER NOT NULL,
            column_no INTEGER NOT NULL,      -- 0 to 32767, in order of first appearance
            column_name TEXT NOT NULL,
            PRIMARY KEY (table_id, column_no),
            UNIQUE (table_id, column_name)
        ) WITHOUT ROWID;
        CREATE TABLE history_rows (
            id INTEGER PRIMARY KEY,
            table_id INTEGER NOT NULL,
            row_key TEXT NOT NULL,
            UNIQUE (table_id, row_key)
        );
        -- Hour first (Unix ms / 3 600 000): a batch of recent points lands in the last pages of the tree instead of
        -- one place per row, and retention deletes whole hours from its start. A row's range query seeks once per hour.
        CREATE TABLE history_points (
            hour INTEGER NOT NULL,
            row_id INTEGER NOT NULL,
            t INTEGER NOT NULL,
            data BLOB NOT NULL,
            PRIMARY KEY (hour, row_id, t)
        ) WITHOUT ROWID;
        CREATE TABLE history_5m (
            row_id INTEGER NOT NULL,
            bucket_start INTEGER NOT NULL,
            data BLOB NOT NULL,
            PRIMARY KEY (row_id, bucket_start)
        ) WITHOUT ROWID;
        CREATE TABLE history_1h (
            row_id INTEGER NOT NULL,
            bucket_start INTEGER NOT NULL,
            data BLOB NOT NULL,
            PRIMARY KEY (row_id, bucket_start)
        ) WITHOUT ROWID;
        CREATE TABLE history_1d (
            row_id INTEGER NOT NULL,
            bucket_start INTEGER NOT NULL,
            data BLOB NOT NULL,
            PRIMARY KEY (row_id, bucket_start)
        ) WITHOUT ROWID;
        INSERT INTO history_tables (element_id, table_name)
            SELECT DISTINCT element_id, table_name FROM series ORDER BY element_id, table_name;
        INSERT INTO history_columns (table_id, column_no, column_name)
            SELECT t.id, row_number() OVER (PARTITION BY t.id ORDER BY c.column_name) - 1, c.column_name
            FROM (SELECT DISTINCT element_id, table_name, column_name FROM series) c
            JOIN history_tables t ON t.element_id = c.element_id AND t.table_name = c.table_name;
        INSERT INTO history_rows (table_id, row_key)
            SELECT DISTINCT t.id, s.row_key
            FROM series s JOIN history_tables t ON t.element_id = s.element_id AND t.table_name = s.table_name
            ORDER BY t.id, s.row_key;
        """;

    /// <summary>Largest column number: the packed formats keep one bit of the 16-bit column number for a flag.</summary>
    public const int MaxColumnNo = 0x7FFF;

    public const long HourMs = PackedPoints.HourMs;

    /// <summary>Floor of Unix ms to the hour number, also before 1970.</summary>
    public static long Hour(long time) => PackedPoints.Hour(time);

    /// <summary>
    /// Deletes an element's history inside the caller's write transaction; returns how many row series went.
    /// Raw points are keyed by hour first, so their delete scans the raw table: deleting an element is rare.
    /// </summary>
    public static int DeleteElement(SqliteConnection connection, SqliteTransaction transaction, string elementId)
    {
        const string Rows = "SELECT r.id FROM history_rows r JOIN history_tables t ON t.id = r.table_id WHERE t.element_id = $e";
        foreach (var table in new[] { "history_points", "history_5m", "history_1h", "history_1d" })
        {
            Sql.Execute(connection, transaction, $"DELETE FROM {table} WHERE row_id IN ({Rows})", ("$e", elementId));
        }

        var rows = Sql.Execute(connection, transaction, "DELETE FROM history_rows WHERE id IN (" + Rows + ")", ("$e", elementId));
        Sql.Execute(connection, transaction,
            "DELETE FROM history_columns WHERE table_id IN (SELECT id FROM history_tables WHERE element_id = $e)", ("$e", elementId));
        Sql.Execute(connection, transaction, "DELETE FROM history_tables WHERE element_id = $e", ("$e", elementId));
        return rows;
    }
}
