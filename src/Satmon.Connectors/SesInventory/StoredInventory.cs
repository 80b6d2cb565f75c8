using Satmon.Core.Connectors;
using Satmon.Core.Objects;
using Satmon.Core.Tables;
using D = Satmon.Connectors.SesInventory.SesInventoryDefinitions;

namespace Satmon.Connectors.SesInventory;

/// <summary>What the sync reads back from the object store of one definition: modem statuses, services to clean up; and batched deletes.</summary>
internal sealed class StoredInventory(string definition, IElementContext context)
{
    private const int QueryPageSize = 1000;

    /// <summary>A modem keeps the status already stored for it (seed 002); a new modem takes the vendor's.</summary>
    public static ObjectRecord KeepModemStatus(ObjectRecord record, Dictionary<string, string?> modems)
    {
        var incoming = record.Fields.TryGetValue(D.Status, out var value) ? value as string : null;
        if (!modems.TryGetValue(record.Id, out var stored))
        {
            modems[record.Id] = incoming;
            return record;
        }

        return stored == incoming ? record : record with { Fields = new Dictionary<string, object?>(record.Fields) { [D.Status] = stored } };
    }

    /// <summary>The stored status of every modem, by id.</summary>
    public async Task<Dictionary<string, string?>> ModemStatusesAsync(CancellationToken cancellationToken)
    {
        // The mapper stores every modem's type as exactly "Modem", so one equality filter finds them all.
        var statuses = new Dictionary<string, string?>(StringComparer.Ordinal);
        await foreach (var item in QueryAllAsync(new FilterClause(D.Type, FilterOperator.Eq, SesInventoryMapper.ModemType), cancellationToken))
        {
            statuses[item.Id] = item.Fields.TryGetValue(D.Status, out var status) ? status as string : null;
        }

        return statuses;
    }

    /// <summary>
    /// Services whose stored status is not Operational (any casing). Services without a status are kept: a missing
    /// field is more likely a partial record than a retirement.
    /// </summary>
    public async Task<List<string>> NonOperationalIdsAsync(CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        await foreach (var item in QueryAllAsync(new FilterClause(D.Status, FilterOperator.Ne, SesInventoryMapper.Operational), cancellationToken))
        {
            if (item.Fields.TryGetValue(D.Status, out var status) && status is string s
                && !string.Equals(s, SesInventoryMapper.Operational, StringComparison.OrdinalIgnoreCase))
            {
                ids.Add(item.Id);
            }
        }

        return ids;
    }

    /// <summary>Deletes in batches of <see cref="InventorySync.BatchSize"/>; returns how many existed.</summary>
    public async Task<int> DeleteAsync(List<string> ids, CancellationToken cancellationToken)
    {
        var deleted = 0;
        for (var i = 0; i < ids.Count; i += InventorySync.BatchSize)
        {
            deleted += await context.Objects.DeleteAsync(definition, ids.GetRange(i, Math.Min(InventorySync.BatchSize, ids.Count - i)), cancellationToken);
        }

        return deleted;
    }

    private async IAsyncEnumerable<StoredObject> QueryAllAsync(
        FilterClause filter, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (var offset = 0; ; offset += QueryPageSize)
        {
            var page = await context.Objects.QueryAsync(definition, new ObjectQuery(null, [filter], null, false, offset, QueryPageSize), cancellationToken);
            foreach (var item in page.Items)
            {
                yield return item;
            }

            if (page.Items.Count < QueryPageSize)
            {
                yield break;
            }
        }
    }
}
