using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Satmon.Core.Storage;
using Satmon.Core.Tables;

namespace Satmon.Storage.Sqlite.Tables;

/// <summary>
/// Builds the SQL of current-value tables. Identifiers come only from the registry (generated, sanitized, quoted);
/// every caller-supplied value (keys, row values, filter values) is a parameter.
/// </summary>
internal static class TableSql
{
    private const string Key = TableRegistry.KeyColumn;

    /// <summary>
    /// A rowid table (not WITHOUT ROWID, measured: upserts were about a tenth faster without rowid, but a page walking
    /// a column index fetched each row by its text key about half as fast again as by rowid).
    /// </summary>
    public static string CreateTable(string physicalName, IEnumerable<StoredColumn> columns) =>
        $"CREATE TABLE {SqlText.Quote(physicalName)} ({Key} TEXT NOT NULL PRIMARY KEY"
        + string.Concat(columns.Select(c => $", {SqlText.Quote(c.Physical)} {TableValues.SqlType(c.Type)}")) + ")";

    public static string AddColumn(string physicalName, StoredColumn column) =>
        $"ALTER TABLE {SqlText.Quote(physicalName)} ADD COLUMN {SqlText.Quote(column.Physical)} {TableValues.SqlType(column.Type)}";

    public static string CreateIndex(string physicalName, StoredColumn column) =>
        $"CREATE INDEX IF NOT EXISTS {SqlText.Quote(TableInfo.IndexName(physicalName, column))} ON {SqlText.Quote(physicalName)} ({SqlText.Quote(column.Physical)}, {Key})";

    /// <summary>
    /// Insert-or-update of one column set, given as indexes into <see cref="TableInfo.Columns"/> ("0,3,4"):
    /// columns outside the set keep their stored values. Parameters by position: the key, then the set's columns.
    /// </summary>
    public static string Upsert(TableInfo table, string shape)
    {
        var columns = ParseShape(shape).Select(i => SqlText.Quote(table.Columns[i].Physical)).ToList();
        var sb = new StringBuilder();
        sb.Append("INSERT INTO ").Append(table.QuotedTable).Append(" (").Append(Key);
        foreach (var column in columns)
        {
            sb.Append(", ").Append(column);
        }

        sb.Append(") VALUES (?");
        for (var i = 0; i < columns.Count; i++)
        {
            sb.Append(", ?");
        }

        sb.Append(") ON CONFLICT (").Append(Key).Append(") DO ");
        if (columns.Count == 0)
        {
            return sb.Append("NOTHING").ToString();
        }

        sb.Append("UPDATE SET ");
        sb.AppendJoin(", ", columns.Select(c => $"{c} = excluded.{c}"));
        return sb.ToString();
    }

