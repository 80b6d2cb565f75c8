using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text.Json;

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

    /// <summary>Throws an <see cref="ArgumentException"/> saying what to fix when the definition cannot be stored.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Name))
        {
            throw new ArgumentException("A table definition needs a name.", "table");
        }

        var duplicate = Columns.GroupBy(c => c.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null || Columns.Any(c => string.IsNullOrWhiteSpace(c.Name)
            || string.Equals(c.Name, QueryParser.KeyColumn, StringComparison.OrdinalIgnoreCase)))
        {
            throw new ArgumentException(
                $"Table '{Name}' needs unique, non-empty column names other than '{QueryParser.KeyColumn}'" +
                (duplicate is null ? "." : $"; '{duplicate.Key}' appears {duplicate.Count()} times."), "table");
        }
    }
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
/// <param name="Total">Rows matching the filter (the cursor, offset and limit do not change it).</param>
/// <param name="Rows">The page.</param>
public sealed record TablePage(long Total, IReadOnlyList<TableRow> Rows)
{
    /// <summary>
    /// The position after the last row of this page, to ask for the next page with <see cref="TableQuery.After"/>;
    /// null when no row follows (the last page, or an empty one).
    /// </summary>
    public TableCursor? NextCursor { get; init; }
}

/// <summary>
/// A position in the order of a table query (keyset paging): the last row of a page, by its sort value and key.
/// The order is by sort value then key, both in the query's direction, with rows lacking a sort value after all
/// others (ordered by key in the same direction); sorting by key orders by key alone. Text compares by ordinal.
/// The rows after a cursor with value V and key K, ascending: value &gt; V, or value = V and key &gt; K, or no value;
/// descending: value &lt; V, or value = V and key &lt; K, or no value. After a cursor without a value: rows without
/// a value whose key is &gt; K (ascending) or &lt; K (descending). A cursor only fits the sort it was made for.
/// </summary>
/// <param name="SortColumn">Sort column of the query that made it (<c>key</c> when sorted by key).</param>
/// <param name="Descending">Sort direction of that query.</param>
/// <param name="Value">Sort value of the row (string, double, DateTimeOffset, bool) or null; unused when sorted by key.</param>
/// <param name="Key">Row key.</param>
public sealed record TableCursor(string SortColumn, bool Descending, object? Value, string Key)
{
    /// <summary>The cursor after <paramref name="row"/> in a query sorted by <paramref name="sortColumn"/> (null: the key).</summary>
    public static TableCursor After(TableRow row, string? sortColumn, bool descending)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (sortColumn is null || string.Equals(sortColumn, QueryParser.KeyColumn, StringComparison.OrdinalIgnoreCase))
        {
            return new TableCursor(QueryParser.KeyColumn, descending, null, row.Key);
        }

        // Row values are keyed by the definition's spelling; the query may spell the column in another case.
        var value = row.Values.TryGetValue(sortColumn, out var exact)
            ? exact
            : row.Values.FirstOrDefault(v => string.Equals(v.Key, sortColumn, StringComparison.OrdinalIgnoreCase)).Value;
        return new TableCursor(sortColumn, descending, value, row.Key);
    }

    /// <summary>Whether the cursor was made for this sort (a null column means the key).</summary>
    public bool Fits(string? sortColumn, bool descending) =>
        descending == Descending && string.Equals(sortColumn ?? QueryParser.KeyColumn, SortColumn, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The cursor as an opaque URL-safe token: base64url of <c>{"s": column, "d": descending, "k": key, "v": value}</c>,
    /// times as ISO-8601 UTC text.
    /// </summary>
    public string Encode()
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("s", SortColumn);
            writer.WriteBoolean("d", Descending);
            writer.WriteString("k", Key);
            writer.WritePropertyName("v");
            switch (Value)
            {
                case null:
                    writer.WriteNullValue();
                    break;
                case bool b:
                    writer.WriteBooleanValue(b);
                    break;
                case double d when double.IsFinite(d):
                    writer.WriteNumberValue(d);
                    break;
                case DateTimeOffset t:
                    writer.WriteStringValue(t.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
                    break;
                case IFormattable f:
                    writer.WriteStringValue(f.ToString(null, CultureInfo.InvariantCulture));
                    break;
                default:
                    writer.WriteStringValue(Value.ToString());
                    break;
            }

            writer.WriteEndObject();
        }

        return Base64Url.EncodeToString(buffer.WrittenSpan);
    }

    /// <summary>
    /// Reads a token made by <see cref="Encode"/>; null when it is not one. The value comes back as JSON gives it
    /// (string, double, bool or null): <see cref="QueryParser"/> converts it to the sort column's type.
    /// </summary>
    public static TableCursor? TryDecode(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 4096)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(Base64Url.DecodeFromChars(token));
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("s", out var s) || s.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("d", out var d) || d.ValueKind is not (JsonValueKind.True or JsonValueKind.False)
                || !root.TryGetProperty("k", out var k) || k.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("v", out var v))
            {
                return null;
            }

            object? value = v.ValueKind switch
            {
                JsonValueKind.Null => null,
                JsonValueKind.String => v.GetString(),
                JsonValueKind.Number => v.GetDouble(),
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => v,
            };
            return value is JsonElement ? null : new TableCursor(s.GetString()!, d.GetBoolean(), value, k.GetString()!);
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return null;
        }
    }
}

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
    /// <summary>
    /// Keyset paging: when set, the page starts right after this position (see <see cref="TableCursor"/>) instead
    /// of at <see cref="Offset"/>, which must then be 0. It must fit <see cref="SortColumn"/> and <see cref="Descending"/>.
    /// </summary>
    public TableCursor? After { get; init; }

    /// <summary>Everything, sorted by key, first page of 100.</summary>
    public static TableQuery Default { get; } = new([], null, false, 0, 100);
}
