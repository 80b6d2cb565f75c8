using Npgsql;
using Satmon.Core.Storage;

namespace Satmon.Storage.Postgres;

/// <summary>API keys: only hashes are stored; lookups by hash ignore hex case.</summary>
internal sealed class ApiKeyRepository(NpgsqlDataSource dataSource) : IApiKeyRepository
{
    private const string Columns = "id, name, role, hash, created_at";

    public async Task SaveAsync(ApiKeyRecord key, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await Pg.ExecuteAsync(connection, null, $"""
            INSERT INTO api_keys ({Columns}) VALUES (@id, @name, @role, @hash, @created)
            ON CONFLICT (id) DO UPDATE SET name = excluded.name, role = excluded.role, hash = excluded.hash, created_at = excluded.created_at
            """, cancellationToken,
            ("id", key.Id), ("name", key.Name), ("role", key.Role.ToString()), ("hash", key.Hash), ("created", Pg.ToUnixMs(key.CreatedAt)));
    }

    public async Task<ApiKeyRecord?> FindByHashAsync(string hash, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // lower(hash) matches the unique index, so the lookup is an index probe.
        return await Pg.FirstOrDefaultAsync(connection, null, $"SELECT {Columns} FROM api_keys WHERE lower(hash) = lower(@hash)",
            Read, cancellationToken, ("hash", hash));
    }

    public async Task<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await Pg.ListAsync(connection, null, $"SELECT {Columns} FROM api_keys ORDER BY created_at, id", Read, cancellationToken);
    }

    private static ApiKeyRecord Read(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        Enum.TryParse<ApiKeyRole>(reader.GetString(2), out var role) ? role : ApiKeyRole.Viewer,
        reader.GetString(3),
        Pg.FromUnixMs(reader.GetInt64(4)));
}
