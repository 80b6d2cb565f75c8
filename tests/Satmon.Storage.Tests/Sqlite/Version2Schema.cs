using Microsoft.Data.Sqlite;

namespace Satmon.Storage.Tests.Sqlite;

/// <summary>
/// The SQLite schema as migrations 1 and 2 shipped it, written out here rather than taken from the store's code, so
/// that a test can build a version-2 database the way an older Satmon left it.
/// </summary>
internal static class Version2Schema
{
    /// <summary>Creates the version-2 database file at <paramref name="path"/> with <paramref name="rows"/> (SQL inserts) in it.</summary>
    public static void CreateFile(string path, string rows)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = Sql + rows;
        command.ExecuteNonQuery();
    }

    public const string Sql = """
        CREATE TABLE schema_version (
            version INTEGER NOT NULL PRIMARY KEY,
            name TEXT NOT NULL,
            applied_at INTEGER NOT NULL
        );
        INSERT INTO schema_version (version, name, applied_at) VALUES (1, 'initial schema', 0), (2, 'history retention watermark', 0);
        CREATE TABLE elements (
            id TEXT NOT NULL PRIMARY KEY,
            name TEXT NOT NULL,
            connector TEXT NOT NULL,
            settings TEXT NOT NULL,          -- JSON object of invariant strings; secret values arrive encrypted
            enabled INTEGER NOT NULL,
            state TEXT NOT NULL,
            state_message TEXT,
            created_at INTEGER NOT NULL      -- Unix ms, like every time in this schema
        );
        CREATE TABLE poll_tasks (
            element_id TEXT NOT NULL,
            task TEXT NOT NULL,
            enabled INTEGER NOT NULL,
            custom_interval_ms INTEGER,
            status TEXT NOT NULL,
            reason TEXT,
            last_start INTEGER,
            last_duration_ms INTEGER,
            next_poll INTEGER,
            not_before INTEGER,
            PRIMARY KEY (element_id, task)
        ) WITHOUT ROWID;
        CREATE TABLE element_state (
            element_id TEXT NOT NULL,
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (element_id, key)
        ) WITHOUT ROWID;
        CREATE TABLE api_keys (
            id TEXT NOT NULL PRIMARY KEY,
            name TEXT NOT NULL,
            role TEXT NOT NULL,
            hash TEXT NOT NULL COLLATE NOCASE UNIQUE,
            created_at INTEGER NOT NULL
        );
        -- Registry of current-value tables: the physical table and the column mapping of each (element, table).
        CREATE TABLE data_tables (
            element_id TEXT NOT NULL,
            name TEXT NOT NULL,
            physical_name TEXT NOT NULL UNIQUE,
            columns TEXT NOT NULL,
            PRIMARY KEY (element_id, name)
        );
        CREATE TABLE series (
            id INTEGER PRIMARY KEY,
            element_id TEXT NOT NULL,
            table_name TEXT NOT NULL,
            row_key TEXT NOT NULL,
            column_name TEXT NOT NULL,
            UNIQUE (element_id, table_name, row_key, column_name)
        );
        CREATE TABLE history_raw (
            series_id INTEGER NOT NULL,
            t INTEGER NOT NULL,
            value REAL NOT NULL,
            PRIMARY KEY (series_id, t)
        ) WITHOUT ROWID;
        CREATE TABLE rollup_5m (
            series_id INTEGER NOT NULL,
            bucket_start INTEGER NOT NULL,
            min_value REAL NOT NULL,
            max_value REAL NOT NULL,
            sum_value REAL NOT NULL,
            count INTEGER NOT NULL,
            PRIMARY KEY (series_id, bucket_start)
        ) WITHOUT ROWID;
        CREATE TABLE rollup_1h (
            series_id INTEGER NOT NULL,
            bucket_start INTEGER NOT NULL,
            min_value REAL NOT NULL,
            max_value REAL NOT NULL,
            sum_value REAL NOT NULL,
            count INTEGER NOT NULL,
            PRIMARY KEY (series_id, bucket_start)
        ) WITHOUT ROWID;
        CREATE TABLE rollup_1d (
            series_id INTEGER NOT NULL,
            bucket_start INTEGER NOT NULL,
            min_value REAL NOT NULL,
            max_value REAL NOT NULL,
            sum_value REAL NOT NULL,
            count INTEGER NOT NULL,
            PRIMARY KEY (series_id, bucket_start)
        ) WITHOUT ROWID;
        CREATE TABLE objects (
            element_id TEXT NOT NULL,
            definition TEXT NOT NULL,
            id TEXT NOT NULL,
            fields TEXT NOT NULL,            -- JSON object; timestamps as ISO-8601 UTC text
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            PRIMARY KEY (element_id, definition, id)
        );
        CREATE INDEX objects_by_definition ON objects (definition, id);
        CREATE TABLE object_changes (
            seq INTEGER PRIMARY KEY,
            element_id TEXT NOT NULL,
            definition TEXT NOT NULL,
            object_id TEXT NOT NULL,
            time INTEGER NOT NULL,
            kind TEXT NOT NULL,
            changes TEXT                     -- JSON: field -> {old, new}; null unless kind = Updated
        );
        CREATE INDEX object_changes_by_object ON object_changes (definition, object_id, time);
        CREATE INDEX object_changes_by_element ON object_changes (element_id);

        -- Raw points older than this (Unix ms) were removed by retention; a re-delivered one cannot be told apart
        -- from a new one any more, so ingest ignores such points rather than count them twice in the rollups.
        CREATE TABLE history_watermark (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            raw_cutoff INTEGER NOT NULL
        );

        """;
}
