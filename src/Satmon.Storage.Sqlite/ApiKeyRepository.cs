using Microsoft.Data.Sqlite;
using Satmon.Core.Storage;

namespace Satmon.Storage.Sqlite;

/// <summary>API keys: only hashes are stored; lookups by hash ignore hex case.</summary>
internal sealed class ApiKeyRepository(SqliteDatabase db) : IApiKeyRepository
{
    private const string Columns = "id, name, role, hash, created_at";

    public Task SaveAsync(ApiKeyRecord key, CancellationToken cancellationToken) =>
        db.WriteAsync(connection => Sql.Execute(connection, null, $"""
            INSERT INTO api_keys ({Columns}) VALUES ($id, $name, $role, $hash, $created)
            ON CONFLICT (id) DO UPDATE SET name = excluded.name, role = excluded.role, hash = excluded.hash, created_at = excluded.created_at
            """,
            ("$id", key.Id), ("$name", key.Name), ("$role", key.Role.ToString()), ("$hash", key.Hash), ("$created", Sql.ToUnixMs(key.CreatedAt))),
            cancellationToken);

    public Task<ApiKeyRecord?> FindByHashAsync(string hash, CancellationToken cancellationToken) =>
        Task.FromResult(db.Read(connection =>
        {
            using var command = Sql.Command(connection, null, $"SELECT {Columns} FROM api_keys WHERE hash = $hash", ("$hash", hash));
            using var reader = command.ExecuteReader();
            return reader.Read() ? Read(reader) : null;
        }));

    public Task<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult(db.Read<IReadOnlyList<ApiKeyRecord>>(connection =>
        {
            using var command = Sql.Command(connection, null, $"SELECT {Columns} FROM api_keys ORDER BY created_at, id");
            using var reader = command.ExecuteReader();
            var keys = new List<ApiKeyRecord>();
            while (reader.Read())
            {
                keys.Add(Read(reader));
            }

            return keys;
        }));

    private static ApiKeyRecord Read(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        Enum.TryParse<ApiKeyRole>(reader.GetString(2), out var role) ? role : ApiKeyRole.Viewer,
        reader.GetString(3),
        Sql.FromUnixMs(reader.GetInt64(4)));
}
