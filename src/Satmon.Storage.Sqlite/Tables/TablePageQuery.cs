using System.Globalization;
using Microsoft.Data.Sqlite;
using Satmon.Core.Tables;

namespace Satmon.Storage.Sqlite.Tables;

/// <summary>
/// A filtered, sorted page and its total. SQLite's planner does not weigh LIMIT/OFFSET well: given an equality
/// on a three-valued status column it fetches and sorts 70 000 rows for a 100-row page, where walking the sort
/// column's index and skipping non-matching rows would touch a few hundred. So the total is counted first
/// (cheap through an index, cached per table version), and from it the plan with fewer expected row visits is
/// chosen and pinned: walk the sort index (from whichever end is nearer the page), or collect the matches and sort.
/// </summary>
internal static class TablePageQuery
{
    // Reading a row in a full scan costs about a third of fetching one through an index lookup.
    private const double ScanCostPerRow = 0.3;

    public static TablePage Run(SqliteConnection connection, TableInfo table, TableQuery query)
    {
        var where = TableSql.Where(table, query.Filters);
        var offset = Math.Max(0, query.Offset);
        var limit = Math.Max(0, query.Limit);

        var before = table.Version;
        using var transaction = connection.BeginTransaction(deferred: true);
        // Start the read snapshot, then check no write committed in between: only then do cached counts apply.
        Sql.Scalar(connection, transaction, $"SELECT 1 FROM {table.QuotedTable} LIMIT 1");
        var version = table.Version == before && before % 2 == 0 ? before : -1;

        var total = Count(connection, transaction, table, where, version);
        if (limit == 0 || offset >= total)
        {
            return new TablePage(total, []);
        }

        var (plan, reverse) = Choose(connection, transaction, table, query, where, offset, limit, total, version);
        var take = reverse ? Math.Min(limit, total - offset) : limit;
        var skip = reverse ? Math.Max(0, total - offset - limit) : offset;
        using var command = Sql.Command(connection, transaction, "");
        where.AddTo(command);
        var from = plan == Plan.WalkSortIndex
            ? $"{table.QuotedTable} INDEXED BY {Sql.Quote(TableSql.SortIndex(table, query.SortColumn)!)}"
            : table.QuotedTable;
        command.CommandText = $"SELECT {table.SelectList} FROM {from}{where.Sql}"
            + TableSql.OrderBy(table, query.SortColumn, query.Descending, reverse, avoidIndex: plan == Plan.CollectAndSort)
            + " LIMIT $limit OFFSET $offset";
        command.Parameters.AddWithValue("$limit", take);
        command.Parameters.AddWithValue("$offset", skip);
        var rows = new List<TableRow>((int)Math.Min(take, 1_000));
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                rows.Add(TableValues.ReadRow(table, reader));
            }
        }

        if (reverse)
        {
            rows.Reverse();
        }

        return new TablePage(total, rows);
    }

    private enum Plan
    {
        /// <summary>Let SQLite choose (no filter, or no index in the sort order).</summary>
        Default,
        /// <summary>Walk the sort column's index, skipping rows that fail the filter.</summary>
        WalkSortIndex,
        /// <summary>Find the matching rows (through a filter index or a scan), then sort them.</summary>
        CollectAndSort,
    }

    private static (Plan Plan, bool Reverse) Choose(
        SqliteConnection connection, SqliteTransaction transaction, TableInfo table, TableQuery query, WhereClause where,
        long offset, long limit, long total, long version)
    {
        if (where.Parameters.Count == 0 || TableSql.SortIndex(table, query.SortColumn) is null)
        {
            return (Plan.Default, false);
        }

        // Expected rows visited: walking the index until the page ends, from the front or from the back; or
        // fetching every match (through an index when the filter has one, else a scan of every row).
        var rows = (double)Count(connection, transaction, table, WhereClause.None, version);
        var forward = (offset + limit) * rows / total;
        var backward = (total - offset) * rows / total;
        var collect = where.Indexable ? total : ScanCostPerRow * rows;
        return Math.Min(forward, backward) < collect
            ? (Plan.WalkSortIndex, backward < forward)
            : (Plan.CollectAndSort, false);
    }

    private static long Count(SqliteConnection connection, SqliteTransaction transaction, TableInfo table, WhereClause where, long version)
    {
        if (version >= 0 && table.TryGetCount(where.Key, version, out var cached))
        {
            return cached;
        }

        using var command = Sql.Command(connection, transaction, $"SELECT count(*) FROM {table.QuotedTable}{where.Sql}");
        where.AddTo(command);
        var count = Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        if (version >= 0)
        {
            table.SetCount(where.Key, version, count);
        }

        return count;
    }
}
