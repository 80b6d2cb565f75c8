using System.Globalization;
using Satmon.Core.Objects;

namespace Satmon.Core.Tables;

/// <summary>A query parameter the caller got wrong; the message says what to fix.</summary>
public sealed class QueryParseException(string message) : Exception(message);

/// <summary>
/// Parses the API's <c>filter</c> and <c>sort</c> parameters against a table definition.
/// Filter: <c>column op value</c> with op one of eq, ne, gt, lt, contains; several clauses joined by <c> and </c>
/// or given as repeated parameters. Sort: <c>column</c>, <c>-column</c> or <c>column desc</c>.
/// </summary>
public static class QueryParser
{
    /// <summary>The pseudo-column naming the row key.</summary>
    public const string KeyColumn = "key";

    /// <summary>Largest page the API serves.</summary>
    public const int MaxLimit = 10_000;

    /// <summary>Builds a validated table query; <paramref name="cursor"/> is a <see cref="TableCursor"/> token from a previous page.</summary>
    public static TableQuery Parse(TableDefinition table, IEnumerable<string> filters, string? sort, int? offset, int? limit, string? cursor = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        var query = Parse(new Schema($"Table '{table.Name}'", KeyColumn, table.Columns.Select(c => (c.Name, c.Type)).ToList()), filters, sort, offset, limit);
        if (string.IsNullOrEmpty(cursor))
        {
            return query;
        }

        if (query.Offset != 0)
        {
            throw new QueryParseException("cursor and offset cannot be combined: the cursor already says where the page starts. Leave out offset.");
        }

        return query with { After = ParseCursor(table, query, cursor) };
    }

