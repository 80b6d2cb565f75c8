using System.Globalization;
using Microsoft.Extensions.Logging;
using Npgsql;
using Satmon.Storage.Postgres.History;
using Satmon.Storage.Postgres.Objects;

namespace Satmon.Storage.Postgres;

/// <summary>
/// Ordered schema migrations. Each runs once, in its own transaction, and is recorded in <c>schema_version</c>.
/// Append new migrations at the end; never edit one that has shipped.
/// </summary>
/// <remarks>
/// Conventions: times are bigint Unix milliseconds (as in the SQLite store, so both providers convert the same way);
/// text that is sorted or compared by the API uses <c>COLLATE "C"</c>, so order is ordinal whatever the database's
/// default collation is.
/// </remarks>
internal static class Migrations
{
    /// <summary>
    /// Key of the transaction-level advisory lock every migration step takes first: two nodes starting on the same
    /// database apply each migration once, the second waits and then finds it applied. (Advisory locks are per
    /// database, so other databases on the server are unaffected.)
    /// </summary>
    private const long LockKey = 0x5341_544D_4F4E_0001; // "SATMON" + 1

    public sealed record Migration(int Version, string Name, string Sql);

    public static IReadOnlyList<Migration> All { get; } =
    [
        new(1, "core schema", """
            CREATE TABLE elements (
                id text COLLATE "C" NOT NULL PRIMARY KEY,
                name text NOT NULL,
                connector text NOT NULL,
                settings jsonb NOT NULL,          -- object of invariant strings; secret values arrive encrypted
                enabled boolean NOT NULL,
                state text NOT NULL,
                state_message text,
                created_at bigint NOT NULL
            );
            CREATE TABLE poll_tasks (
                element_id text COLLATE "C" NOT NULL,
                task text COLLATE "C" NOT NULL,
                enabled boolean NOT NULL,
                custom_interval_ms bigint,
                status text NOT NULL,
                reason text,
                last_start bigint,
                last_duration_ms bigint,
                next_poll bigint,
                not_before bigint,
                PRIMARY KEY (element_id, task)
            );
            CREATE TABLE element_state (
                element_id text COLLATE "C" NOT NULL,
                key text COLLATE "C" NOT NULL,
                value text NOT NULL,
                PRIMARY KEY (element_id, key)
            );
            CREATE TABLE api_keys (
                id text COLLATE "C" NOT NULL PRIMARY KEY,
                name text NOT NULL,
                role text NOT NULL,
                hash text NOT NULL,
                created_at bigint NOT NULL
            );
            -- Hex hashes are looked up whatever their case.
            CREATE UNIQUE INDEX api_keys_hash ON api_keys (lower(hash));
            -- Registry of current-value tables: the physical table and the column mapping of each (element, table).
            CREATE SEQUENCE data_table_numbers;
            CREATE TABLE data_tables (
                element_id text COLLATE "C" NOT NULL,
                name text COLLATE "C" NOT NULL,
                physical_name text NOT NULL UNIQUE,
                columns jsonb NOT NULL,
                PRIMARY KEY (element_id, name)
            );
            -- Nodes sharing this database, each element's lease, and requests for a lease holder.
            CREATE TABLE cluster_nodes (
                node_id text COLLATE "C" NOT NULL PRIMARY KEY,
                last_seen bigint NOT NULL
            );
            CREATE TABLE element_leases (
                element_id text COLLATE "C" NOT NULL PRIMARY KEY,
                node_id text COLLATE "C" NOT NULL,
                expires_at bigint NOT NULL,
                epoch bigint NOT NULL
            );
            CREATE TABLE element_requests (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                element_id text COLLATE "C" NOT NULL,
                kind text NOT NULL,
                argument text,
                requested_at bigint NOT NULL,
                completed_at bigint,
                result text
            );
            CREATE INDEX element_requests_pending ON element_requests (element_id, id) WHERE completed_at IS NULL;
            CREATE INDEX element_requests_by_time ON element_requests (requested_at);
            """),
        new(2, "history and objects", HistorySchema.Sql + "\n" + ObjectSchema.Sql),
        new(3, "rollup records per writing batch", HistorySchema.RollupsPerBatchSql),
        new(4, "table versions", """
            -- Raised by every write to the table, in the same transaction: a row count taken at a version holds until
            -- the next write, on every node.
            ALTER TABLE data_tables ADD COLUMN version bigint NOT NULL DEFAULT 0;
            """),
        new(5, "rollups folded from raw records now and then", HistorySchema.FoldedRollupsSql),
    ];

    public static int LatestVersion => All[^1].Version;

    /// <summary>Applies the missing migrations up to <paramref name="upTo"/> (tests stop early); returns the schema version now in force.</summary>
    public static async Task<int> ApplyAsync(
        NpgsqlConnection connection, string server, TimeProvider time, ILogger logger, CancellationToken cancellationToken, int upTo = int.MaxValue)
    {
        foreach (var migration in All.Where(m => m.Version <= upTo))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var current = await LockAndReadVersionAsync(connection, transaction, server, cancellationToken);
            if (current >= migration.Version)
            {
                continue;
            }

            await Pg.ExecuteAsync(connection, transaction, migration.Sql, cancellationToken);
            await Pg.ExecuteAsync(connection, transaction, "INSERT INTO schema_version (version, name, applied_at) VALUES (@v, @n, @t)",
                cancellationToken, ("v", migration.Version), ("n", migration.Name), ("t", time.GetUtcNow().ToUnixTimeMilliseconds()));
            await transaction.CommitAsync(cancellationToken);
            Log.MigrationApplied(logger, migration.Version, migration.Name, server);
        }

        await using var check = await connection.BeginTransactionAsync(cancellationToken);
        return await LockAndReadVersionAsync(connection, check, server, cancellationToken);
    }

    /// <summary>The schema version, read under the migration lock (so a migration another node is applying is seen as done or not started).</summary>
    private static async Task<int> LockAndReadVersionAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string server, CancellationToken cancellationToken)
    {
        // The lock comes before CREATE TABLE IF NOT EXISTS: two sessions creating the same table at once can both
        // pass the existence check and one then fails on a duplicate catalog row.
        await Pg.ExecuteAsync(connection, transaction, """
            SELECT pg_advisory_xact_lock(@key);
            CREATE TABLE IF NOT EXISTS schema_version (
                version integer NOT NULL PRIMARY KEY,
                name text NOT NULL,
                applied_at bigint NOT NULL
            );
            """, cancellationToken, ("key", LockKey));
        var current = Convert.ToInt32(
            await Pg.ScalarAsync(connection, transaction, "SELECT coalesce(max(version), 0) FROM schema_version", cancellationToken),
            CultureInfo.InvariantCulture);
        if (current > LatestVersion)
        {
            throw new InvalidOperationException(
                $"The PostgreSQL database {server} has schema version {current}, newer than this Satmon understands ({LatestVersion}). " +
                $"Run a Satmon version at least as new as the one that last wrote the database, or point {PostgresStoreOptions.ConnectionStringKey} at another database.");
        }

        return current;
    }
}
