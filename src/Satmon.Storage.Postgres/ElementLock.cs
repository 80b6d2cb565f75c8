using Npgsql;

namespace Satmon.Storage.Postgres;

/// <summary>
/// A transaction-level advisory lock per element, shared by every node on the database. Taken by the operations
/// that change an element's physical layout (ensuring a table, deleting the element), which are rare, and by every
/// history write, which keeps one writer per element at a time so that its cached latest times stay true; other row
/// writes rely on PostgreSQL's own row and table locks.
/// </summary>
internal static class ElementLock
{
    // First half of the two-int advisory key: keeps these locks apart from any other use of advisory locks.
    internal const int Namespace = 0x5341_5401;

    /// <summary>Takes the lock; parameters <c>@ns</c> (<see cref="Namespace"/>) and <c>@e</c> (the element id).</summary>
    internal const string Sql = "SELECT pg_advisory_xact_lock(@ns, hashtext(@e))";

    public static Task AcquireAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string elementId, CancellationToken cancellationToken) =>
        Pg.ExecuteAsync(connection, transaction, Sql, cancellationToken,
            ("ns", Namespace), ("e", elementId));
}
