using System.Data;
using Npgsql;
using Satmon.Core.Storage;
using Satmon.Core.Tables;

namespace Satmon.Storage.Postgres.Tables;

/// <summary>
/// A filtered, sorted page and its total, at an offset or after a cursor (keyset paging, see <see cref="TableCursor"/>).
/// Sorted by a column, the rows come in two segments: those with a value, by (value, key), then those without one,
/// by key. Each segment is read by its own statement, a walk of the (column, key) index in either direction (see
/// <see cref="TableSql.OrderBy"/>): a single statement would have to sort "NULLS LAST" in both directions, which
/// no one index order gives, and PostgreSQL then fetched and sorted every matching row for a descending page.
/// </summary>
/// <remarks>
/// At an offset, the counts of the filter and of its rows without a sort value (counted again only after a write:
/// <see cref="TableCounts"/>) tell which segments the page spans and where; a part nearer a segment's end is read
/// from that end backwards, so a walk passes at most half of the segment's rows before reaching the page. Counts and
/// rows come from one REPEATABLE READ snapshot, so the counts are exact for the rows read and a page read backwards
/// is the page asked for. When the counts are known for the table's version, they and the page go to the server in
/// one batch, and the page is used if the version still holds. Each page reads one row more than asked, which tells
/// whether a next page exists.
/// </remarks>
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
        var scope = new Scope(connection, table, sortColumn, query.Descending, where, values, counts);
        var limit = Math.Max(0, query.Limit);
        var need = limit + 1;

        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        var (total, rows) = after is null
            ? await AtOffsetAsync(scope, Math.Max(0, query.Offset), need, cancellationToken)
            : await AfterAsync(scope, after, need, cancellationToken);
        await transaction.CommitAsync(cancellationToken);

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

    /// <summary>What every statement of one page query shares.</summary>
    private sealed record Scope(
        NpgsqlConnection Connection, TableInfo Table, StoredColumn? SortColumn, bool Descending, string Where, List<object> Values, TableCounts Counts);

    /// <summary>
    /// One statement's part of the page: the rows of a segment (<paramref name="Condition"/>, with the cursor's
    /// values <paramref name="Extra"/>) from <paramref name="Offset"/>, in the page's order or, when
    /// <paramref name="Reverse"/>, counted and read from the segment's other end.
    /// </summary>
    private sealed record Read(string Condition, object?[] Extra, bool Reverse, long Limit, long Offset);

    private static async Task<(long Total, List<TableRow> Rows)> AtOffsetAsync(Scope scope, long offset, long need, CancellationToken cancellationToken)
    {
        var (table, where, values, counts) = (scope.Table, scope.Where, scope.Values, scope.Counts);
        var nullsWhere = scope.SortColumn is null ? null : And(where, $"{SqlText.Quote(scope.SortColumn.Physical)} IS NULL");
        var knownTotal = counts.Find(table, where, values);
        var knownNulls = nullsWhere is null ? null : counts.Find(table, nullsWhere, values);
        var planned = knownTotal is not null && (nullsWhere is null || knownNulls?.Version == knownTotal.Version)
            ? Plan(scope, knownTotal.Total, knownNulls?.Total ?? 0, offset, need)
            : null;

        TableCounts.Counted? total;
        await using (var batch = new NpgsqlBatch(scope.Connection))
        {
            batch.BatchCommands.Add(TableCounts.CountUnlessAt(table, where, values, knownTotal?.Version));
            if (nullsWhere is not null)
            {
                batch.BatchCommands.Add(TableCounts.CountUnlessAt(table, nullsWhere, values, knownNulls?.Version));
            }

            foreach (var read in planned ?? [])
            {
                batch.BatchCommands.Add(Select(scope, read));
            }

            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            total = await counts.ReadAsync(reader, table, where, values, knownTotal, cancellationToken);
            TableCounts.Counted? nulls = null;
            if (nullsWhere is not null)
            {
                await reader.NextResultAsync(cancellationToken);
                nulls = await counts.ReadAsync(reader, table, nullsWhere, values, knownNulls, cancellationToken);
            }

            if (total is null)
            {
                // The table's registry row is gone (the element was deleted meanwhile).
                return (0, []);
            }

            if (planned is not null && total.Version == knownTotal!.Version)
            {
                return (total.Total, await ReadRowsAsync(reader, table, planned, cancellationToken));
            }

            // The table moved on since the counts known here: the page goes by this snapshot's counts.
            planned = Plan(scope, total.Total, nulls?.Total ?? 0, offset, need);
        }

        return (total.Total, planned.Count == 0 ? [] : await ReadAsync(scope, planned, cancellationToken));
    }

    /// <summary>
    /// The rows after a cursor: first the rows beyond it that have a sort value (a row comparison is never true for
    /// a NULL value), or the rows beyond its key when sorted by key or when the cursor row had no value; then, when
    /// the page is not full yet, the rows without a value. Each is one seek on the (column, key) or key index.
    /// </summary>
    private static async Task<(long Total, List<TableRow> Rows)> AfterAsync(Scope scope, TableCursor after, long need, CancellationToken cancellationToken)
    {
        var (table, where, values, counts) = (scope.Table, scope.Where, scope.Values, scope.Counts);
        var beyond = scope.Descending ? "<" : ">";
        var column = scope.SortColumn is null ? null : SqlText.Quote(scope.SortColumn.Physical);
        var first = column is null ? new Read($"{Key} {beyond} $k", [after.Key], false, need, 0)
            : after.Value is null ? new Read($"{column} IS NULL AND {Key} {beyond} $k", [after.Key], false, need, 0)
            : new Read($"({column}, {Key}) {beyond} ($v, $k)", [after.Key, TableValues.FilterToDb(table, scope.SortColumn!, after.Value)], false, need, 0);

        long total;
        List<TableRow> rows;
        var known = counts.Find(table, where, values);
        await using (var batch = new NpgsqlBatch(scope.Connection))
        {
            batch.BatchCommands.Add(TableCounts.CountUnlessAt(table, where, values, known?.Version));
            batch.BatchCommands.Add(Select(scope, first));
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            total = (await counts.ReadAsync(reader, table, where, values, known, cancellationToken))?.Total ?? 0;
            rows = await ReadRowsAsync(reader, table, [first], cancellationToken);
        }

        if (after.Value is not null && column is not null && rows.Count < need)
        {
            rows.AddRange(await ReadAsync(scope, [new Read($"{column} IS NULL", [], false, need - rows.Count, 0)], cancellationToken));
        }

        return (total, rows);
    }

    /// <summary>
    /// The statements of the page at <paramref name="offset"/>, from the segments' sizes: by key, one segment of
    /// every matching row; by a column, the rows with a value and then the <paramref name="nulls"/> without one.
    /// </summary>
    private static List<Read> Plan(Scope scope, long total, long nulls, long offset, long need)
    {
        var column = scope.SortColumn is null ? null : SqlText.Quote(scope.SortColumn.Physical);
        (string Condition, long Size)[] segments = column is null
            ? [("", total)]
            : [($"{column} IS NOT NULL", total - nulls), ($"{column} IS NULL", nulls)];
        var reads = new List<Read>();
        var start = 0L;
        foreach (var (condition, size) in segments)
        {
            var from = Math.Max(0, offset - start);
            var to = Math.Min(size, offset + need - start);
            if (from < to)
            {
                // A walk passes the rows before the page one by one (each fetched to test the filter): it starts
                // from the nearer end.
                var reverse = size - to < from;
                reads.Add(new Read(condition, [], reverse, to - from, reverse ? size - to : from));
            }

            start += size;
        }

        return reads;
    }

    /// <summary>The rows of <paramref name="reads"/>, in one batch, in page order.</summary>
    private static async Task<List<TableRow>> ReadAsync(Scope scope, List<Read> reads, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(scope.Connection);
        foreach (var read in reads)
        {
            batch.BatchCommands.Add(Select(scope, read));
        }

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var rows = await ReadRowAsync(reader, scope.Table, reads[0], cancellationToken);
        rows.AddRange(await ReadRowsAsync(reader, scope.Table, reads[1..], cancellationToken));
        return rows;
    }

    private static string And(string where, string condition) =>
        condition.Length == 0 ? where
        : where.Length == 0 ? " WHERE " + condition
        : where + " AND " + condition;

    /// <summary>
    /// A read's statement. Parameters are positional: the filter's values first, then the cursor's (<c>$k</c>,
    /// <c>$v</c> in the condition are renumbered after them), then limit and offset.
    /// </summary>
    private static NpgsqlBatchCommand Select(Scope scope, Read read)
    {
        var (table, values) = (scope.Table, scope.Values);
        var n = values.Count;
        var condition = read.Condition.Replace("$k", "$" + (n + 1), StringComparison.Ordinal).Replace("$v", "$" + (n + 2), StringComparison.Ordinal);
        var orderBy = TableSql.OrderBy(scope.SortColumn, scope.Descending, read.Reverse);
        var command = new NpgsqlBatchCommand(
            $"SELECT {table.SelectList} FROM {table.QuotedTable}{And(scope.Where, condition)}{orderBy} LIMIT ${n + read.Extra.Length + 1} OFFSET ${n + read.Extra.Length + 2}");
        TableSql.AddValues(command, values);
        TableSql.AddValues(command, read.Extra.Select(v => v ?? DBNull.Value));
        TableSql.AddValues(command, [read.Limit, read.Offset]);
        return command;
    }

    /// <summary>The rows of <paramref name="reads"/>, each the next result of <paramref name="reader"/>, in page order.</summary>
    private static async Task<List<TableRow>> ReadRowsAsync(NpgsqlDataReader reader, TableInfo table, IEnumerable<Read> reads, CancellationToken cancellationToken)
    {
        var rows = new List<TableRow>();
        foreach (var read in reads)
        {
            await reader.NextResultAsync(cancellationToken);
            rows.AddRange(await ReadRowAsync(reader, table, read, cancellationToken));
        }

        return rows;
    }

    /// <summary>The rows of <paramref name="read"/> from the reader's current result, in page order.</summary>
    private static async Task<List<TableRow>> ReadRowAsync(NpgsqlDataReader reader, TableInfo table, Read read, CancellationToken cancellationToken)
    {
        var rows = new List<TableRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(TableValues.ReadRow(table, reader));
        }

        if (read.Reverse)
        {
            rows.Reverse();
        }

        return rows;
    }
}
