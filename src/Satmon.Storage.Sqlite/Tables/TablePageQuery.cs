using System.Globalization;
using Microsoft.Data.Sqlite;
using Satmon.Core.Storage;
using Satmon.Core.Tables;

namespace Satmon.Storage.Sqlite.Tables;

/// <summary>
/// A filtered, sorted page and its total, at an offset or after a cursor (keyset paging). SQLite's planner does not
/// weigh LIMIT/OFFSET well: given an equality on a three-valued status column it fetches and sorts 70 000 rows for
/// a 100-row page, where walking the sort column's index and skipping non-matching rows would touch a few hundred.
/// So the total is counted first (cheap through an index, cached per table version), and from it the plan with the
/// lowest expected cost is chosen and pinned: walk the sort index (from whichever end is nearer the page, or from
/// the cursor), or collect the matches (through the filter's index, or by a scan) and sort them.
/// </summary>
internal static class TablePageQuery
{
    // Costs per row in microseconds, measured on a 100 000-row table of 20 columns (bench (c)): walking the sort
    // index and fetching the row to test the filter; walking it when the filter needs only the index (sort column or
    // key); fetching a match through the filter's index; reading a row in a full scan; sorting a match.
    private const double WalkCost = 0.55;
    private const double WalkIndexOnlyCost = 0.05;
    private const double FetchCost = 1.1;
    private const double ScanCost = 0.13;
    private const double SortCost = 0.5;

    public static TablePage Run(SqliteConnection connection, TableInfo table, TableQuery query)
    {
        var after = query.After;
        if (after is not null && !after.Fits(query.SortColumn, query.Descending))
        {
            throw new ArgumentException(
                $"The cursor was made for sort '{after.SortColumn}'{(after.Descending ? " descending" : "")}; the query sorts by '{query.SortColumn ?? QueryParser.KeyColumn}'{(query.Descending ? " descending" : "")}.",
                nameof(query));
        }

        if (after is not null && query.Offset != 0)
        {
            throw new ArgumentException("A query with a cursor starts after it; its offset must be 0.", nameof(query));
        }

        var sortColumn = TableSql.IsKey(query.SortColumn) ? null : TableSql.ResolveColumn(table, query.SortColumn!);
        var where = TableSql.Where(table, query.Filters);
        var offset = Math.Max(0, query.Offset);
        var limit = Math.Max(0, query.Limit);

        var before = table.Version;
        using var transaction = connection.BeginTransaction(deferred: true);
        // Start the read snapshot, then check no write committed in between: only then do cached counts apply.
        Sql.Scalar(connection, transaction, $"SELECT 1 FROM {table.QuotedTable} LIMIT 1");
        var version = table.Version == before && before % 2 == 0 ? before : -1;
        var scope = new Scope(connection, transaction, table, where, version);

        var total = Count(scope, where);
        if (limit == 0 || total == 0 || (after is null && offset >= total))
        {
            return new TablePage(total, []);
        }

        List<TableRow> rows;
        bool more;
        if (after is null)
        {
            rows = ReadAtOffset(scope, query, offset, limit, total);
            more = offset + rows.Count < total;
        }
        else
        {
            // One row more than the page tells whether another page follows.
            rows = ReadAfter(scope, sortColumn, query.Descending, after, limit + 1, total);
            more = rows.Count > limit;
            if (more)
            {
                rows.RemoveAt(rows.Count - 1);
            }
        }

        var next = more && rows.Count > 0 ? TableCursor.After(rows[^1], sortColumn?.Name, query.Descending) : null;
        return new TablePage(total, rows) { NextCursor = next };
    }

    /// <summary>What every statement of one page query shares: the snapshot's transaction, the filter, the count cache version.</summary>
    private sealed record Scope(SqliteConnection Connection, SqliteTransaction Transaction, TableInfo Table, WhereClause Where, long Version);

    private enum Plan
    {
        /// <summary>Let SQLite choose (no filter, or no index in the sort order).</summary>
        Default,
        /// <summary>Walk the sort column's index, skipping rows that fail the filter.</summary>
        WalkSortIndex,
        /// <summary>Find the matching rows through the filter's index, then sort them.</summary>
        CollectViaIndex,
        /// <summary>Scan every row for the matches, then sort them.</summary>
        CollectViaScan,
    }

