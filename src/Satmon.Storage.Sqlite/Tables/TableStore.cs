using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Satmon.Core.Storage;
using Satmon.Core.Tables;

namespace Satmon.Storage.Sqlite.Tables;

/// <summary>Current-value tables: one physical SQLite table per (element, table definition).</summary>
internal sealed class TableStore(SqliteDatabase db, TableRegistry registry, bool indexColumns, ILogger logger) : ITableStore
{
    private readonly TableIndexes _indexes = new(db, registry, logger);

    public Task EnsureTableAsync(string elementId, TableDefinition table, CancellationToken cancellationToken)
    {
        table.Validate();
        var existing = registry.Find(elementId, table.Name);
        if (existing is not null && Matches(existing, table))
        {
            return Task.CompletedTask;
        }

        return db.WriteAsync(connection =>
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            var current = registry.Find(elementId, table.Name);
            var info = current is null
                ? Create(connection, transaction, elementId, table)
                : Alter(connection, transaction, current, table);
            transaction.Commit();
            registry.Set(info);
            current?.Retire();
            return info;
        }, cancellationToken);
    }

    private TableInfo Create(SqliteConnection connection, SqliteTransaction transaction, string elementId, TableDefinition table)
    {
        var next = Convert.ToInt64(Sql.Scalar(connection, transaction, "SELECT coalesce(max(rowid), 0) + 1 FROM data_tables"), CultureInfo.InvariantCulture);
        // The physical name is generated: a counter for uniqueness, the sanitized table name only for readability.
        var physical = $"t{next}_{SqlText.Sanitize(table.Name, 40)}";
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var columns = table.Columns.Select(c => new StoredColumn(c.Name, c.Type, SqlText.UniqueColumnName(c.Name, used), Active: true)).ToList();
        // No column indexes yet: each is made when a query first sorts or filters by its column (TableIndexes).
        Sql.Execute(connection, transaction, TableSql.CreateTable(physical, columns));
        Sql.Execute(connection, transaction, "INSERT INTO data_tables (element_id, name, physical_name, columns) VALUES ($e, $n, $p, $c)",
            ("$e", elementId), ("$n", table.Name), ("$p", physical), ("$c", TableRegistry.Serialize(columns)));
        Log.TableCreated(logger, elementId, table.Name, physical);
        return new TableInfo(elementId, table.Name, physical, columns, TableRegistry.Indexes(connection, transaction, physical));
    }

    private TableInfo Alter(SqliteConnection connection, SqliteTransaction transaction, TableInfo current, TableDefinition table)
    {
        var stored = current.AllColumns.ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);
        var used = new HashSet<string>(current.AllColumns.Select(c => c.Physical), StringComparer.OrdinalIgnoreCase);
        var columns = new List<StoredColumn>();
        var added = 0;
        foreach (var definition in table.Columns)
        {
            if (stored.Remove(definition.Name, out var existing))
            {
                // SQLite columns take any value, so a changed type only changes how values are converted from now on.
                columns.Add(existing with { Name = definition.Name, Type = definition.Type, Active = true });
                continue;
            }

            var column = new StoredColumn(definition.Name, definition.Type, SqlText.UniqueColumnName(definition.Name, used), Active: true);
            Sql.Execute(connection, transaction, TableSql.AddColumn(current.PhysicalName, column));
            columns.Add(column);
            added++;
        }

        // Columns the definition dropped keep their data, in case a later version brings them back.
        columns.AddRange(stored.Values.Select(c => c with { Active = false }));
        Sql.Execute(connection, transaction, "UPDATE data_tables SET columns = $c WHERE element_id = $e AND name = $n",
            ("$e", current.ElementId), ("$n", current.Name), ("$c", TableRegistry.Serialize(columns)));
        if (added > 0)
        {
            Log.ColumnsAdded(logger, added, current.ElementId, current.Name);
        }

        return new TableInfo(current.ElementId, current.Name, current.PhysicalName, columns, TableRegistry.Indexes(connection, transaction, current.PhysicalName));
    }

    private static bool Matches(TableInfo info, TableDefinition table) =>
        info.Columns.Count == table.Columns.Count
        && info.Columns.Zip(table.Columns).All(p => p.First.Name == p.Second.Name && p.First.Type == p.Second.Type);

    public Task UpsertAsync(string elementId, string table, IReadOnlyList<TableRow> rows, CancellationToken cancellationToken) =>
        Write(elementId, table, rows, replace: false, cancellationToken);

    public Task ReplaceAsync(string elementId, string table, IReadOnlyList<TableRow> rows, CancellationToken cancellationToken) =>
        Write(elementId, table, rows, replace: true, cancellationToken);

    private Task Write(string elementId, string table, IReadOnlyList<TableRow> rows, bool replace, CancellationToken cancellationToken)
    {
        if (rows.Count == 0 && !replace)
        {
            return Task.CompletedTask;
        }

        // Values are converted before taking the write lock, so that concurrent writers only queue for SQLite itself.
        var info = registry.Require(elementId, table);
        var groups = RowGroups.Build(info, rows);
        return db.WriteAsync(connection =>
        {
            if (!ReferenceEquals(registry.Find(elementId, table), info))
            {
                // The table was altered or its element deleted while the values were converted: convert again.
                info = registry.Require(elementId, table);
                groups = RowGroups.Build(info, rows);
            }

            info.BeginWrite();
            try
            {
                using var transaction = connection.BeginTransaction(deferred: false);
                if (replace)
                {
                    Sql.Execute(connection, transaction, $"DELETE FROM {info.QuotedTable}");
                }

                foreach (var group in groups)
                {
                    group.Write(db, connection, info);
                }

                transaction.Commit();
            }
            finally
            {
                info.EndWrite();
            }

            RefreshStatisticsIfStale(connection, info, rows.Count);
            return rows.Count;
        }, cancellationToken);
    }

    /// <summary>
    /// Re-runs ANALYZE on a table once it has taken as many writes as it had rows at the last run (at least
    /// 1 000): without statistics SQLite takes an equality filter on a three-valued status column for a selective
    /// one and sorts tens of thousands of rows instead of walking the sort column's index.
    /// </summary>
    private void RefreshStatisticsIfStale(SqliteConnection connection, TableInfo info, int written)
    {
        info.RowsWrittenSinceAnalyze += written;
        if (info.RowsWrittenSinceAnalyze < Math.Max(1_000, info.RowsAtAnalyze))
        {
            return;
        }

        // analysis_limit (set on the write connection) samples each index, so this stays in the milliseconds.
        Sql.Execute(connection, null, $"ANALYZE {info.QuotedTable}");
        info.RowsAtAnalyze = Convert.ToInt64(Sql.Scalar(connection, null, $"SELECT count(*) FROM {info.QuotedTable}"), CultureInfo.InvariantCulture);
        info.RowsWrittenSinceAnalyze = 0;
        db.RetireReaders();
    }

    public Task DeleteAsync(string elementId, string table, IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        if (keys.Count == 0)
        {
            return Task.CompletedTask;
        }

        return db.WriteAsync(connection =>
        {
            var info = registry.Require(elementId, table);
            info.BeginWrite();
            try
            {
                using var transaction = connection.BeginTransaction(deferred: false);
                using var command = Sql.Command(connection, transaction, $"DELETE FROM {info.QuotedTable} WHERE {TableRegistry.KeyColumn} = $k");
                var key = command.Parameters.Add("$k", SqliteType.Text);
                var deleted = 0;
                foreach (var k in keys)
                {
                    key.Value = k;
                    deleted += command.ExecuteNonQuery();
                }

                transaction.Commit();
                return deleted;
            }
            finally
            {
                info.EndWrite();
            }
        }, cancellationToken);
    }

    public async Task<TablePage> QueryAsync(string elementId, string table, TableQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var info = registry.Find(elementId, table);
        if (info is null)
        {
            return new TablePage(0, []);
        }

        if (indexColumns)
        {
            await _indexes.EnsureAsync(info, query, cancellationToken);
        }

        return db.Read(connection => TablePageQuery.Run(connection, info, query));
    }

    public Task<TableRow?> GetAsync(string elementId, string table, string key, CancellationToken cancellationToken)
    {
        var info = registry.Find(elementId, table);
        if (info is null)
        {
            return Task.FromResult<TableRow?>(null);
        }

        return Task.FromResult(db.Read(connection =>
        {
            using var command = Sql.Command(connection, null,
                $"SELECT {info.SelectList} FROM {info.QuotedTable} WHERE {TableRegistry.KeyColumn} = $k", ("$k", key));
            using var reader = command.ExecuteReader();
            return reader.Read() ? TableValues.ReadRow(info, reader) : null;
        }));
    }

    public Task<long> CountAsync(string elementId, string table, CancellationToken cancellationToken)
    {
        var info = registry.Find(elementId, table);
        return info is null
            ? Task.FromResult(0L)
            : Task.FromResult(db.Read(connection =>
                Convert.ToInt64(Sql.Scalar(connection, null, $"SELECT count(*) FROM {info.QuotedTable}"), CultureInfo.InvariantCulture)));
    }

    public async IAsyncEnumerable<TableRow> ReadAllAsync(string elementId, string table, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var info = registry.Find(elementId, table);
        if (info is null)
        {
            yield break;
        }

        await Task.Yield();
        var connection = db.RentReader();
        var reusable = false;
        try
        {
            using var command = Sql.Command(connection, null,
                $"SELECT {info.SelectList} FROM {info.QuotedTable} ORDER BY {TableRegistry.KeyColumn}");
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    yield return TableValues.ReadRow(info, reader);
                }
            }

            reusable = true;
        }
        finally
        {
            if (reusable)
            {
                db.ReturnReader(connection);
            }
            else
            {
                // Abandoned mid-way (exception or the consumer stopped): the statement may still be open.
                connection.Dispose();
            }
        }
    }
}
