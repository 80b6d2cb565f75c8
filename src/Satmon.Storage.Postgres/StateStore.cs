using Npgsql;
using Satmon.Core.Storage;

namespace Satmon.Storage.Postgres;

/// <summary>Per-element key/value state, stored as given (secret values arrive already protected).</summary>
internal sealed class StateStore(NpgsqlDataSource dataSource) : IElementStateStore
{
    public async Task<string?> GetAsync(string elementId, string key, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (string?)await Pg.ScalarAsync(connection, null, "SELECT value FROM element_state WHERE element_id = @e AND key = @k",
            cancellationToken, ("e", elementId), ("k", key));
    }

    public async Task SetAsync(string elementId, string key, string? value, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await (value is null
            ? Pg.ExecuteAsync(connection, null, "DELETE FROM element_state WHERE element_id = @e AND key = @k",
                cancellationToken, ("e", elementId), ("k", key))
            : Pg.ExecuteAsync(connection, null, """
                INSERT INTO element_state (element_id, key, value) VALUES (@e, @k, @v)
                ON CONFLICT (element_id, key) DO UPDATE SET value = excluded.value
                """, cancellationToken, ("e", elementId), ("k", key), ("v", value)));
    }
}
