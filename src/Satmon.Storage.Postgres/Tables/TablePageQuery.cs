using Npgsql;
using Satmon.Core.Storage;
using Satmon.Core.Tables;

namespace Satmon.Storage.Postgres.Tables;

/// <summary>
/// A filtered, sorted page and its total, at an offset or after a cursor (keyset paging, see <see cref="TableCursor"/>).
/// The total (counted again only after a write: <see cref="TableCounts"/>) and the page go to the server in one batch. Each page reads one row more than asked, which tells
/// whether a next page exists without trusting the total (counted by a separate statement, so possibly from a
/// slightly different moment).
/// </summary>
internal static class TablePageQuery
{
    private const string Key = TableRegistry.KeyColumn;

    public static async Task<TablePage> RunAsync(NpgsqlConnection connection, TableInfo table, TableQuery query, TableCounts counts, CancellationToken cancellationToken)
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

        var sortColumn = IsKey(query.SortColumn) ? null : table.Resolve(query.SortColumn!);
        var (where, values) = TableSql.Where(table, query.Filters);
        var limit = Math.Max(0, query.Limit);
        var need = limit + 1;
        var direction = query.Descending ? "DESC" : "ASC";
        var beyond = query.Descending ? "<" : ">";

        // The first segment: the whole page at an offset; after a cursor, the rows beyond it that have a sort value
        // (a row comparison is never true for a NULL value), or the rows beyond its key when sorted by key or when
        // the cursor row had no value. Each is one seek on the (column, key) or key index.
        string condition;
        object?[] extra;
        if (after is null)
        {
            condition = "";
            extra = [];
        }
        else if (sortColumn is null)
        {
            condition = $"{Key} {beyond} $k";
            extra = [after.Key];
        }
        else if (after.Value is null)
        {
            condition = $"{SqlText.Quote(sortColumn.Physical)} IS NULL AND {Key} {beyond} $k";
            extra = [after.Key];
        }
        else
        {
            condition = $"({SqlText.Quote(sortColumn.Physical)}, {Key}) {beyond} ($v, $k)";
            extra = [after.Key, TableValues.FilterToDb(table, sortColumn, after.Value)];
        }

        var orderBy = after is not null && after.Value is null && sortColumn is not null
            ? $" ORDER BY {Key} {direction}"
            : TableSql.OrderBy(table, query.SortColumn, query.Descending);

        await using var batch = new NpgsqlBatch(connection);
        var counted = counts.Find(table, where, values);
        batch.BatchCommands.Add(TableCounts.CountUnlessAt(table, where, values, counted?.Version));
        batch.BatchCommands.Add(Select(table, where, values, condition, extra, orderBy, need, after is null ? Math.Max(0, query.Offset) : 0));

        long total;
        List<TableRow> rows;
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            total = await counts.ReadAsync(reader, table, where, values, counted, cancellationToken);
            await reader.NextResultAsync(cancellationToken);
            rows = await ReadRowsAsync(reader, table, cancellationToken);
        }

        if (after is { Value: not null } && sortColumn is not null && rows.Count < need)
        {
            // The rows without a sort value come after every row with one, in key order.
            await using var nulls = new NpgsqlBatch(connection);
            nulls.BatchCommands.Add(Select(table, where, values, $"{SqlText.Quote(sortColumn.Physical)} IS NULL", [], $" ORDER BY {Key} {direction}", need - rows.Count, 0));
            await using var reader = await nulls.ExecuteReaderAsync(cancellationToken);
            rows.AddRange(await ReadRowsAsync(reader, table, cancellationToken));
        }

        var more = rows.Count > limit;
        if (more)
        {
            rows.RemoveAt(rows.Count - 1);
        }

        var next = more && rows.Count > 0 ? TableCursor.After(rows[^1], sortColumn?.Name, query.Descending) : null;
        return new TablePage(total, rows) { NextCursor = next };
    }

    private static bool IsKey(string? sortColumn) =>
        sortColumn is null || string.Equals(sortColumn, QueryParser.KeyColumn, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The page statement. Parameters are positional: the filter's values first, then the cursor's (<c>$k</c>,
    /// <c>$v</c> in <paramref name="condition"/> are renumbered after them), then limit and offset.
    /// </summary>
    private static NpgsqlBatchCommand Select(
        TableInfo table, string where, List<object> values, string condition, object?[] extra, string orderBy, long limit, long offset)
    {
        var n = values.Count;
        condition = condition.Replace("$k", "$" + (n + 1), StringComparison.Ordinal).Replace("$v", "$" + (n + 2), StringComparison.Ordinal);
        var filter = condition.Length == 0 ? where
            : where.Length == 0 ? " WHERE " + condition
            : where + " AND " + condition;
        var command = new NpgsqlBatchCommand(
            $"SELECT {table.SelectList} FROM {table.QuotedTable}{filter}{orderBy} LIMIT ${n + extra.Length + 1} OFFSET ${n + extra.Length + 2}");
        TableSql.AddValues(command, values);
        TableSql.AddValues(command, extra.Select(v => v ?? DBNull.Value));
        TableSql.AddValues(command, [limit, offset]);
        return command;
    }

    private static async Task<List<TableRow>> ReadRowsAsync(NpgsqlDataReader reader, TableInfo table, CancellationToken cancellationToken)
    {
        var rows = new List<TableRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(TableValues.ReadRow(table, reader));
        }

        return rows;
    }
}
