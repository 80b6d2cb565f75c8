using Microsoft.Extensions.Logging;
using Satmon.Core.Storage;
using Satmon.Core.Tables;

namespace Satmon.Storage.Sqlite.Tables;

/// <summary>
/// Column indexes made on first use: the first query that sorts by a column, or filters it with eq, gt or lt, creates
/// an index on (column, row key) for it. Each index costs every upsert (with 14 of them a 20-column row was written
/// five times slower than with none), and most columns are never sorted or filtered, so only the columns that
/// queries use pay for one. An index is part of the schema, so it outlives restarts.
/// </summary>
internal sealed class TableIndexes(SqliteDatabase db, TableRegistry registry, ILogger logger)
{
    /// <summary>Creates the indexes <paramref name="query"/> would use that do not exist yet; no-op (and no lock) otherwise.</summary>
    public Task EnsureAsync(TableInfo table, TableQuery query, CancellationToken cancellationToken)
    {
        List<StoredColumn>? missing = null;
        Consider(table, query.SortColumn, ref missing);
        foreach (var filter in query.Filters)
        {
            // ne and contains cannot seek in an index; a column filtered only that way does not get one.
            if (filter.Operator is FilterOperator.Eq or FilterOperator.Gt or FilterOperator.Lt)
            {
                Consider(table, filter.Column, ref missing);
            }
        }

        return missing is null ? Task.CompletedTask : CreateAsync(table, missing, cancellationToken);
    }

    private static void Consider(TableInfo table, string? name, ref List<StoredColumn>? missing)
    {
        // The key has its primary-key index; an unknown column is reported by the query itself.
        var index = TableSql.IsKey(name) ? -1 : table.IndexOf(name!);
        if (index < 0)
        {
            return;
        }

        var column = table.Columns[index];
        if (table.IndexOn(column) is null && !(missing?.Contains(column) ?? false))
        {
            (missing ??= []).Add(column);
        }
    }

    private Task CreateAsync(TableInfo table, List<StoredColumn> columns, CancellationToken cancellationToken) =>
        db.WriteAsync(connection =>
        {
            // By now the registry may hold a newer snapshot of the table (altered) or none (element deleted).
            var current = registry.Find(table.ElementId, table.Name);
            if (current is null || current.PhysicalName != table.PhysicalName)
            {
                return 0;
            }

            using (var transaction = connection.BeginTransaction(deferred: false))
            {
                foreach (var column in columns)
                {
                    Sql.Execute(connection, transaction, TableSql.CreateIndex(table.PhysicalName, column));
                    // Statistics for the new index right away (sampled, see analysis_limit), so the planner weighs it.
                    Sql.Execute(connection, transaction, $"ANALYZE {SqlText.Quote(TableInfo.IndexName(table.PhysicalName, column))}");
                }

                transaction.Commit();
            }

            foreach (var column in columns)
            {
                var name = TableInfo.IndexName(table.PhysicalName, column);
                current.AddIndex(name);
                table.AddIndex(name);
                Log.IndexCreated(logger, table.ElementId, table.Name, column.Name);
            }

            // Open readers keep the statistics they loaded; new ones read the fresh ones.
            db.RetireReaders();
            return columns.Count;
        }, cancellationToken);
}
