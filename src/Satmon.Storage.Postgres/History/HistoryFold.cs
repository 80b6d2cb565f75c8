using Npgsql;
using Satmon.Core.History.Packing;

namespace Satmon.Storage.Postgres.History;

/// <summary>
/// Folds an element's raw records that are not in the rollups yet into them: one rollup record per row and span for all
/// the writes since the last fold, instead of one per write. Runs under the element's lock, in the transaction of the
/// writer whose write makes <see cref="FoldAfter"/> (or of retention before it deletes raw records, or of an explicit
/// <see cref="PostgresHistoryStore.FoldAsync"/>). Readers add the raw records not folded yet to the stored rollups, so a
/// trend is exact at any moment; the fold only bounds what they have to add.
/// </summary>
internal static class HistoryFold
{
    /// <summary>Writes of an element between two folds: with a poll a minute, a fold every half hour.</summary>
    public const int FoldAfter = 32;

    // Raw records are keyed by row and hour first: per row of the element, the hours from the earliest unfolded one.
    private const string UnfoldedSql = """
        SELECT p.row_id, p.hour, p.data
        FROM history_rows r
        JOIN history_tables t ON t.id = r.table_id
        JOIN history_points p ON p.row_id = r.id AND p.hour >= @h AND p.batch > @w
        WHERE t.element_id = @e
        ORDER BY p.row_id, p.hour, p.batch
        """;

    private const string ElementsSql = "SELECT element_id FROM history_writers WHERE unfolded_from_hour IS NOT NULL ORDER BY element_id";

    private const string LockSql = ElementLock.Sql + """
        ;
        SELECT batch, folded, unfolded_from_hour FROM history_writers WHERE element_id = @e FOR UPDATE
        """;

    private const string FoldedSql = """
        UPDATE history_writers SET folded = nextval('history_batches'), unfolded = 0, unfolded_from_hour = NULL WHERE element_id = @e
        RETURNING folded
        """;

    /// <summary>
    /// Folds the element's raw records of batches after <paramref name="folded"/> from hour <paramref name="fromHour"/>
    /// on into rollup records numbered <paramref name="batch"/>. The caller holds the element's lock and records the new
    /// watermark in <c>history_writers</c> in the same transaction. <paramref name="element"/> (the writer's cache, or
    /// null) counts the records of each span for compaction, and holds the 5-minute aggregates of those raw records when
    /// it wrote them all (<see cref="PendingRollups"/>): then they need not be read back.
    /// </summary>
    public static async Task FoldAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string elementId, ElementHistory? element, long folded, long fromHour, long batch,
        CancellationToken cancellationToken)
    {
        var records = new List<HistoryRecords.Record>();
        var folder = new HistoryRecords.Folder();
        var items = new List<HistoryRecords.Item>();
        if (element?.Pending is { } pending && pending.Folded == folded)
        {
            // Taken: the writer starts new ones after the fold.
            foreach (var (row, rowItems) in pending.Rows)
            {
                folder.FoldRow(row, rowItems, batch, records);
            }
        }
        else
        {
            var row = 0L;
            await using var command = Pg.Command(connection, transaction, UnfoldedSql, ("e", elementId), ("h", fromHour), ("w", folded));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var next = reader.GetInt64(0);
                if (next != row && items.Count > 0)
                {
                    folder.FoldRow(row, items, batch, records);
                }

                row = next;
                var state = (Items: items, HourStart: reader.GetInt64(1) * PackedPoints.HourMs);
                PackedPoints.ForEach(reader.GetFieldValue<byte[]>(2), ref state,
                    static (ref (List<HistoryRecords.Item> Items, long HourStart) s, uint at, int column, double value) =>
                        s.Items.Add(new HistoryRecords.Item(s.HourStart + at, column, Aggregate.Of(value))));
            }

            if (items.Count > 0)
            {
                folder.FoldRow(row, items, batch, records);
            }
        }

        await HistoryRecords.WriteRollupsAsync(connection, transaction, element, records, batch, cancellationToken);
    }

    /// <summary>
    /// Folds every element that has raw records not folded yet, each in its own transaction under its lock; returns how
    /// many elements were folded. Retention calls it before it deletes raw records, and deletes only folded ones: a
    /// writer that commits meanwhile leaves its records for the next run. An element this node wrote last is folded with
    /// its <paramref name="cache"/>, as its writer would.
    /// </summary>
    public static async Task<int> FoldAllAsync(NpgsqlConnection connection, HistoryCache cache, CancellationToken cancellationToken)
    {
        var elements = await Pg.ListAsync(connection, null, ElementsSql, r => r.GetString(0), cancellationToken);
        var count = 0;
        foreach (var elementId in elements)
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            long written, folded, fromHour;
            await using (var command = Pg.Command(connection, transaction, LockSql, ("ns", ElementLock.Namespace), ("e", elementId)))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                await reader.NextResultAsync(cancellationToken);
                if (!await reader.ReadAsync(cancellationToken) || reader.IsDBNull(2))
                {
                    // Folded by its writer meanwhile, or deleted.
                    continue;
                }

                (written, folded, fromHour) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
            }

            // The lock keeps this node's writers of the element out: its cache is this fold's while it holds it.
            var element = cache.Element(elementId);
            if (element.Batch != written)
            {
                element.Clear();
            }

            var batch = (long)(await Pg.ScalarAsync(connection, transaction, FoldedSql, cancellationToken, ("e", elementId)))!;
            try
            {
                await FoldAsync(connection, transaction, elementId, element, folded, fromHour, batch, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                element.Pending = element.Batch is null ? null : new PendingRollups(batch);
            }
            catch
            {
                element.Clear();
                throw;
            }

            count++;
        }

        return count;
    }
}
