using System.Collections.Concurrent;
using System.Globalization;
using Satmon.Core.Storage;
using Satmon.Core.Tables;

namespace Satmon.Storage.Postgres.Tables;

/// <summary>A column as kept in the registry. Retired columns (dropped from the definition) keep their data.</summary>
/// <param name="Name">Column name from the definition.</param>
/// <param name="Type">Declared type.</param>
/// <param name="Physical">PostgreSQL column name, generated (never a caller's string verbatim).</param>
/// <param name="Active">Whether the current definition has the column.</param>
internal sealed record StoredColumn(string Name, ColumnType Type, string Physical, bool Active);

/// <summary>One registered table: how an (element, table) maps onto a physical PostgreSQL table. Immutable.</summary>
internal sealed class TableInfo
{
    private readonly Dictionary<string, int> _byName;
    private readonly ConcurrentDictionary<string, string> _sql = new(StringComparer.Ordinal);

    public TableInfo(string elementId, string name, string physicalName, IReadOnlyList<StoredColumn> allColumns)
    {
        ElementId = elementId;
        Name = name;
        PhysicalName = physicalName;
        AllColumns = allColumns;
        Columns = allColumns.Where(c => c.Active).ToList();
        _byName = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < Columns.Count; i++)
        {
            _byName[Columns[i].Name] = i;
        }

        QuotedTable = SqlText.Quote(physicalName);
        SelectList = string.Join(", ", Columns.Select(c => SqlText.Quote(c.Physical)).Prepend(TableRegistry.KeyColumn));
    }

    public string ElementId { get; }

    public string Name { get; }

    /// <summary><c>t{number}_{sanitized name}</c>; the number comes from a sequence, so names are never reused.</summary>
    public string PhysicalName { get; }

    public string QuotedTable { get; }

    /// <summary>Every physical column, active or retired.</summary>
    public IReadOnlyList<StoredColumn> AllColumns { get; }

    /// <summary>The definition's columns, in definition order.</summary>
    public IReadOnlyList<StoredColumn> Columns { get; }

    /// <summary><c>row_key, "c_a", "c_b"…</c> in <see cref="Columns"/> order.</summary>
    public string SelectList { get; }

    /// <summary>Position of an active column in <see cref="Columns"/> (case-insensitive name), or -1.</summary>
    public int IndexOf(string name) => _byName.TryGetValue(name, out var index) ? index : -1;

    /// <summary>The active column called <paramref name="name"/>; throws <see cref="UnknownColumnException"/> when there is none.</summary>
    public StoredColumn Resolve(string name)
    {
        var index = IndexOf(name);
        return index >= 0
            ? Columns[index]
            : throw new UnknownColumnException(
                $"Table '{Name}' has no column '{name}'. Columns: {QueryParser.KeyColumn}, {string.Join(", ", Columns.Select(c => c.Name))}.");
    }

    /// <summary>
    /// Index name of a column. Built from the table's number rather than its full name so that it stays within
    /// PostgreSQL's 63-byte identifier limit (longer names are cut silently, and two cut names could collide).
    /// </summary>
    public static string IndexName(string physicalName, StoredColumn column)
    {
        var number = physicalName[1..physicalName.IndexOf('_', StringComparison.Ordinal)];
        return "x" + number + "_" + column.Physical;
    }

    public static string PhysicalTableName(long number, string tableName) =>
        "t" + number.ToString(CultureInfo.InvariantCulture) + "_" + SqlText.Sanitize(tableName, 24);

    /// <summary>SQL text built once per table and shape (e.g. one upsert per column set).</summary>
    public string CachedSql(string shape, Func<TableInfo, string, string> build) => _sql.GetOrAdd(shape, s => build(this, s));
}

/// <summary>
/// A column name the table does not have in this node's view of it, which may be out of date: the store reloads
/// the table and tries again, and reports an <see cref="ArgumentException"/> only if the column is still unknown.
/// </summary>
internal sealed class UnknownColumnException(string message) : Exception(message);
