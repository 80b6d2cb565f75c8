using Microsoft.Extensions.Logging;
using Npgsql;
using Satmon.Core.Storage;
using Satmon.Storage.Postgres.History;
using Satmon.Storage.Postgres.Objects;
using Satmon.Storage.Postgres.Tables;

namespace Satmon.Storage.Postgres;

/// <summary>
/// Deletes an element and everything it owns (physical tables, polling rows, state, lease, requests, history,
/// objects and change log) in one transaction, so a failure leaves the element whole.
/// </summary>
internal sealed class ElementDataCleaner(NpgsqlDataSource dataSource, TableRegistry tables, PostgresHistoryStore history, ILogger logger)
{
    private static readonly string[] OwnedByElement = ["poll_tasks", "element_state", "element_leases", "element_requests"];

    public async Task<bool> DeleteAsync(string elementId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Serialises with EnsureTableAsync of the same element on any node: a table cannot be registered while its
        // element's tables are being dropped.
        await ElementLock.AcquireAsync(connection, transaction, elementId, cancellationToken);
        var existed = await Pg.ExecuteAsync(connection, transaction, "DELETE FROM elements WHERE id = @e", cancellationToken, ("e", elementId)) == 1;
        var physical = await Pg.ListAsync(connection, transaction, "DELETE FROM data_tables WHERE element_id = @e RETURNING physical_name",
            r => r.GetString(0), cancellationToken, ("e", elementId));
        foreach (var name in physical)
        {
            await Pg.ExecuteAsync(connection, transaction, $"DROP TABLE IF EXISTS {SqlText.Quote(name)}", cancellationToken);
        }

        foreach (var table in OwnedByElement)
        {
            await Pg.ExecuteAsync(connection, transaction, $"DELETE FROM {table} WHERE element_id = @e", cancellationToken, ("e", elementId));
        }

        await PostgresHistoryStore.DeleteElementAsync(connection, transaction, elementId, cancellationToken);
        await PostgresObjectStore.DeleteElementAsync(connection, transaction, elementId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        // Only this node's cache can be told; other nodes find the tables gone on their next use and reload.
        tables.RemoveElement(elementId);
        history.ForgetElement(elementId);
        Log.ElementDeleted(logger, elementId, physical.Count);
        return existed;
    }
}
