using System.Collections.Concurrent;
using System.Collections.Immutable;
using Satmon.Core.Storage;

namespace Satmon.Storage.Sqlite.Tables;

/// <summary>One registered table: how an (element, table) maps onto a physical SQLite table.</summary>
internal sealed class TableInfo
{
    private const int MaxCachedCounts = 256;
    private readonly Dictionary<string, int> _byName;
    private ImmutableHashSet<string> _indexes;
    private readonly ConcurrentDictionary<string, string> _sql = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (long Version, long Count)> _counts = new(StringComparer.Ordinal);
    private long _version;

    public TableInfo(string elementId, string name, string physicalName, IReadOnlyList<StoredColumn> allColumns, IReadOnlySet<string> indexes)
    {
        ElementId = elementId;
        Name = name;
        PhysicalName = physicalName;
        AllColumns = allColumns;
        Columns = allColumns.Where(c => c.Active).ToList();
        _indexes = indexes.ToImmutableHashSet(StringComparer.OrdinalIgnoreCase);
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

    public string PhysicalName { get; }

    public string QuotedTable { get; }

    /// <summary>Every physical column, active or retired, in creation order.</summary>
    public IReadOnlyList<StoredColumn> AllColumns { get; }

    /// <summary>The definition's columns, in definition order.</summary>
    public IReadOnlyList<StoredColumn> Columns { get; }

    /// <summary><c>row_key, "c_a", "c_b"…</c> in <see cref="Columns"/> order.</summary>
    public string SelectList { get; }

    /// <summary>Rows written since the planner statistics were refreshed; touched only under the write lock.</summary>
    public long RowsWrittenSinceAnalyze { get; set; }

    /// <summary>Row count when the statistics were last refreshed; touched only under the write lock.</summary>
    public long RowsAtAnalyze { get; set; }

    /// <summary>Position of an active column in <see cref="Columns"/> (case-insensitive name), or -1.</summary>
    public int IndexOf(string name) => _byName.TryGetValue(name, out var index) ? index : -1;

    /// <summary>Name of the (column, row key) index on <paramref name="column"/>, or null when it has none (yet).</summary>
    public string? IndexOn(StoredColumn column)
    {
        var name = IndexName(PhysicalName, column);
        return Volatile.Read(ref _indexes).Contains(name) ? name : null;
    }

    /// <summary>Records an index created after this snapshot was built (indexes are made on first use).</summary>
    public void AddIndex(string name) => ImmutableInterlocked.Update(ref _indexes, set => set.Add(name));

    /// <summary>Index on (column, row key): it yields rows in the full sort order, ties included, without a sort step.</summary>
    public static string IndexName(string physicalName, StoredColumn column) => "ixk_" + physicalName + "_" + column.Physical;

    /// <summary>Prefix of the single-column indexes that earlier versions made on every number, time and enum column.</summary>
    public static string LegacyIndexPrefix(string physicalName) => "ix_" + physicalName + "_";

    /// <summary>The index SQLite made for the row-key primary key.</summary>
    public string KeyIndex => "sqlite_autoindex_" + PhysicalName + "_1";

    /// <summary>SQL text built once per table and shape (e.g. one upsert per column set).</summary>
    public string CachedSql(string shape, Func<TableInfo, string, string> build) => _sql.GetOrAdd(shape, s => build(this, s));

    /// <summary>
    /// Write version, a sequence lock: odd while a write to the table may be committing. A reader that sees the
    /// same even version before and after its snapshot began knows which writes the snapshot holds.
    /// </summary>
    public long Version => Interlocked.Read(ref _version);

    /// <summary>Call under the write lock before the transaction; pair with <see cref="EndWrite"/> after it ends.</summary>
    public void BeginWrite() => Interlocked.Increment(ref _version);

    public void EndWrite() => Interlocked.Increment(ref _version);

    /// <summary>
    /// Marks this snapshot of the table as replaced (altered or dropped): its version stays odd, so a reader still
    /// holding it never trusts its cached counts again. Call under the write lock.
    /// </summary>
    public void Retire() => Interlocked.Increment(ref _version);

    /// <summary>A row count cached for the filter <paramref name="key"/> at <paramref name="version"/>.</summary>
    public bool TryGetCount(string key, long version, out long count)
    {
        if (_counts.TryGetValue(key, out var cached) && cached.Version == version)
        {
            count = cached.Count;
            return true;
        }

        count = 0;
        return false;
    }

    public void SetCount(string key, long version, long count)
    {
        if (_counts.Count >= MaxCachedCounts)
        {
            _counts.Clear();
        }

        _counts[key] = (version, count);
    }
}
