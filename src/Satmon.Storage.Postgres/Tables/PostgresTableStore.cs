using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Npgsql;
using Satmon.Core.Storage;
using Satmon.Core.Tables;

namespace Satmon.Storage.Postgres.Tables;

/// <summary>Current-value tables: one physical PostgreSQL table per (element, table definition).</summary>
internal sealed class PostgresTableStore(NpgsqlDataSource dataSource, TableRegistry registry, TableSchema schema, ILogger logger) : ITableStore
{
    private readonly TableCounts _counts = new();

    public Task EnsureTableAsync(string elementId, TableDefinition table, CancellationToken cancellationToken) =>
        schema.EnsureAsync(elementId, table, cancellationToken);

    public Task UpsertAsync(string elementId, string table, IReadOnlyList<TableRow> rows, CancellationToken cancellationToken) =>
        WriteAsync(elementId, table, rows, replace: false, cancellationToken);

    public Task ReplaceAsync(string elementId, string table, IReadOnlyList<TableRow> rows, CancellationToken cancellationToken) =>
        WriteAsync(elementId, table, rows, replace: true, cancellationToken);

    private async Task WriteAsync(string elementId, string table, IReadOnlyList<TableRow> rows, bool replace, CancellationToken cancellationToken)
    {
        if (rows.Count == 0 && !replace)
        {
            return;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await WithTableAsync(connection, elementId, table, async info =>
        {
            // Every value is converted (and a bad one rejected) before anything is sent.
            var groups = RowGroups.Build(info ?? throw NotSetUp(elementId, table), rows);
            // One batch: PostgreSQL runs a batch without an explicit transaction as one implicit transaction, so
            // the delete of a replace and every group commit together or not at all, in a single round trip.
            await using var batch = new NpgsqlBatch(connection);
            if (replace)
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand($"DELETE FROM {info.QuotedTable}"));
            }

            foreach (var group in groups)
            {
                batch.BatchCommands.Add(group.ToCommand(info));
            }

            batch.BatchCommands.Add(TableCounts.RaiseVersion(info));
            return await batch.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
    }

    public async Task DeleteAsync(string elementId, string table, IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        if (keys.Count == 0)
        {
            return;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await WithTableAsync(connection, elementId, table, async info =>
        {
            await using var batch = new NpgsqlBatch(connection);
            var delete = new NpgsqlBatchCommand($"DELETE FROM {(info ?? throw NotSetUp(elementId, table)).QuotedTable} WHERE {TableRegistry.KeyColumn} = ANY($1)");
            delete.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. keys] });
            batch.BatchCommands.Add(delete);
            batch.BatchCommands.Add(TableCounts.RaiseVersion(info));
            return await batch.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
    }

    public async Task<TablePage> QueryAsync(string elementId, string table, TableQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await WithTableAsync(connection, elementId, table, info => info is null
            ? Task.FromResult(new TablePage(0, []))
            : TablePageQuery.RunAsync(connection, info, query, _counts, cancellationToken), cancellationToken);
    }

    public async Task<TableRow?> GetAsync(string elementId, string table, string key, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await WithTableAsync(connection, elementId, table, info => info is null
            ? Task.FromResult<TableRow?>(null)
            : Pg.FirstOrDefaultAsync(connection, null, $"SELECT {info.SelectList} FROM {info.QuotedTable} WHERE {TableRegistry.KeyColumn} = @k",
                reader => TableValues.ReadRow(info, reader), cancellationToken, ("k", key)), cancellationToken);
    }

    public async Task<long> CountAsync(string elementId, string table, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await WithTableAsync(connection, elementId, table, async info => info is null
            ? 0L
            : Convert.ToInt64(await Pg.ScalarAsync(connection, null, $"SELECT count(*) FROM {info.QuotedTable}", cancellationToken), CultureInfo.InvariantCulture),
            cancellationToken);
    }

    public async IAsyncEnumerable<TableRow> ReadAllAsync(string elementId, string table, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // Opening the reader is where a stale layout shows (the statement is planned before any row is sent), so
        // only that step is retried; rows then stream from the server as they are consumed.
        var (info, command, reader) = await WithTableAsync(connection, elementId, table, async info =>
        {
            if (info is null)
            {
                return (info, (NpgsqlCommand?)null, (NpgsqlDataReader?)null);
            }

            var command = Pg.Command(connection, null, $"SELECT {info.SelectList} FROM {info.QuotedTable} ORDER BY {TableRegistry.KeyColumn}");
            try
            {
                return (info, command, await command.ExecuteReaderAsync(cancellationToken));
            }
            catch
            {
                await command.DisposeAsync();
                throw;
            }
        }, cancellationToken);
        if (info is null || command is null || reader is null)
        {
            yield break;
        }

        await using (command)
        await using (reader)
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                yield return TableValues.ReadRow(info, reader);
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> with this node's view of the table (null when it is not registered). When that
    /// view came from the cache and proves out of date — the physical table or a column is missing because another
    /// node deleted the element or changed the table — the entry is read again from the database and the work runs
    /// once more. A miss always reads the database.
    /// </summary>
    private async Task<T> WithTableAsync<T>(NpgsqlConnection connection, string elementId, string table, Func<TableInfo?, Task<T>> work, CancellationToken cancellationToken)
    {
        if (registry.Find(elementId, table) is { } cached)
        {
            try
            {
                return await work(cached);
            }
            catch (Exception ex) when (IsStale(ex))
            {
                Log.TableReloaded(logger, elementId, table);
            }
        }

        var fresh = await registry.LoadAsync(connection, elementId, table, cancellationToken);
        try
        {
            return await work(fresh);
        }
        catch (UnknownColumnException ex)
        {
            throw new ArgumentException(ex.Message);
        }
    }

    private static bool IsStale(Exception ex) =>
        ex is UnknownColumnException
        || ex is PostgresException { SqlState: PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.UndefinedColumn };

    private static InvalidOperationException NotSetUp(string elementId, string table) => new(
        $"Table '{table}' of element '{elementId}' is not set up in the store; call EnsureTableAsync with its definition first.");
}
