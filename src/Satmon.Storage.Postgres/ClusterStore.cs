using Npgsql;
using Satmon.Core.Storage;

namespace Satmon.Storage.Postgres;

/// <summary>
/// Nodes, leases and requests. Every change is a single statement, so PostgreSQL's row locking makes it atomic:
/// two nodes upserting the same lease row queue on the row, and the second sees the first one's result in its
/// WHERE clause.
/// </summary>
internal sealed class ClusterStore(NpgsqlDataSource dataSource) : IClusterStore
{
    private const string RequestColumns = "id, element_id, kind, argument, requested_at, completed_at, result";
    private const string LeaseColumns = "element_id, node_id, expires_at, epoch";

    // A released lease keeps its row (and so its epoch, the fencing token, which must never go back) but expires
    // at the earliest time a DateTimeOffset can express, so that any node may take it at once.
    private static readonly long Released = DateTimeOffset.MinValue.ToUnixTimeMilliseconds();

    public async Task HeartbeatAsync(string nodeId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // greatest(): a delayed heartbeat arriving after a newer one must not make the node look older.
        await Pg.ExecuteAsync(connection, null, """
            INSERT INTO cluster_nodes (node_id, last_seen) VALUES (@n, @t)
            ON CONFLICT (node_id) DO UPDATE SET last_seen = greatest(cluster_nodes.last_seen, excluded.last_seen)
            """, cancellationToken, ("n", nodeId), ("t", Pg.ToUnixMs(now)));
    }

    public async Task<IReadOnlyList<ClusterNode>> ListNodesAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await Pg.ListAsync(connection, null, "SELECT node_id, last_seen FROM cluster_nodes WHERE last_seen >= @s ORDER BY node_id",
            r => new ClusterNode(r.GetString(0), Pg.FromUnixMs(r.GetInt64(1))), cancellationToken, ("s", Pg.ToUnixMs(since)));
    }

    public async Task RemoveNodeAsync(string nodeId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await Pg.ExecuteAsync(connection, null, "DELETE FROM cluster_nodes WHERE node_id = @n", cancellationToken, ("n", nodeId));
    }

    public async Task<ElementLease?> TryAcquireLeaseAsync(string elementId, string nodeId, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // The upsert's WHERE lets the holder renew and anyone take an expired lease; otherwise no row is changed
        // and none comes back. Under READ COMMITTED the WHERE is checked against the row as the winner of a race
        // left it, so of several nodes racing for a free lease exactly one gets it.
        return await Pg.FirstOrDefaultAsync(connection, null, $"""
            INSERT INTO element_leases ({LeaseColumns}) VALUES (@e, @n, @x, 1)
            ON CONFLICT (element_id) DO UPDATE SET
                epoch = CASE WHEN element_leases.node_id = excluded.node_id THEN element_leases.epoch ELSE element_leases.epoch + 1 END,
                node_id = excluded.node_id,
                expires_at = excluded.expires_at
            WHERE element_leases.node_id = excluded.node_id OR element_leases.expires_at <= @now
            RETURNING {LeaseColumns}
            """, ReadLease, cancellationToken,
            ("e", elementId), ("n", nodeId), ("x", Pg.ToUnixMs(now + duration)), ("now", Pg.ToUnixMs(now)));
    }

    public async Task ReleaseLeaseAsync(string elementId, string nodeId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await Pg.ExecuteAsync(connection, null, "UPDATE element_leases SET expires_at = @x WHERE element_id = @e AND node_id = @n",
            cancellationToken, ("e", elementId), ("n", nodeId), ("x", Released));
    }

    public async Task<IReadOnlyList<ElementLease>> ListLeasesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await Pg.ListAsync(connection, null, $"SELECT {LeaseColumns} FROM element_leases ORDER BY element_id", ReadLease, cancellationToken);
    }

    public async Task<long> EnqueueRequestAsync(string elementId, string kind, string? argument, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (long)(await Pg.ScalarAsync(connection, null,
            "INSERT INTO element_requests (element_id, kind, argument, requested_at) VALUES (@e, @k, @a, @t) RETURNING id",
            cancellationToken, ("e", elementId), ("k", kind), ("a", argument), ("t", Pg.ToUnixMs(now))))!;
    }

    public async Task<IReadOnlyList<ElementRequest>> ListPendingRequestsAsync(IReadOnlyCollection<string> elementIds, CancellationToken cancellationToken)
    {
        if (elementIds.Count == 0)
        {
            return [];
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await Pg.ListAsync(connection, null,
            $"SELECT {RequestColumns} FROM element_requests WHERE element_id = ANY(@e) AND completed_at IS NULL ORDER BY id",
            ReadRequest, cancellationToken, ("e", elementIds.ToArray()));
    }

    public async Task<bool> CompleteRequestAsync(long id, string result, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await Pg.ExecuteAsync(connection, null,
            "UPDATE element_requests SET completed_at = @t, result = @r WHERE id = @id AND completed_at IS NULL",
            cancellationToken, ("t", Pg.ToUnixMs(now)), ("r", result), ("id", id)) == 1;
    }

    public async Task<ElementRequest?> GetRequestAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await Pg.FirstOrDefaultAsync(connection, null, $"SELECT {RequestColumns} FROM element_requests WHERE id = @id",
            ReadRequest, cancellationToken, ("id", id));
    }

    public async Task<int> PurgeRequestsAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await Pg.ExecuteAsync(connection, null, "DELETE FROM element_requests WHERE requested_at < @t",
            cancellationToken, ("t", Pg.ToUnixMs(before)));
    }

    private static ElementLease ReadLease(NpgsqlDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), Pg.FromUnixMs(reader.GetInt64(2)), reader.GetInt64(3));

    private static ElementRequest ReadRequest(NpgsqlDataReader reader) => new(
        reader.GetInt64(0), reader.GetString(1), reader.GetString(2), Pg.ReadString(reader, 3),
        Pg.FromUnixMs(reader.GetInt64(4)), Pg.ReadTime(reader, 5), Pg.ReadString(reader, 6));
}
