using Npgsql;
using Satmon.Core.History;

namespace Satmon.Storage.Postgres.History;

/// <summary>
/// Finds or creates the table, column and row ids of a batch, inside the writer's transaction that holds the element's
/// lock: no other writer numbers the element's columns meanwhile, so a table's next column number is simply one more
/// than its largest. Found ids go into the element's cache at once; the caller drops the cache if the transaction fails.
/// </summary>
internal static class HistoryIds
{
    private const string TablesSql = """
        INSERT INTO history_tables (element_id, table_name) SELECT @e, u.n FROM unnest(@names) AS u(n) ORDER BY u.n ON CONFLICT DO NOTHING;
        SELECT t.id, t.table_name, c.column_no, c.column_name
        FROM history_tables t LEFT JOIN history_columns c ON c.table_id = t.id
        WHERE t.element_id = @e AND t.table_name = ANY(@names)
        """;

    private const string ColumnsSql = """
        INSERT INTO history_columns (table_id, column_no, column_name) SELECT * FROM unnest(@tables, @numbers, @names)
        """;

    private const string RowsSql = """
        INSERT INTO history_rows (table_id, row_key) SELECT u.t, u.k FROM unnest(@tables, @keys) AS u(t, k) ORDER BY 1, 2 ON CONFLICT DO NOTHING;
        SELECT r.id, r.table_id, r.row_key FROM unnest(@tables, @keys) AS u(t, k) JOIN history_rows r ON r.table_id = u.t AND r.row_key = u.k
        """;

    /// <summary>
    /// Sets <paramref name="rows"/>[i] and <paramref name="columns"/>[i] to the row id and column number of every point
    /// i with a finite value, creating the tables, columns and rows that are new.
    /// </summary>
    public static async Task ResolveAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string elementId, ElementHistory element, IReadOnlyList<HistoryPoint> points,
        long[] rows, int[] columns, CancellationToken cancellationToken)
    {
        HashSet<string>? tables = null;
        string? lastTable = null;
        foreach (var point in points)
        {
            if (!double.IsFinite(point.Value) || ReferenceEquals(point.Table, lastTable))
            {
                continue;
            }

            lastTable = point.Table;
            if (!element.Tables.ContainsKey(point.Table))
            {
                (tables ??= new(StringComparer.Ordinal)).Add(point.Table);
            }
        }

        if (tables is not null)
        {
            await LoadTablesAsync(connection, transaction, elementId, element, [.. tables], cancellationToken);
        }

        List<long> columnTables = [], rowTables = [];
        List<int> numbers = [];
        List<string> columnNames = [], rowKeys = [];
        List<int>? unresolved = null;
        var newRows = new HashSet<(long, string)>();
        string? tableName = null, columnName = null, key = null;
        TableHistory table = null!;
        var column = 0;
        var row = 0L;
        var rowKnown = false;
        for (var i = 0; i < points.Count; i++)
        {
            var point = points[i];
            if (!double.IsFinite(point.Value))
            {
                continue;
            }

            // Points of one row or column often come together: a name is looked up only when it changes.
            if (!ReferenceEquals(point.Table, tableName))
            {
                (tableName, table, columnName, key) = (point.Table, element.Tables[point.Table], null, null);
            }

            if (!ReferenceEquals(point.Column, columnName))
            {
                columnName = point.Column;
                if (!table.Columns.TryGetValue(point.Column, out column))
                {
                    column = table.Columns.Count == 0 ? 0 : table.Columns.Values.Max() + 1;
                    if (column > HistorySchema.MaxColumnNo)
                    {
                        throw new InvalidOperationException($"History table '{point.Table}' would get more than {HistorySchema.MaxColumnNo + 1} trended columns; column '{point.Column}' is not stored.");
                    }

                    table.Columns[point.Column] = column;
                    columnTables.Add(table.Id);
                    numbers.Add(column);
                    columnNames.Add(point.Column);
                }
            }

            if (!ReferenceEquals(point.Key, key))
            {
                key = point.Key;
                rowKnown = table.Rows.TryGetValue(point.Key, out row);
                if (!rowKnown && newRows.Add((table.Id, point.Key)))
                {
                    rowTables.Add(table.Id);
                    rowKeys.Add(point.Key);
                }
            }

            columns[i] = column;
            if (rowKnown)
            {
                rows[i] = row;
            }
            else
            {
                (unresolved ??= []).Add(i);
            }
        }

        if (columnTables.Count > 0)
        {
            await Pg.ExecuteAsync(connection, transaction, ColumnsSql, cancellationToken,
                ("tables", columnTables.ToArray()), ("numbers", numbers.ToArray()), ("names", columnNames.ToArray()));
        }

        if (rowTables.Count > 0)
        {
            var byId = element.Tables.Values.ToDictionary(t => t.Id);
            await using var command = Pg.Command(connection, transaction, RowsSql, ("tables", rowTables.ToArray()), ("keys", rowKeys.ToArray()));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            // The INSERT returns no rows: the reader starts at the SELECT.
            while (await reader.ReadAsync(cancellationToken))
            {
                byId[reader.GetInt64(1)].Rows[reader.GetString(2)] = reader.GetInt64(0);
            }
        }

        foreach (var i in unresolved ?? [])
        {
            rows[i] = element.Tables[points[i].Table].Rows[points[i].Key];
        }
    }

    /// <summary>Creates missing tables and loads each with all its columns.</summary>
    private static async Task LoadTablesAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string elementId, ElementHistory element, string[] names, CancellationToken cancellationToken)
    {
        await using var command = Pg.Command(connection, transaction, TablesSql, ("e", elementId), ("names", names));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var name = reader.GetString(1);
            if (!element.Tables.TryGetValue(name, out var table))
            {
                element.Tables[name] = table = new TableHistory(reader.GetInt64(0));
            }

            if (!reader.IsDBNull(2))
            {
                table.Columns[reader.GetString(3)] = reader.GetInt32(2);
            }
        }
    }

    /// <summary>The row id and column number of one series, or null when it was never written.</summary>
    public static async Task<(long Row, int Column)?> FindAsync(NpgsqlDataSource dataSource, string elementId, HistoryQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = Pg.Command(connection, null, """
            SELECT r.id, c.column_no FROM history_tables t
            JOIN history_rows r ON r.table_id = t.id AND r.row_key = @k
            JOIN history_columns c ON c.table_id = t.id AND c.column_name = @c
            WHERE t.element_id = @e AND t.table_name = @t
            """, ("e", elementId), ("t", query.Table), ("k", query.Key), ("c", query.Column));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (reader.GetInt64(0), reader.GetInt32(1)) : null;
    }
}
