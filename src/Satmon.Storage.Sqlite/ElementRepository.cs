using System.Text.Json;
using Microsoft.Data.Sqlite;
using Satmon.Core.Elements;
using Satmon.Core.Storage;

namespace Satmon.Storage.Sqlite;

/// <summary>Elements; deleting one removes everything it owns in one transaction.</summary>
internal sealed class ElementRepository(SqliteDatabase db, ElementDataCleaner cleaner) : IElementRepository
{
    private const string Columns = "id, name, connector, settings, enabled, state, state_message, created_at";

    public Task<IReadOnlyList<ElementRecord>> ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult(db.Read<IReadOnlyList<ElementRecord>>(connection =>
        {
            using var command = Sql.Command(connection, null, $"SELECT {Columns} FROM elements ORDER BY name COLLATE NOCASE, id");
            using var reader = command.ExecuteReader();
            var list = new List<ElementRecord>();
            while (reader.Read())
            {
                list.Add(ReadElement(reader));
            }

            return list;
        }));

    public Task<ElementRecord?> GetAsync(string id, CancellationToken cancellationToken) =>
        Task.FromResult(db.Read(connection =>
        {
            using var command = Sql.Command(connection, null, $"SELECT {Columns} FROM elements WHERE id = $id", ("$id", id));
            using var reader = command.ExecuteReader();
            return reader.Read() ? ReadElement(reader) : null;
        }));

    public Task<bool> TryCreateAsync(ElementRecord element, CancellationToken cancellationToken) =>
        db.WriteAsync(connection => Sql.Execute(connection, null, $"""
            INSERT INTO elements ({Columns}) VALUES ($id, $name, $connector, $settings, $enabled, $state, $message, $created)
            ON CONFLICT (id) DO NOTHING
            """,
            ("$id", element.Id), ("$name", element.Name), ("$connector", element.Connector), ("$settings", SerializeSettings(element)),
            ("$enabled", element.Enabled), ("$state", element.State.ToString()), ("$message", element.StateMessage),
            ("$created", Sql.ToUnixMs(element.CreatedAt))) == 1, cancellationToken);

    public Task UpdateAsync(ElementRecord element, CancellationToken cancellationToken) =>
        db.WriteAsync(connection => Sql.Execute(connection, null,
            "UPDATE elements SET name = $name, settings = $settings, enabled = $enabled WHERE id = $id",
            ("$id", element.Id), ("$name", element.Name), ("$settings", SerializeSettings(element)), ("$enabled", element.Enabled)),
            cancellationToken);

    public Task SetStateAsync(string id, ElementState state, string? message, CancellationToken cancellationToken) =>
        db.WriteAsync(connection => Sql.Execute(connection, null,
            "UPDATE elements SET state = $state, state_message = $message WHERE id = $id",
            ("$id", id), ("$state", state.ToString()), ("$message", message)), cancellationToken);

    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) =>
        db.WriteAsync(connection =>
        {
            bool existed;
            (int, int) deleted;
            using (var transaction = connection.BeginTransaction(deferred: false))
            {
                existed = Sql.Execute(connection, transaction, "DELETE FROM elements WHERE id = $id", ("$id", id)) == 1;
                deleted = cleaner.DeleteOwnedData(connection, transaction, id);
                transaction.Commit();
            }

            // In-memory registries follow only once the delete is durable.
            cleaner.Forget(id, deleted);
            return existed;
        }, cancellationToken);

    private static string SerializeSettings(ElementRecord element) =>
        JsonSerializer.Serialize(new Dictionary<string, string?>(element.Settings, StringComparer.Ordinal), StorageJson.Default.DictionaryStringString);

    private static ElementRecord ReadElement(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        JsonSerializer.Deserialize(reader.GetString(3), StorageJson.Default.DictionaryStringString) ?? [],
        reader.GetBoolean(4),
        Enum.TryParse<ElementState>(reader.GetString(5), out var state) ? state : ElementState.Stopped,
        Sql.ReadString(reader, 6),
        Sql.FromUnixMs(reader.GetInt64(7)));
}
