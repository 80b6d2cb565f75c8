using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Satmon.Core.Elements;
using Satmon.Core.Storage;

namespace Satmon.Storage.Postgres;

/// <summary>Elements; deleting one removes everything it owns in one transaction.</summary>
internal sealed class ElementRepository(NpgsqlDataSource dataSource, ElementDataCleaner cleaner) : IElementRepository
{
    private const string Columns = "id, name, connector, settings, enabled, state, state_message, created_at";

    public async Task<IReadOnlyList<ElementRecord>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // lower() under "C" folds ASCII case and compares bytes, as the SQLite store's NOCASE does.
        return await Pg.ListAsync(connection, null, $"SELECT {Columns} FROM elements ORDER BY lower(name) COLLATE \"C\", id", Read, cancellationToken);
    }

    public async Task<ElementRecord?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await Pg.FirstOrDefaultAsync(connection, null, $"SELECT {Columns} FROM elements WHERE id = @id", Read, cancellationToken, ("id", id));
    }

    public async Task<bool> TryCreateAsync(ElementRecord element, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = Pg.Command(connection, null, $"""
            INSERT INTO elements ({Columns}) VALUES (@id, @name, @connector, @settings, @enabled, @state, @message, @created)
            ON CONFLICT (id) DO NOTHING
            """,
            ("id", element.Id), ("name", element.Name), ("connector", element.Connector),
            ("enabled", element.Enabled), ("state", element.State.ToString()), ("message", element.StateMessage),
            ("created", Pg.ToUnixMs(element.CreatedAt)));
        command.Parameters.Add(Settings(element));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task UpdateAsync(ElementRecord element, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = Pg.Command(connection, null,
            "UPDATE elements SET name = @name, settings = @settings, enabled = @enabled WHERE id = @id",
            ("id", element.Id), ("name", element.Name), ("enabled", element.Enabled));
        command.Parameters.Add(Settings(element));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task SetStateAsync(string id, ElementState state, string? message, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await Pg.ExecuteAsync(connection, null, "UPDATE elements SET state = @state, state_message = @message WHERE id = @id",
            cancellationToken, ("id", id), ("state", state.ToString()), ("message", message));
    }

    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) => cleaner.DeleteAsync(id, cancellationToken);

    private static NpgsqlParameter Settings(ElementRecord element) => new("settings", NpgsqlDbType.Jsonb)
    {
        Value = JsonSerializer.Serialize(new Dictionary<string, string?>(element.Settings, StringComparer.Ordinal), StorageJson.Default.DictionaryStringString),
    };

    private static ElementRecord Read(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        JsonSerializer.Deserialize(reader.GetString(3), StorageJson.Default.DictionaryStringString) ?? [],
        reader.GetBoolean(4),
        Enum.TryParse<ElementState>(reader.GetString(5), out var state) ? state : ElementState.Stopped,
        Pg.ReadString(reader, 6),
        Pg.FromUnixMs(reader.GetInt64(7)));
}