    private static List<TableRow> ReadAtOffset(Scope scope, TableQuery query, long offset, long limit, long total)
    {
        var (plan, reverse) = ChooseForOffset(scope, query.SortColumn, offset, limit, total);
        var take = reverse ? Math.Min(limit, total - offset) : limit;
        var skip = reverse ? Math.Max(0, total - offset - limit) : offset;
        var orderBy = TableSql.OrderBy(scope.Table, query.SortColumn, query.Descending, reverse, avoidIndex: IsCollect(plan));
        var rows = Select(scope, plan, query.SortColumn, "", [], orderBy, take, skip);
        if (reverse)
        {
            rows.Reverse();
        }

        return rows;
    }

    /// <summary>
    /// Rows after the cursor, in two segments: first the rows with a sort value, by (value, key) — a range of the
    /// (column, key) index — then the rows without one, by key. Each segment is one seek, whatever the position.
    /// </summary>
    private static List<TableRow> ReadAfter(Scope scope, StoredColumn? sortColumn, bool descending, TableCursor after, int need, long total)
    {
        var table = scope.Table;
        var direction = descending ? "DESC" : "ASC";
        var beyond = descending ? "<" : ">";
        const string Key = TableRegistry.KeyColumn;
        if (sortColumn is null)
        {
            var plan = ChooseForCursor(scope, null, need, total);
            var orderBy = $" ORDER BY {(IsCollect(plan) ? "+" : "")}{Key} {direction}";
            return Select(scope, plan, null, $"{Key} {beyond} $after_key", [("$after_key", after.Key)], orderBy, need, 0);
        }

        var column = SqlText.Quote(sortColumn.Physical);
        var rows = new List<TableRow>();
        if (after.Value is not null)
        {
            var plan = ChooseForCursor(scope, sortColumn.Name, need, total);
            var prefix = IsCollect(plan) ? "+" : "";
            // A row value comparison is false for a NULL sort value, so this segment holds only rows with a value.
            rows = Select(scope, plan, sortColumn.Name, $"({column}, {Key}) {beyond} ($after_value, $after_key)",
                [("$after_value", TableValues.FilterToDb(table, sortColumn, after.Value)), ("$after_key", after.Key)],
                $" ORDER BY {prefix}{column} {direction}, {Key} {direction}", need, 0);
            if (rows.Count == need)
            {
                return rows;
            }
        }

        // Rows without a value: all of them after a cursor that had a value, else those beyond its key. Usually few,
        // and "column IS NULL" is an equality on the (column, key) index, so SQLite's own plan is fine here.
        var nulls = after.Value is null
            ? Select(scope, Plan.Default, sortColumn.Name, $"{column} IS NULL AND {Key} {beyond} $after_key", [("$after_key", after.Key)],
                $" ORDER BY {Key} {direction}", need, 0)
            : Select(scope, Plan.Default, sortColumn.Name, $"{column} IS NULL", [], $" ORDER BY {Key} {direction}", need - rows.Count, 0);
        rows.AddRange(nulls);
        return rows;
    }

    private static bool IsCollect(Plan plan) => plan is Plan.CollectViaIndex or Plan.CollectViaScan;

    private static List<TableRow> Select(
        Scope scope, Plan plan, string? sortColumn, string condition, (string Name, object Value)[] parameters, string orderBy, long take, long skip)
    {
        var table = scope.Table;
        using var command = Sql.Command(scope.Connection, scope.Transaction, "");
        scope.Where.AddTo(command);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var from = plan switch
        {
            Plan.WalkSortIndex => $"{table.QuotedTable} INDEXED BY {SqlText.Quote(TableSql.SortIndex(table, sortColumn)!)}",
            Plan.CollectViaScan => $"{table.QuotedTable} NOT INDEXED",
            _ => table.QuotedTable,
        };
        var where = condition.Length == 0 ? scope.Where.Sql
            : scope.Where.Sql.Length == 0 ? " WHERE " + condition
            : scope.Where.Sql + " AND " + condition;
        // A sort carries its rows' columns: sorting rowids only and fetching the page's rows after halves its cost.
        var collect = IsCollect(plan);
        command.CommandText = $"SELECT {(collect ? "rowid" : table.SelectList)} FROM {from}{where}{orderBy} LIMIT $limit OFFSET $offset";
        command.Parameters.AddWithValue("$limit", take);
        command.Parameters.AddWithValue("$offset", skip);
        using var reader = command.ExecuteReader();
        if (collect)
        {
            var rowids = new List<long>((int)Math.Min(take, 1_000));
            while (reader.Read())
            {
                rowids.Add(reader.GetInt64(0));
            }

            return Fetch(scope, rowids);
        }

        var rows = new List<TableRow>((int)Math.Min(take, 1_000));
        while (reader.Read())
        {
            rows.Add(TableValues.ReadRow(table, reader));
        }

        return rows;
    }

