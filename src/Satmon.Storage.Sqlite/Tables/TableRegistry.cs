using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Satmon.Core.Storage;
using Satmon.Core.Tables;

namespace Satmon.Storage.Sqlite.Tables;

/// <summary>A column as kept in the registry. Retired columns (dropped from the definition) keep their data.</summary>
/// <param name="Name">Column name from the definition.</param>
/// <param name="Type">Declared type.</param>
/// <param name="Physical">SQLite column name, generated (never a caller's string verbatim).</param>
/// <param name="Active">Whether the current definition has the column.</param>
internal sealed record StoredColumn(string Name, ColumnType Type, string Physical, bool Active);

/// <summary>The table registry: in memory for lookups, in <c>data_tables</c> so a restart knows every table.</summary>
internal sealed class TableRegistry
{
    public const string KeyColumn = "row_key";
    private readonly ConcurrentDictionary<(string ElementId, string Table), TableInfo> _tables = new();

    public TableInfo? Find(string elementId, string table) => _tables.GetValueOrDefault((elementId, table));

    public TableInfo Require(string elementId, string table) =>
        Find(elementId, table) ?? throw new InvalidOperationException(
            $"Table '{table}' of element '{elementId}' is not set up in the store; call EnsureTableAsync with its definition first.");

    public void Set(TableInfo info) => _tables[(info.ElementId, info.Name)] = info;

    public void RemoveElement(string elementId)
    {
        foreach (var key in _tables.Keys.Where(k => k.ElementId == elementId).ToList())
        {
            if (_tables.TryRemove(key, out var removed))
            {
                removed.Retire();
            }
        }
    }

    /// <summary>Reads every table; call on the write connection under the write lock (it may drop legacy indexes).</summary>
    public void Load(SqliteConnection connection)
    {
        _tables.Clear();
        var rows = new List<(string ElementId, string Name, string Physical, List<StoredColumn> Columns)>();
        using (var command = Sql.Command(connection, null, "SELECT element_id, name, physical_name, columns FROM data_tables"))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var columns = JsonSerializer.Deserialize(reader.GetString(3), StorageJson.Default.ListStoredColumn) ?? [];
                rows.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), columns));
            }
        }

        foreach (var (elementId, name, physical, columns) in rows)
        {
            DropLegacyIndexes(connection, physical);
            Set(new TableInfo(elementId, name, physical, columns, Indexes(connection, null, physical)));
        }
    }

    /// <summary>
    /// Drops the single-column indexes earlier versions made on every number, time and enum column: they slowed
    /// every upsert whether or not anything sorted by the column. Queries now create (column, key) indexes on first use.
    /// </summary>
    private static void DropLegacyIndexes(SqliteConnection connection, string physicalName)
    {
        var prefix = TableInfo.LegacyIndexPrefix(physicalName);
        foreach (var index in Indexes(connection, null, physicalName).Where(i => i.StartsWith(prefix, StringComparison.Ordinal)))
        {
            Sql.Execute(connection, null, $"DROP INDEX IF EXISTS {SqlText.Quote(index)}");
        }
    }

    /// <summary>Names of the indexes that exist on a physical table.</summary>
    public static HashSet<string> Indexes(SqliteConnection connection, SqliteTransaction? transaction, string physicalName)
    {
        using var command = Sql.Command(connection, transaction,
            "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = $t", ("$t", physicalName));
        using var reader = command.ExecuteReader();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (reader.Read())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    public static string Serialize(IReadOnlyList<StoredColumn> columns) =>
        JsonSerializer.Serialize(columns.ToList(), StorageJson.Default.ListStoredColumn);
}
