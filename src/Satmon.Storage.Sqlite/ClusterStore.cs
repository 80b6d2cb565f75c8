using Microsoft.Data.Sqlite;
using Satmon.Core.Storage;

namespace Satmon.Storage.Sqlite;

/// <summary>
/// Nodes, leases and requests in SQLite. Several processes may share one database file; every change is one
/// statement in the single-writer transaction, so a lease cannot be taken twice.
/// </summary>
internal sealed class ClusterStore(SqliteDatabase db) : IClusterStore
{
    private const string RequestColumns = "id, element_id, kind, argument, requested_at, completed_at, result";

    public Task HeartbeatAsync(string nodeId, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.WriteAsync(connection => Sql.Execute(connection, null, """
            INSERT INTO cluster_nodes (node_id, last_seen) VALUES ($n, $t)
            ON CONFLICT (node_id) DO UPDATE SET last_seen = max(last_seen, excluded.last_seen)
            """, ("$n", nodeId), ("$t", Sql.ToUnixMs(now))), cancellationToken);

    public Task<IReadOnlyList<ClusterNode>> ListNodesAsync(DateTimeOffset since, CancellationToken cancellationToken) =>
        Task.FromResult(db.Read<IReadOnlyList<ClusterNode>>(connection =>
        {
            using var command = Sql.Command(connection, null,
                "SELECT node_id, last_seen FROM cluster_nodes WHERE last_seen >= $s ORDER BY node_id", ("$s", Sql.ToUnixMs(since)));
            using var reader = command.ExecuteReader();
            var nodes = new List<ClusterNode>();
            while (reader.Read())
            {
                nodes.Add(new ClusterNode(reader.GetString(0), Sql.FromUnixMs(reader.GetInt64(1))));
            }

            return nodes;
        }));

    public Task RemoveNodeAsync(string nodeId, CancellationToken cancellationToken) =>
        db.WriteAsync(connection => Sql.Execute(connection, null, "DELETE FROM cluster_nodes WHERE node_id = $n", ("$n", nodeId)), cancellationToken);

    public Task<ElementLease?> TryAcquireLeaseAsync(
        string elementId, string nodeId, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken) =>
        db.WriteAsync(connection =>
        {
            // The WHERE of the upsert lets the holder renew and anyone take an expired lease; otherwise no row comes back.
            using var command = Sql.Command(connection, null, """
                INSERT INTO element_leases (element_id, node_id, expires_at, epoch) VALUES ($e, $n, $x, 1)
                ON CONFLICT (element_id) DO UPDATE SET
                    epoch = CASE WHEN element_leases.node_id = excluded.node_id THEN element_leases.epoch ELSE element_leases.epoch + 1 END,
                    node_id = excluded.node_id,
                    expires_at = excluded.expires_at
                WHERE element_leases.node_id = excluded.node_id OR element_leases.expires_at <= $now
                RETURNING element_id, node_id, expires_at, epoch
                """, ("$e", elementId), ("$n", nodeId), ("$x", Sql.ToUnixMs(now + duration)), ("$now", Sql.ToUnixMs(now)));
            using var reader = command.ExecuteReader();
            return reader.Read() ? ReadLease(reader) : null;
        }, cancellationToken);

    // The row stays, expired, so that the epoch keeps rising when another node takes the lease (a fencing token
    // never goes back).
    public Task ReleaseLeaseAsync(string elementId, string nodeId, CancellationToken cancellationToken) =>
        db.WriteAsync(connection => Sql.Execute(connection, null,
            "UPDATE element_leases SET expires_at = $expired WHERE element_id = $e AND node_id = $n",
            ("$expired", DateTimeOffset.MinValue.ToUnixTimeMilliseconds()), ("$e", elementId), ("$n", nodeId)), cancellationToken);

    public Task<IReadOnlyList<ElementLease>> ListLeasesAsync(CancellationToken cancellationToken) =>
        Task.FromResult(db.Read<IReadOnlyList<ElementLease>>(connection =>
        {
            using var command = Sql.Command(connection, null, "SELECT element_id, node_id, expires_at, epoch FROM element_leases ORDER BY element_id");
            using var reader = command.ExecuteReader();
            var leases = new List<ElementLease>();
            while (reader.Read())
            {
                leases.Add(ReadLease(reader));
            }

            return leases;
        }));

    public Task<long> EnqueueRequestAsync(string elementId, string kind, string? argument, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.WriteAsync(connection => (long)Sql.Scalar(connection, null, """
            INSERT INTO element_requests (element_id, kind, argument, requested_at) VALUES ($e, $k, $a, $t) RETURNING id
            """, ("$e", elementId), ("$k", kind), ("$a", argument), ("$t", Sql.ToUnixMs(now)))!, cancellationToken);

    public Task<IReadOnlyList<ElementRequest>> ListPendingRequestsAsync(IReadOnlyCollection<string> elementIds, CancellationToken cancellationToken) =>
        Task.FromResult(elementIds.Count == 0 ? [] : db.Read<IReadOnlyList<ElementRequest>>(connection =>
        {
            var requests = new List<ElementRequest>();
            // One query per element keeps the statement simple; a node runs few elements compared with the request rate.
            foreach (var elementId in elementIds)
            {
                using var command = Sql.Command(connection, null,
                    $"SELECT {RequestColumns} FROM element_requests WHERE element_id = $e AND completed_at IS NULL ORDER BY id", ("$e", elementId));
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    requests.Add(ReadRequest(reader));
                }
            }

            requests.Sort((a, b) => a.Id.CompareTo(b.Id));
            return requests;
        }));

    public Task<bool> CompleteRequestAsync(long id, string result, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.WriteAsync(connection => Sql.Execute(connection, null,
            "UPDATE element_requests SET completed_at = $t, result = $r WHERE id = $id AND completed_at IS NULL",
            ("$t", Sql.ToUnixMs(now)), ("$r", result), ("$id", id)) == 1, cancellationToken);

    public Task<ElementRequest?> GetRequestAsync(long id, CancellationToken cancellationToken) =>
        Task.FromResult(db.Read(connection =>
        {
            using var command = Sql.Command(connection, null, $"SELECT {RequestColumns} FROM element_requests WHERE id = $id", ("$id", id));
            using var reader = command.ExecuteReader();
            return reader.Read() ? ReadRequest(reader) : null;
        }));

    public Task<int> PurgeRequestsAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        db.WriteAsync(connection => Sql.Execute(connection, null,
            "DELETE FROM element_requests WHERE requested_at < $t", ("$t", Sql.ToUnixMs(before))), cancellationToken);

    private static ElementLease ReadLease(SqliteDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), Sql.FromUnixMs(reader.GetInt64(2)), reader.GetInt64(3));

    private static ElementRequest ReadRequest(SqliteDataReader reader) => new(
        reader.GetInt64(0), reader.GetString(1), reader.GetString(2), Sql.ReadString(reader, 3),
        Sql.FromUnixMs(reader.GetInt64(4)), Sql.ReadTime(reader, 5), Sql.ReadString(reader, 6));
}