    private static TableCursor ParseCursor(TableDefinition table, TableQuery query, string token)
    {
        var cursor = TableCursor.TryDecode(token)
            ?? throw new QueryParseException("cursor is not a page cursor of this table; pass the nextCursor of the previous page unchanged, or leave cursor out to start at the first page.");
        if (!cursor.Fits(query.SortColumn, query.Descending))
        {
            throw new QueryParseException(
                $"cursor was made for sort '{(cursor.Descending ? "-" : "")}{cursor.SortColumn}'; repeat that sort with it, or leave cursor out to start at the first page.");
        }

        if (string.Equals(cursor.SortColumn, KeyColumn, StringComparison.OrdinalIgnoreCase))
        {
            return cursor with { SortColumn = KeyColumn, Value = null };
        }

        var column = table.FindColumn(cursor.SortColumn)!;
        object? value = (column.Type, cursor.Value) switch
        {
            (_, null) => null,
            (ColumnType.Number, double d) => d,
            (ColumnType.Bool, bool b) => b,
            (ColumnType.Timestamp, string text) when DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) => t.ToUniversalTime(),
            (ColumnType.String or ColumnType.Enum, string text) => text,
            _ => throw new QueryParseException(
                $"cursor holds a value that does not fit column '{column.Name}'; pass the nextCursor of the previous page unchanged, or leave cursor out to start at the first page."),
        };
        return cursor with { SortColumn = column.Name, Value = value };
    }

    /// <summary>Builds a validated object query (field names, <c>id</c> for the object id).</summary>
    public static ObjectQuery ParseObjects(
        ObjectDefinition definition, string? elementId, IEnumerable<string> filters, string? sort, int? offset, int? limit)
    {
        var fields = definition.Fields.Select(f => (f.Name, f.Type switch
        {
            FieldType.Number => ColumnType.Number,
            FieldType.Timestamp => ColumnType.Timestamp,
            FieldType.Bool => ColumnType.Bool,
            _ => ColumnType.String,
        })).ToList();
        var q = Parse(new Schema($"Definition '{definition.Name}'", "id", fields), filters, sort, offset, limit);
        return new ObjectQuery(elementId, q.Filters, q.SortColumn, q.Descending, q.Offset, q.Limit);
    }

    private sealed record Schema(string Subject, string IdName, IReadOnlyList<(string Name, ColumnType Type)> Columns);

    private static TableQuery Parse(Schema table, IEnumerable<string> filters, string? sort, int? offset, int? limit)
    {
        var clauses = new List<FilterClause>();
        foreach (var filter in filters.Where(f => !string.IsNullOrWhiteSpace(f)))
        {
            foreach (var part in SplitAnd(filter))
            {
                clauses.Add(ParseClause(table, part));
            }
        }

        var (sortColumn, descending) = ParseSort(table, sort);
        var skip = offset ?? 0;
        var take = limit ?? 100;
        if (skip < 0)
        {
            throw new QueryParseException($"offset must be 0 or more; got {skip}.");
        }

        if (take is < 1 or > MaxLimit)
        {
            throw new QueryParseException($"limit must be between 1 and {MaxLimit}; got {take}.");
        }

        return new TableQuery(clauses, sortColumn, descending, skip, take);
    }

    private static IEnumerable<string> SplitAnd(string filter) =>
        filter.Split(" and ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static FilterClause ParseClause(Schema table, string text)
    {
        var parts = text.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 3)
        {
            throw new QueryParseException(
                $"Filter '{text}' is not 'column op value' (op: eq, ne, gt, lt, contains), e.g. 'latency gt 600'.");
        }

        var type = ColumnTypeOf(table, parts[0], out var column);
        var op = parts[1].ToLowerInvariant() switch
        {
            "eq" => FilterOperator.Eq,
            "ne" => FilterOperator.Ne,
            "gt" => FilterOperator.Gt,
            "lt" => FilterOperator.Lt,
            "contains" => FilterOperator.Contains,
            _ => throw new QueryParseException($"Filter operator '{parts[1]}' is unknown; use eq, ne, gt, lt or contains."),
        };
        var raw = parts[2].Trim().Trim('\'', '"');
        if (op == FilterOperator.Contains && type is not (ColumnType.String or ColumnType.Enum))
        {
            throw new QueryParseException($"'contains' works on text columns only; '{column}' is {type.ToString().ToLowerInvariant()}.");
        }

        return new FilterClause(column, op, ConvertValue(column, type, raw));
    }

    /// <summary>Converts a filter value to the column's type, or explains why it cannot.</summary>
    public static object ConvertValue(string column, ColumnType type, string raw) => type switch
    {
        ColumnType.Number => double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            ? d
            : throw new QueryParseException($"'{column}' is a number column; '{raw}' is not a number."),
        ColumnType.Timestamp => DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? t.ToUniversalTime()
            : throw new QueryParseException($"'{column}' is a timestamp column; '{raw}' is not an ISO-8601 time."),
        ColumnType.Bool => bool.TryParse(raw, out var b)
            ? b
            : throw new QueryParseException($"'{column}' is a true/false column; '{raw}' is neither."),
        _ => raw,
    };

    private static (string? Column, bool Descending) ParseSort(Schema table, string? sort)
    {
        if (string.IsNullOrWhiteSpace(sort))
        {
            return (null, false);
        }

        var text = sort.Trim();
        var descending = false;
        if (text.StartsWith('-'))
        {
            descending = true;
            text = text[1..];
        }
        else if (text.EndsWith(" desc", StringComparison.OrdinalIgnoreCase))
        {
            descending = true;
            text = text[..^5].Trim();
        }
        else if (text.EndsWith(" asc", StringComparison.OrdinalIgnoreCase))
        {
            text = text[..^4].Trim();
        }

        ColumnTypeOf(table, text, out var column);
        return (column, descending);
    }

    private static ColumnType ColumnTypeOf(Schema table, string name, out string column)
    {
        if (string.Equals(name, table.IdName, StringComparison.OrdinalIgnoreCase))
        {
            column = table.IdName;
            return ColumnType.String;
        }

        foreach (var (colName, type) in table.Columns)
        {
            if (string.Equals(colName, name, StringComparison.OrdinalIgnoreCase))
            {
                column = colName;
                return type;
            }
        }

        throw new QueryParseException(
            $"{table.Subject} has no column '{name}'. Columns: {table.IdName}, {string.Join(", ", table.Columns.Select(c => c.Name))}.");
    }
}