    /// <summary>The rows with these rowids, in the order given.</summary>
    private static List<TableRow> Fetch(Scope scope, List<long> rowids)
    {
        if (rowids.Count == 0)
        {
            return [];
        }

        var table = scope.Table;
        // Rowids are integers read from SQLite, so they are written into the SQL as numbers.
        var list = string.Join(",", rowids.Select(r => r.ToString(CultureInfo.InvariantCulture)));
        using var command = Sql.Command(scope.Connection, scope.Transaction, $"SELECT {table.SelectList}, rowid FROM {table.QuotedTable} WHERE rowid IN ({list})");
        using var reader = command.ExecuteReader();
        var byRowid = new Dictionary<long, TableRow>(rowids.Count);
        var rowidOrdinal = table.Columns.Count + 1;
        while (reader.Read())
        {
            byRowid[reader.GetInt64(rowidOrdinal)] = TableValues.ReadRow(table, reader);
        }

        return rowids.Select(r => byRowid[r]).ToList();
    }

    private static (Plan Plan, bool Reverse) ChooseForOffset(Scope scope, string? sortColumn, long offset, long limit, long total)
    {
        if (scope.Where.Parameters.Count == 0 || TableSql.SortIndex(scope.Table, sortColumn) is null)
        {
            return (Plan.Default, false);
        }

        // Rows walked until the page ends, from the front or from the back.
        var rows = (double)Count(scope, WhereClause.None);
        var forward = (offset + limit) * rows / total;
        var backward = (total - offset) * rows / total;
        var plan = Cheapest(scope, sortColumn, Math.Min(forward, backward), rows, total);
        return (plan, plan == Plan.WalkSortIndex && backward < forward);
    }

    private static Plan ChooseForCursor(Scope scope, string? sortColumn, long need, long total)
    {
        if (scope.Where.Parameters.Count == 0 || TableSql.SortIndex(scope.Table, sortColumn) is null)
        {
            return Plan.Default;
        }

        // Walking from the cursor visits about need / (share of rows matching) rows, wherever the cursor is.
        var rows = (double)Count(scope, WhereClause.None);
        return Cheapest(scope, sortColumn, need * rows / total, rows, total);
    }

    /// <summary>The plan with the lowest expected cost, given the rows a walk of the sort index would visit.</summary>
    private static Plan Cheapest(Scope scope, string? sortColumn, double walked, double rows, long total)
    {
        // When every filter tests the sort column or the key, both in the sort index, skipped rows are never fetched.
        var sortPhysical = TableSql.IsKey(sortColumn) ? TableRegistry.KeyColumn : TableSql.ResolveColumn(scope.Table, sortColumn!).Physical;
        var indexOnly = scope.Where.Columns.All(c => c == sortPhysical || c == TableRegistry.KeyColumn);
        var walk = walked * (indexOnly ? WalkIndexOnlyCost : WalkCost);
        var viaIndex = scope.Where.Indexable ? total * (FetchCost + SortCost) : double.MaxValue;
        var viaScan = (rows * ScanCost) + (total * SortCost);
        return walk <= viaIndex && walk <= viaScan ? Plan.WalkSortIndex
            : viaIndex <= viaScan ? Plan.CollectViaIndex
            : Plan.CollectViaScan;
    }

    private static long Count(Scope scope, WhereClause where)
    {
        var table = scope.Table;
        if (scope.Version >= 0 && table.TryGetCount(where.Key, scope.Version, out var cached))
        {
            return cached;
        }

        using var command = Sql.Command(scope.Connection, scope.Transaction, $"SELECT count(*) FROM {table.QuotedTable}{where.Sql}");
        where.AddTo(command);
        var count = Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        if (scope.Version >= 0)
        {
            table.SetCount(where.Key, scope.Version, count);
        }

        return count;
    }
}
