namespace Satmon.Core.Tables;

/// <summary>Type of a table column.</summary>
public enum ColumnType
{
    /// <summary>Text.</summary>
    String,
    /// <summary>A double.</summary>
    Number,
    /// <summary>A UTC instant (<see cref="DateTimeOffset"/>).</summary>
    Timestamp,
    /// <summary>Text from a fixed set (e.g. online/offline).</summary>
    Enum,
    /// <summary>true / false.</summary>
    Bool,
}

/// <summary>One column of a table.</summary>
/// <param name="Name">camelCase name, unique in its table.</param>
/// <param name="Type">Value type.</param>
/// <param name="Unit">Unit for display and metrics (e.g. <c>ms</c>, <c>Mbps</c>, <c>dB</c>); null when unit-less.</param>
/// <param name="Trended">Whether values also go to history (numbers only).</param>
/// <param name="References">Name of the table (same element) whose row key this column holds; null when none.</param>
public sealed record ColumnDefinition(string Name, ColumnType Type, string? Unit = null, bool Trended = false, string? References = null)
{
    /// <summary>Label for display; defaults to the name.</summary>
    public string? Label { get; init; }
}

/// <summary>A current-value table: rows keyed by a string.</summary>
/// <param name="Name">camelCase name, unique per connector (e.g. <c>terminals</c>).</param>
/// <param name="Label">Display name.</param>
/// <param name="KeyName">What the key is (e.g. <c>IMEI</c>), for display.</param>
/// <param name="Columns">Columns besides the key.</param>
public sealed record TableDefinition(string Name, string Label, string KeyName, IReadOnlyList<ColumnDefinition> Columns)
{
    /// <summary>Finds a column by name, or null.</summary>
    public ColumnDefinition? FindColumn(string name) =>
        Columns.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>When set, each row is a terminal of the fleet view (<c>/api/fleet/terminals</c>, the map).</summary>
    public FleetMapping? Fleet { get; init; }
}

/// <summary>
/// Which columns of a terminal table fill the normalised fleet list. Null members are not available from
/// this connector. Status values are normalised by <see cref="OnlineValues"/>.
/// </summary>
/// <param name="Operator">Operator shown in the fleet list, e.g. <c>SES O3b mPOWER</c>.</param>
public sealed record FleetMapping(string Operator)
{
    /// <summary>Column with a display name; null uses the key.</summary>
    public string? NameColumn { get; init; }

    /// <summary>Column with the terminal status.</summary>
    public string? StatusColumn { get; init; }

    /// <summary>Status values (case-insensitive) that mean online; any other non-empty value means offline.</summary>
    public IReadOnlyList<string> OnlineValues { get; init; } = ["online"];

    /// <summary>Latitude column (degrees).</summary>
    public string? LatitudeColumn { get; init; }

    /// <summary>Longitude column (degrees).</summary>
    public string? LongitudeColumn { get; init; }

    /// <summary>Latency column (ms).</summary>
    public string? LatencyColumn { get; init; }

    /// <summary>Throughput column (Mbps), e.g. forward throughput delivered.</summary>
    public string? ThroughputColumn { get; init; }

    /// <summary>Last-seen timestamp column.</summary>
    public string? LastSeenColumn { get; init; }
}

/// <summary>
/// One row. Values are typed by the column: <see cref="string"/>, <see cref="double"/>,
/// <see cref="DateTimeOffset"/>, <see cref="bool"/>, or null.
/// </summary>
/// <param name="Key">Row key.</param>
/// <param name="Values">Values by column name; a missing column keeps its stored value on upsert.</param>
public sealed record TableRow(string Key, IReadOnlyDictionary<string, object?> Values);

/// <summary>A page of rows and the total that matched the filter.</summary>
/// <param name="Total">Rows matching the filter.</param>
/// <param name="Rows">The page.</param>
public sealed record TablePage(long Total, IReadOnlyList<TableRow> Rows);

/// <summary>Filter operators of the API's <c>filter</c> parameter.</summary>
public enum FilterOperator
{
    /// <summary>equals</summary>
    Eq,
    /// <summary>not equals</summary>
    Ne,
    /// <summary>greater than</summary>
    Gt,
    /// <summary>less than</summary>
    Lt,
    /// <summary>text contains (case-insensitive)</summary>
    Contains,
}

/// <summary>One filter clause: <c>column op value</c>. The column <c>key</c> means the row key.</summary>
/// <param name="Column">Column name (or <c>key</c>).</param>
/// <param name="Operator">Operator.</param>
/// <param name="Value">Value, already converted to the column's type (string, double, DateTimeOffset, bool).</param>
public sealed record FilterClause(string Column, FilterOperator Operator, object Value);

/// <summary>A table query: clauses are combined with AND.</summary>
/// <param name="Filters">Filter clauses.</param>
/// <param name="SortColumn">Column to sort by (or <c>key</c>); null sorts by key.</param>
/// <param name="Descending">Sort direction.</param>
/// <param name="Offset">Rows to skip.</param>
/// <param name="Limit">Maximum rows to return.</param>
public sealed record TableQuery(IReadOnlyList<FilterClause> Filters, string? SortColumn, bool Descending, int Offset, int Limit)
{
    /// <summary>Everything, sorted by key, first page of 100.</summary>
    public static TableQuery Default { get; } = new([], null, false, 0, 100);
}
