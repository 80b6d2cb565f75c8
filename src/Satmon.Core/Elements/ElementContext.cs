using System.Text.Json;
using Microsoft.Extensions.Logging;
using Satmon.Core.Connectors;
using Satmon.Core.History;
using Satmon.Core.Objects;
using Satmon.Core.Settings;
using Satmon.Core.Storage;
using Satmon.Core.Tables;

namespace Satmon.Core.Elements;

/// <summary>The platform services one element's runtime sees, each scoped to that element.</summary>
internal sealed class ElementContext : IElementContext, IElementTables, IElementHistory, IElementObjects, IElementState
{
    private const string SecretPrefix = "enc:";
    private readonly ISatmonStore _store;
    private readonly ISecretProtector _protector;

    public ElementContext(
        string elementId,
        string elementName,
        ElementSettings settings,
        ISatmonStore store,
        ISecretProtector protector,
        IHttpClientFactory httpClientFactory,
        TimeProvider time,
        ILogger logger,
        IElementStatus status)
    {
        ElementId = elementId;
        ElementName = elementName;
        Settings = settings;
        _store = store;
        _protector = protector;
        HttpClientFactory = httpClientFactory;
        Time = time;
        Logger = logger;
        Status = status;
    }

    public string ElementId { get; }

    public string ElementName { get; }

    public ElementSettings Settings { get; }

    public IHttpClientFactory HttpClientFactory { get; }

    public TimeProvider Time { get; }

    public ILogger Logger { get; }

    public IElementTables Tables => this;

    public IElementHistory History => this;

    public IElementObjects Objects => this;

    public IElementStatus Status { get; }

    public IElementState State => this;

    Task IElementTables.UpsertAsync(string table, IReadOnlyList<TableRow> rows, CancellationToken cancellationToken) =>
        _store.Tables.UpsertAsync(ElementId, table, rows, cancellationToken);

    Task IElementTables.DeleteAsync(string table, IReadOnlyCollection<string> keys, CancellationToken cancellationToken) =>
        _store.Tables.DeleteAsync(ElementId, table, keys, cancellationToken);

    Task IElementTables.ReplaceAsync(string table, IReadOnlyList<TableRow> rows, CancellationToken cancellationToken) =>
        _store.Tables.ReplaceAsync(ElementId, table, rows, cancellationToken);

    Task<TablePage> IElementTables.QueryAsync(string table, TableQuery query, CancellationToken cancellationToken) =>
        _store.Tables.QueryAsync(ElementId, table, query, cancellationToken);

    Task<TableRow?> IElementTables.GetAsync(string table, string key, CancellationToken cancellationToken) =>
        _store.Tables.GetAsync(ElementId, table, key, cancellationToken);

    Task<int> IElementHistory.WriteAsync(IReadOnlyList<HistoryPoint> points, CancellationToken cancellationToken) =>
        _store.History.WriteAsync(ElementId, points, cancellationToken);

    Task<HistorySeries> IElementHistory.QueryAsync(HistoryQuery query, CancellationToken cancellationToken) =>
        _store.History.QueryAsync(ElementId, query, cancellationToken);

    Task<ObjectWriteResult> IElementObjects.UpsertAsync(string definition, IReadOnlyList<ObjectRecord> objects, CancellationToken cancellationToken) =>
        _store.Objects.UpsertAsync(ElementId, definition, objects, Time.GetUtcNow(), cancellationToken);

    Task<int> IElementObjects.DeleteAsync(string definition, IReadOnlyCollection<string> ids, CancellationToken cancellationToken) =>
        _store.Objects.DeleteAsync(ElementId, definition, ids, Time.GetUtcNow(), cancellationToken);

    Task<ObjectPage> IElementObjects.QueryAsync(string definition, ObjectQuery query, CancellationToken cancellationToken) =>
        _store.Objects.QueryAsync(
            DefinitionFor(definition), query with { ElementId = ElementId }, cancellationToken);

    Task<IReadOnlyCollection<string>> IElementObjects.GetIdsAsync(string definition, CancellationToken cancellationToken) =>
        _store.Objects.GetIdsAsync(ElementId, definition, cancellationToken);

    Task<IReadOnlyDictionary<string, long>> IElementObjects.CountAsync(CancellationToken cancellationToken) =>
        _store.Objects.CountAsync(ElementId, cancellationToken);

    Task<IReadOnlyList<ObjectChange>> IElementObjects.GetChangesAsync(string definition, string id, int limit, CancellationToken cancellationToken) =>
        _store.Objects.GetChangesAsync(ElementId, definition, id, limit, cancellationToken);

    /// <summary>The object definitions of the element's connector; set by the manager.</summary>
    public IReadOnlyList<ObjectDefinition> ObjectDefinitions { get; init; } = [];

    private ObjectDefinition DefinitionFor(string name) =>
        ObjectDefinitions.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"The connector declares no object definition '{name}'.", nameof(name));

    async Task<T?> IElementState.GetAsync<T>(string key, CancellationToken cancellationToken) where T : default
    {
        var stored = await _store.State.GetAsync(ElementId, key, cancellationToken);
        if (stored is null)
        {
            return default;
        }

        var json = stored.StartsWith(SecretPrefix, StringComparison.Ordinal) ? _protector.Unprotect(stored[SecretPrefix.Length..]) : stored;
        return JsonSerializer.Deserialize<T>(json);
    }

    Task IElementState.SetAsync<T>(string key, T? value, bool secret, CancellationToken cancellationToken) where T : default
    {
        if (value is null)
        {
            return _store.State.SetAsync(ElementId, key, null, cancellationToken);
        }

        var json = JsonSerializer.Serialize(value);
        return _store.State.SetAsync(ElementId, key, secret ? SecretPrefix + _protector.Protect(json) : json, cancellationToken);
    }
}