    private static IEnumerable<int> ParseShape(string shape) =>
        shape.Length == 0 ? [] : shape.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture));

    /// <summary>
    /// The filters as a WHERE clause with its parameters. <see cref="WhereClause.Key"/> identifies the filter with
    /// its values (for the count cache); <see cref="WhereClause.Indexable"/> says whether SQLite can find the
    /// matching rows through an index instead of reading the whole table.
    /// </summary>
    public static WhereClause Where(TableInfo table, IReadOnlyList<FilterClause> filters)
    {
        if (filters.Count == 0)
        {
            return WhereClause.None;
        }

        var clauses = new List<string>(filters.Count);
        var parameters = new List<(string Name, object Value)>(filters.Count);
        var indexable = false;
        var columns = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < filters.Count; i++)
        {
            var filter = filters[i];
            var name = "$f" + i.ToString(CultureInfo.InvariantCulture);
            string expression;
            object value;
            bool indexed;
            if (string.Equals(filter.Column, QueryParser.KeyColumn, StringComparison.OrdinalIgnoreCase))
            {
                expression = Key;
                value = Convert.ToString(filter.Value, CultureInfo.InvariantCulture) ?? "";
                indexed = true;
                columns.Add(Key);
            }
            else
            {
                var column = ResolveColumn(table, filter.Column);
                expression = SqlText.Quote(column.Physical);
                value = filter.Operator == FilterOperator.Contains
                    ? Convert.ToString(filter.Value, CultureInfo.InvariantCulture) ?? ""
                    : TableValues.FilterToDb(table, column, filter.Value);
                indexed = table.IndexOn(column) is not null;
                columns.Add(column.Physical);
            }

            clauses.Add(filter.Operator switch
            {
                FilterOperator.Eq => $"{expression} = {name}",
                // IS NOT: a row without a value differs from every value, so "status ne online" lists it too.
                FilterOperator.Ne => $"{expression} IS NOT {name}",
                FilterOperator.Gt => $"{expression} > {name}",
                FilterOperator.Lt => $"{expression} < {name}",
                FilterOperator.Contains => $"{expression} LIKE {name} ESCAPE '\\'",
                _ => throw new ArgumentOutOfRangeException(nameof(filters), filter.Operator, "Unknown filter operator."),
            });
            if (filter.Operator == FilterOperator.Contains)
            {
                value = "%" + SqlText.EscapeLike((string)value) + "%";
            }

            indexable |= indexed && filter.Operator is FilterOperator.Eq or FilterOperator.Gt or FilterOperator.Lt;
            parameters.Add((name, value));
        }

        var sql = " WHERE " + string.Join(" AND ", clauses);
        var key = sql + "\n" + string.Join("\n", parameters.Select(p => p.Value.GetType().Name + ":" + Convert.ToString(p.Value, CultureInfo.InvariantCulture)));
        return new WhereClause(sql, parameters, key, indexable, columns);
    }

    /// <summary>
    /// " ORDER BY …": by key, or by a column with rows lacking a value last in both directions, then by key so
    /// that pages never overlap. <paramref name="reverse"/> gives the exact mirror order (to read a page from the
    /// far end); <paramref name="avoidIndex"/> writes the sort term as an expression, which keeps SQLite from
    /// walking the sort column's index.
    /// </summary>
    public static string OrderBy(TableInfo table, string? sortColumn, bool descending, bool reverse = false, bool avoidIndex = false)
    {
        var ascending = descending == reverse;
        var direction = ascending ? "ASC" : "DESC";
        var prefix = avoidIndex ? "+" : "";
        if (IsKey(sortColumn))
        {
            return $" ORDER BY {prefix}{Key} {direction}";
        }

        var column = ResolveColumn(table, sortColumn!);
        // Rows without a value come last in the requested order, hence first in its mirror.
        var nulls = reverse ? "NULLS FIRST" : "NULLS LAST";
        return $" ORDER BY {prefix}{SqlText.Quote(column.Physical)} {direction} {nulls}, {Key} {direction}";
    }

    public static bool IsKey(string? sortColumn) =>
        sortColumn is null || string.Equals(sortColumn, QueryParser.KeyColumn, StringComparison.OrdinalIgnoreCase);

    /// <summary>The index that yields rows in the sort order, or null.</summary>
    public static string? SortIndex(TableInfo table, string? sortColumn) =>
        IsKey(sortColumn) ? table.KeyIndex : table.IndexOn(ResolveColumn(table, sortColumn!));

    public static StoredColumn ResolveColumn(TableInfo table, string name)
    {
        var index = table.IndexOf(name);
        return index >= 0
            ? table.Columns[index]
            : throw new ArgumentException(
                $"Table '{table.Name}' has no column '{name}'. Columns: {QueryParser.KeyColumn}, {string.Join(", ", table.Columns.Select(c => c.Name))}.");
    }
}

/// <summary>A WHERE clause and its parameters.</summary>
/// <param name="Sql">The clause, leading space included, or empty.</param>
/// <param name="Parameters">Its parameters.</param>
/// <param name="Key">The clause with its values, for the count cache.</param>
/// <param name="Indexable">Whether an index finds the matching rows.</param>
/// <param name="Columns">Physical columns the filters test (<c>row_key</c> for the key).</param>
internal sealed record WhereClause(string Sql, IReadOnlyList<(string Name, object Value)> Parameters, string Key, bool Indexable, IReadOnlySet<string> Columns)
{
    public static WhereClause None { get; } = new("", [], "", false, new HashSet<string>());

    public void AddTo(SqliteCommand command)
    {
        foreach (var (name, value) in Parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
    }
}
