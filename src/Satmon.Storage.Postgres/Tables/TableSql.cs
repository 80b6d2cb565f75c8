using System.Globalization;
using System.Text;
using Npgsql;
using Satmon.Core.Storage;
using Satmon.Core.Tables;

namespace Satmon.Storage.Postgres.Tables;

/// <summary>
/// Builds the SQL of current-value tables. Identifiers come only from the registry (generated, sanitized, quoted);
/// every caller-supplied value (keys, row values, filter values) is a parameter.
/// </summary>
internal static class TableSql
{
    private const string Key = TableRegistry.KeyColumn;

    // IF NOT EXISTS throughout: the element lock already serialises nodes, and these keep a retried or half-seen
    // change harmless.
    public static string CreateTable(string physicalName, IEnumerable<StoredColumn> columns) =>
        $"CREATE TABLE IF NOT EXISTS {SqlText.Quote(physicalName)} ({Key} text COLLATE \"C\" NOT NULL PRIMARY KEY"
        + string.Concat(columns.Select(c => $", {SqlText.Quote(c.Physical)} {TableValues.SqlType(c.Type)}")) + ")";

    public static string AddColumn(string physicalName, StoredColumn column) =>
        $"ALTER TABLE {SqlText.Quote(physicalName)} ADD COLUMN IF NOT EXISTS {SqlText.Quote(column.Physical)} {TableValues.SqlType(column.Type)}";

    public static string DropColumn(string physicalName, StoredColumn column) =>
        $"ALTER TABLE {SqlText.Quote(physicalName)} DROP COLUMN IF EXISTS {SqlText.Quote(column.Physical)}";

    /// <summary>An index on (column, key): the order of a page sorted by the column, so an offset or a cursor is a walk or a seek.</summary>
    public static string CreateIndex(string physicalName, StoredColumn column) =>
        $"CREATE INDEX IF NOT EXISTS {SqlText.Quote(TableInfo.IndexName(physicalName, column))} ON {SqlText.Quote(physicalName)} ({SqlText.Quote(column.Physical)}, {Key})";

    /// <summary>
    /// Insert-or-update of one column set, given as indexes into <see cref="TableInfo.Columns"/> ("0,3,4"):
    /// columns outside the set keep their stored values. Parameters by position, each an array: the keys, then
    /// the set's columns.
    /// </summary>
    public static string Upsert(TableInfo table, string shape)
    {
        var columns = ParseShape(shape).Select(i => table.Columns[i]).ToList();
        var sb = new StringBuilder();
        sb.Append("INSERT INTO ").Append(table.QuotedTable).Append(" (").Append(Key);
        foreach (var column in columns)
        {
            sb.Append(", ").Append(SqlText.Quote(column.Physical));
        }

        sb.Append(") SELECT * FROM unnest($1::text[]");
        for (var i = 0; i < columns.Count; i++)
        {
            sb.Append(", $").Append((i + 2).ToString(CultureInfo.InvariantCulture)).Append("::").Append(TableValues.ArrayType(columns[i].Type));
        }

        sb.Append(") ON CONFLICT (").Append(Key).Append(") DO ");
        if (columns.Count == 0)
        {
            return sb.Append("NOTHING").ToString();
        }

        sb.Append("UPDATE SET ");
        sb.AppendJoin(", ", columns.Select(c => $"{SqlText.Quote(c.Physical)} = excluded.{SqlText.Quote(c.Physical)}"));
        return sb.ToString();
    }

    private static IEnumerable<int> ParseShape(string shape) =>
        shape.Length == 0 ? [] : shape.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture));

    /// <summary>The filters as a WHERE clause (leading space included, or empty) with positional parameters from $1.</summary>
    public static (string Sql, List<object> Values) Where(TableInfo table, IReadOnlyList<FilterClause> filters)
    {
        var values = new List<object>(filters.Count);
        if (filters.Count == 0)
        {
            return ("", values);
        }

        var clauses = new List<string>(filters.Count);
        foreach (var filter in filters)
        {
            var name = "$" + (values.Count + 1).ToString(CultureInfo.InvariantCulture);
            string expression;
            object value;
            var text = true;
            if (string.Equals(filter.Column, QueryParser.KeyColumn, StringComparison.OrdinalIgnoreCase))
            {
                expression = Key;
                value = Convert.ToString(filter.Value, CultureInfo.InvariantCulture) ?? "";
            }
            else
            {
                var column = table.Resolve(filter.Column);
                expression = SqlText.Quote(column.Physical);
                text = column.Type is ColumnType.String or ColumnType.Enum;
                value = filter.Operator == FilterOperator.Contains
                    ? Convert.ToString(filter.Value, CultureInfo.InvariantCulture) ?? ""
                    : TableValues.FilterToDb(table, column, filter.Value);
            }

            clauses.Add(filter.Operator switch
            {
                FilterOperator.Eq => $"{expression} = {name}",
                // A row without a value differs from every value, so "status ne online" lists it too.
                FilterOperator.Ne => $"{expression} IS DISTINCT FROM {name}",
                FilterOperator.Gt => $"{expression} > {name}",
                FilterOperator.Lt => $"{expression} < {name}",
                // ILIKE's default escape character is the backslash, which EscapeLike uses. Under "C" only ASCII
                // letters fold, the same as SQLite's LIKE.
                FilterOperator.Contains => $"{expression}{(text ? "" : "::text")} ILIKE {name}",
                _ => throw new ArgumentOutOfRangeException(nameof(filters), filter.Operator, "Unknown filter operator."),
            });
            values.Add(filter.Operator == FilterOperator.Contains ? "%" + SqlText.EscapeLike((string)value) + "%" : value);
        }

        return (" WHERE " + string.Join(" AND ", clauses), values);
    }

    /// <summary>
    /// " ORDER BY …": by key, or by a column and then by key so that pages never overlap. The order leaves NULLs
    /// where the column's (column, key) index has them, so that one index serves both directions: ascending is a
    /// forward walk (NULLs last), descending a backward walk (NULLs first). "NULLS LAST" in the descending order
    /// would not fit a backward walk, and PostgreSQL would then fetch and sort every matching row. So each statement
    /// sorted by a column reads either only rows with a value or only rows without one (see
    /// <see cref="TablePageQuery"/>); among the latter, ordering by the column and key is ordering by key, as a walk
    /// of the index's NULL range yields them. <paramref name="reverse"/> gives the mirror order, to read from the far end.
    /// </summary>
    public static string OrderBy(StoredColumn? column, bool descending, bool reverse = false)
    {
        var direction = descending != reverse ? "DESC" : "ASC";
        return column is null
            ? $" ORDER BY {Key} {direction}"
            : $" ORDER BY {SqlText.Quote(column.Physical)} {direction}, {Key} {direction}";
    }

    /// <summary>Adds positional parameters in order.</summary>
    public static void AddValues(NpgsqlBatchCommand command, IEnumerable<object> values)
    {
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }
    }
}
