using Satmon.Api;
using Satmon.Core.Connectors;
using Satmon.Core.Elements;
using Satmon.Core.History;
using Satmon.Core.Objects;
using Satmon.Core.Storage;
using Satmon.Core.Tables;

namespace Satmon.Dashboard.Data;

/// <summary>
/// What the pages read, through the same element manager, store and query parser as the REST API, so a page and its
/// API route cannot disagree (the fleet list uses the API's own normalisation).
/// </summary>
internal sealed class DashboardReader(IElementManager elements, ISatmonStore store)
{
    public IElementManager Elements => elements;

    public async Task<ElementContextView> GetElementAsync(string id, CancellationToken ct)
    {
        var element = await elements.GetAsync(id, ct);
        return new ElementContextView(element, elements.GetConnector(element.Connector));
    }

    public Task<List<FleetTerminalDto>> FleetAsync(CancellationToken ct) => FleetEndpoints.ReadAsync(elements, store, ct);

    public async Task<List<(TableDefinition Table, long Rows)>> TableCountsAsync(ElementContextView e, CancellationToken ct)
    {
        var result = new List<(TableDefinition, long)>();
        foreach (var t in e.Connector.Tables)
        {
            result.Add((t, await store.Tables.CountAsync(e.Element.Id, t.Name, ct)));
        }

        return result;
    }

    public Task<IReadOnlyDictionary<string, long>> ObjectCountsAsync(string elementId, CancellationToken ct) =>
        store.Objects.CountAsync(elementId, ct);

    /// <summary>One page; a malformed filter or sort throws <see cref="QueryParseException"/> with the API's message.</summary>
    public Task<TablePage> QueryTableAsync(string elementId, TableDefinition table, string? filter, string? sort, int offset, int limit, CancellationToken ct)
    {
        var query = QueryParser.Parse(table, string.IsNullOrWhiteSpace(filter) ? [] : [filter], sort, offset, limit);
        return store.Tables.QueryAsync(elementId, table.Name, query, ct);
    }

    public Task<ObjectPage> QueryObjectsAsync(string elementId, ObjectDefinition definition, string? filter, string? sort, int offset, int limit, CancellationToken ct)
    {
        var query = QueryParser.ParseObjects(definition, elementId, string.IsNullOrWhiteSpace(filter) ? [] : [filter], sort, offset, limit);
        return store.Objects.QueryAsync(definition, query, ct);
    }

    public Task<HistorySeries> HistoryAsync(string elementId, HistoryQuery query, CancellationToken ct) =>
        store.History.QueryAsync(elementId, query, ct);
}

/// <summary>An element with its connector's declarations.</summary>
public sealed record ElementContextView(ElementView Element, ConnectorDescriptor Connector);
