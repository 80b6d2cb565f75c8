using Npgsql;

namespace Satmon.Storage.Postgres;

/// <summary>
/// A transaction-level advisory lock per element, shared by every node on the database. Taken by the operations
/// that change an element's physical layout (ensuring a table, deleting the element), which are rare; row writes
/// rely on PostgreSQL's own row and table locks.
/// </summary>
internal static class ElementLock
{
    // First half of the two-int advisory key: keeps these locks apart from any other use of advisory locks.
    private const int Namespace = 0x5341_5401;

    public static Task AcquireAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string elementId, CancellationToken cancellationToken) =>
        Pg.ExecuteAsync(connection, transaction, "SELECT pg_advisory_xact_lock(@ns, hashtext(@e))", cancellationToken,
            ("ns", Namespace), ("e", elementId));
}
