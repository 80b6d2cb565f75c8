using System.Collections.Concurrent;
using System.Text.Json;
using Npgsql;

namespace Satmon.Storage.Postgres.Tables;

/// <summary>
/// The table registry: rows of <c>data_tables</c> in the database, which every node shares, and this node's cache of
/// them. The cache is only a shortcut: a miss reads the database, and a physical table or column that turns out to
/// be missing (another node deleted the element or altered the table) makes the caller reload the entry.
/// </summary>
internal sealed class TableRegistry
{
    public const string KeyColumn = "row_key";
    private readonly ConcurrentDictionary<(string ElementId, string Table), TableInfo> _tables = new();

    public TableInfo? Find(string elementId, string table) => _tables.GetValueOrDefault((elementId, table));

    public void Set(TableInfo info) => _tables[(info.ElementId, info.Name)] = info;

    /// <summary>Reads the entry from the database and caches it (or forgets it when it is gone).</summary>
    public async Task<TableInfo?> LoadAsync(NpgsqlConnection connection, string elementId, string table, CancellationToken cancellationToken)
    {
        var info = await ReadAsync(connection, null, elementId, table, cancellationToken);
        if (info is null)
        {
            _tables.TryRemove((elementId, table), out _);
        }
        else
        {
            Set(info);
        }

        return info;
    }

    public void RemoveElement(string elementId)
    {
        foreach (var key in _tables.Keys.Where(k => k.ElementId == elementId).ToList())
        {
            _tables.TryRemove(key, out _);
        }
    }

    public void Clear() => _tables.Clear();

    /// <summary>The registry row of one table, or null.</summary>
    public static Task<TableInfo?> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string elementId, string table, CancellationToken cancellationToken) =>
        Pg.FirstOrDefaultAsync(connection, transaction,
            "SELECT physical_name, columns FROM data_tables WHERE element_id = @e AND name = @n",
            reader => new TableInfo(elementId, table, reader.GetString(0), Deserialize(reader.GetString(1))),
            cancellationToken, ("e", elementId), ("n", table));

    public static string Serialize(IReadOnlyList<StoredColumn> columns) =>
        JsonSerializer.Serialize(columns.ToList(), StorageJson.Default.ListStoredColumn);

    private static List<StoredColumn> Deserialize(string json) =>
        JsonSerializer.Deserialize(json, StorageJson.Default.ListStoredColumn) ?? [];
}
