using Satmon.Core.Storage;

namespace Satmon.Storage.Sqlite;

/// <summary>Per-element key/value state, stored as given (secret values arrive already protected).</summary>
internal sealed class StateStore(SqliteDatabase db) : IElementStateStore
{
    public Task<string?> GetAsync(string elementId, string key, CancellationToken cancellationToken) =>
        Task.FromResult(db.Read(connection =>
            (string?)Sql.Scalar(connection, null, "SELECT value FROM element_state WHERE element_id = $e AND key = $k", ("$e", elementId), ("$k", key))));

    public Task SetAsync(string elementId, string key, string? value, CancellationToken cancellationToken) =>
        db.WriteAsync(connection => value is null
            ? Sql.Execute(connection, null, "DELETE FROM element_state WHERE element_id = $e AND key = $k", ("$e", elementId), ("$k", key))
            : Sql.Execute(connection, null, """
                INSERT INTO element_state (element_id, key, value) VALUES ($e, $k, $v)
                ON CONFLICT (element_id, key) DO UPDATE SET value = excluded.value
                """, ("$e", elementId), ("$k", key), ("$v", value)), cancellationToken);
}
