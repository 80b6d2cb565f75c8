using System.Globalization;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using Satmon.Core.Storage;
using Satmon.Core.Tables;

namespace Satmon.Storage.Postgres.Tables;

/// <summary>
/// Creates and grows physical tables. Always works from the registry row in the database, under the element's
/// advisory lock, so nodes ensuring the same table at once (e.g. several starting together) take turns and the
/// later ones find the work done.
/// </summary>
internal sealed class TableSchema(NpgsqlDataSource dataSource, TableRegistry registry, bool indexColumns, ILogger logger)
{
    public async Task EnsureAsync(string elementId, TableDefinition table, CancellationToken cancellationToken)
    {
        table.Validate();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ElementLock.AcquireAsync(connection, transaction, elementId, cancellationToken);
        var current = await TableRegistry.ReadAsync(connection, transaction, elementId, table.Name, cancellationToken);
        var info = current switch
        {
            null => await CreateAsync(connection, transaction, elementId, table, cancellationToken),
            _ when Matches(current, table) => current,
            _ => await AlterAsync(connection, transaction, current, table, cancellationToken),
        };
        await transaction.CommitAsync(cancellationToken);
        registry.Set(info);
    }

    private async Task<TableInfo> CreateAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string elementId, TableDefinition table, CancellationToken cancellationToken)
    {
        var number = Convert.ToInt64(await Pg.ScalarAsync(connection, transaction, "SELECT nextval('data_table_numbers')", cancellationToken), CultureInfo.InvariantCulture);
        // The physical name is generated: a sequence number for uniqueness, the sanitized table name only for readability.
        var physical = TableInfo.PhysicalTableName(number, table.Name);
        var used = new HashSet<string>(StringComparer.Ordinal);
        var columns = table.Columns.Select(c => new StoredColumn(c.Name, c.Type, SqlText.UniqueColumnName(c.Name, used), Active: true)).ToList();
        await Pg.ExecuteAsync(connection, transaction, TableSql.CreateTable(physical, columns), cancellationToken);
        foreach (var column in columns.Where(c => indexColumns && TableValues.IsIndexed(c.Type)))
        {
            await Pg.ExecuteAsync(connection, transaction, TableSql.CreateIndex(physical, column), cancellationToken);
        }

        await SaveAsync(connection, transaction, "INSERT INTO data_tables (element_id, name, physical_name, columns) VALUES (@e, @n, @p, @c)",
            elementId, table.Name, physical, columns, cancellationToken);
        Log.TableCreated(logger, elementId, table.Name, physical);
        return new TableInfo(elementId, table.Name, physical, columns);
    }

    private async Task<TableInfo> AlterAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, TableInfo current, TableDefinition table, CancellationToken cancellationToken)
    {
        var stored = current.AllColumns.ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);
        var used = new HashSet<string>(current.AllColumns.Select(c => c.Physical), StringComparer.Ordinal);
        var columns = new List<StoredColumn>();
        var added = new List<StoredColumn>();
        foreach (var definition in table.Columns)
        {
            if (stored.Remove(definition.Name, out var existing))
            {
                if (TableValues.SqlType(existing.Type) == TableValues.SqlType(definition.Type))
                {
                    columns.Add(existing with { Name = definition.Name, Type = definition.Type, Active = true });
                    continue;
                }

                // A typed column cannot hold the new type's values, and converting them could fail half-way
                // (text to number): the old values go and the column starts afresh under a new physical name.
                await Pg.ExecuteAsync(connection, transaction, TableSql.DropColumn(current.PhysicalName, existing), cancellationToken);
                Log.ColumnRetyped(logger, definition.Name, current.Name, current.ElementId, existing.Type.ToString(), definition.Type.ToString());
            }

            var column = new StoredColumn(definition.Name, definition.Type, SqlText.UniqueColumnName(definition.Name, used), Active: true);
            await Pg.ExecuteAsync(connection, transaction, TableSql.AddColumn(current.PhysicalName, column), cancellationToken);
            columns.Add(column);
            added.Add(column);
        }

        // Columns the definition dropped keep their data, in case a later version brings them back.
        columns.AddRange(stored.Values.Select(c => c with { Active = false }));
        foreach (var column in added.Where(c => indexColumns && TableValues.IsIndexed(c.Type)))
        {
            await Pg.ExecuteAsync(connection, transaction, TableSql.CreateIndex(current.PhysicalName, column), cancellationToken);
        }

        await SaveAsync(connection, transaction, "UPDATE data_tables SET columns = @c WHERE element_id = @e AND name = @n AND physical_name = @p",
            current.ElementId, current.Name, current.PhysicalName, columns, cancellationToken);
        if (added.Count > 0)
        {
            Log.ColumnsAdded(logger, added.Count, current.ElementId, current.Name);
        }

        return new TableInfo(current.ElementId, current.Name, current.PhysicalName, columns);
    }

    private static async Task SaveAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, string elementId, string name, string physical,
        IReadOnlyList<StoredColumn> columns, CancellationToken cancellationToken)
    {
        await using var command = Pg.Command(connection, transaction, sql, ("e", elementId), ("n", name), ("p", physical));
        command.Parameters.Add(new NpgsqlParameter("c", NpgsqlDbType.Jsonb) { Value = TableRegistry.Serialize(columns) });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static bool Matches(TableInfo info, TableDefinition table) =>
        info.Columns.Count == table.Columns.Count
        && info.Columns.Zip(table.Columns).All(p => p.First.Name == p.Second.Name && p.First.Type == p.Second.Type);
}
