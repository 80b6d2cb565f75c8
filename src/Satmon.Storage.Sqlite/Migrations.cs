using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Satmon.Storage.Sqlite;

/// <summary>
/// Ordered schema migrations. Each runs once, in its own transaction, and is recorded in <c>schema_version</c>.
/// Append new migrations at the end; never edit one that has shipped.
/// </summary>
internal static class Migrations
{
    public sealed record Migration(int Version, string Name, string Sql);

    public static IReadOnlyList<Migration> All { get; } =
    [
        new(1, "initial schema", """
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
            """),
        new(2, "history retention watermark", """
            -- Raw points older than this (Unix ms) were removed by retention; a re-delivered one cannot be told apart
            -- from a new one any more, so ingest ignores such points rather than count them twice in the rollups.
            CREATE TABLE history_watermark (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                raw_cutoff INTEGER NOT NULL
            );
            """),
        new(3, "cluster: nodes, element leases, requests between nodes", """
            CREATE TABLE cluster_nodes (
                node_id TEXT NOT NULL PRIMARY KEY,
                last_seen INTEGER NOT NULL
            );
            -- Only the holder of a live lease polls the element; epoch rises whenever the lease changes hands.
            CREATE TABLE element_leases (
                element_id TEXT NOT NULL PRIMARY KEY,
                node_id TEXT NOT NULL,
                expires_at INTEGER NOT NULL,
                epoch INTEGER NOT NULL
            );
            -- Poll-now, commands and polling changes received by one node's API for an element another node runs.
            CREATE TABLE element_requests (
                id INTEGER PRIMARY KEY,
                element_id TEXT NOT NULL,
                kind TEXT NOT NULL,
                argument TEXT,
                requested_at INTEGER NOT NULL,
                completed_at INTEGER,
                result TEXT
            );
            CREATE INDEX element_requests_pending ON element_requests (element_id, id) WHERE completed_at IS NULL;
            """),
        new(4, "history per table row with packed columns", History.HistorySchema.Version4Sql),
        new(5, "objects keyed by integer, change log by object key", Objects.ObjectSchema.Version5Sql),
    ];

    public static int LatestVersion => All[^1].Version;

    /// <summary>Applies the missing migrations; returns the schema version now in force.</summary>
    public static int Apply(SqliteConnection connection, string path, TimeProvider time, ILogger logger)
    {
        Sql.Execute(connection, null, """
            CREATE TABLE IF NOT EXISTS schema_version (
                version INTEGER NOT NULL PRIMARY KEY,
                name TEXT NOT NULL,
                applied_at INTEGER NOT NULL
            )
            """);
        foreach (var migration in All)
        {
            // Each step re-reads the version inside its IMMEDIATE transaction, so two processes starting on the
            // same file cannot both apply a migration.
            using var transaction = connection.BeginTransaction(deferred: false);
            var current = CurrentVersion(connection, transaction);
            if (current > LatestVersion)
            {
                throw new InvalidOperationException(
                    $"The database '{path}' has schema version {current}, newer than this Satmon understands ({LatestVersion}). " +
                    "Run a Satmon version at least as new as the one that last wrote the database, or point Storage:Sqlite:DatabasePath at another file.");
            }

            if (current >= migration.Version)
            {
                continue;
            }

            Sql.Execute(connection, transaction, migration.Sql);
            Sql.Execute(connection, transaction, "INSERT INTO schema_version (version, name, applied_at) VALUES ($v, $n, $t)",
                ("$v", migration.Version), ("$n", migration.Name), ("$t", time.GetUtcNow().ToUnixTimeMilliseconds()));
            transaction.Commit();
            Log.MigrationApplied(logger, migration.Version, migration.Name, path);
        }

        return CurrentVersion(connection, null);
    }

    private static int CurrentVersion(SqliteConnection connection, SqliteTransaction? transaction) =>
        Convert.ToInt32(Sql.Scalar(connection, transaction, "SELECT coalesce(max(version), 0) FROM schema_version") ?? 0L, System.Globalization.CultureInfo.InvariantCulture);
}
