using Microsoft.Extensions.Logging;
using Satmon.Core.Elements;
using Satmon.Core.History;
using Satmon.Core.Objects;
using Satmon.Core.Settings;
using Satmon.Core.Tables;

namespace Satmon.Core.Connectors;

/// <summary>What the platform gives one element's runtime. Everything here is scoped to that element.</summary>
public interface IElementContext
{
    /// <summary>The element's id (stable, URL- and label-safe).</summary>
    string ElementId { get; }

    /// <summary>The element's display name.</summary>
    string ElementName { get; }

    /// <summary>The element's settings, validated against the connector's schema, secrets decrypted.</summary>
    ElementSettings Settings { get; }

    /// <summary>Named HTTP clients; connectors register theirs in the host.</summary>
    IHttpClientFactory HttpClientFactory { get; }

    /// <summary>The clock. Never read the wall clock directly.</summary>
    TimeProvider Time { get; }

    /// <summary>Logger for this element (category includes the connector).</summary>
    ILogger Logger { get; }

    /// <summary>Current-value tables of this element.</summary>
    IElementTables Tables { get; }

    /// <summary>History points with their own timestamps, in bulk.</summary>
    IElementHistory History { get; }

    /// <summary>The object store of this element.</summary>
    IElementObjects Objects { get; }

    /// <summary>The element's state (Running, AuthFailed, …) and its message.</summary>
    IElementStatus Status { get; }

    /// <summary>Small persisted key/value state (tokens, subscription ids, cursors) that survives restarts.</summary>
    IElementState State { get; }
}

/// <summary>Sets the element's state as the operator sees it.</summary>
public interface IElementStatus
{
    /// <summary>The current state.</summary>
    ElementState State { get; }

    /// <summary>The message that goes with the state.</summary>
    string? Message { get; }

    /// <summary>Sets state and message (persisted).</summary>
    Task SetAsync(ElementState state, string? message, CancellationToken cancellationToken);
}

/// <summary>Persisted per-element key/value state. Values are JSON; secret values are encrypted at rest.</summary>
public interface IElementState
{
    /// <summary>Reads a value, or default when absent.</summary>
    Task<T?> GetAsync<T>(string key, CancellationToken cancellationToken);

    /// <summary>Writes a value (null removes it). Set <paramref name="secret"/> for tokens and the like.</summary>
    Task SetAsync<T>(string key, T? value, bool secret, CancellationToken cancellationToken);
}

/// <summary>Element-scoped table access.</summary>
public interface IElementTables
{
    /// <summary>Inserts or updates rows by key; columns not given keep their stored value.</summary>
    Task UpsertAsync(string table, IReadOnlyList<TableRow> rows, CancellationToken cancellationToken);

    /// <summary>Deletes rows by key.</summary>
    Task DeleteAsync(string table, IReadOnlyCollection<string> keys, CancellationToken cancellationToken);

    /// <summary>Replaces the whole table with the given rows, in one transaction.</summary>
    Task ReplaceAsync(string table, IReadOnlyList<TableRow> rows, CancellationToken cancellationToken);

    /// <summary>A page of rows.</summary>
    Task<TablePage> QueryAsync(string table, TableQuery query, CancellationToken cancellationToken);

    /// <summary>One row or null.</summary>
    Task<TableRow?> GetAsync(string table, string key, CancellationToken cancellationToken);
}

/// <summary>Element-scoped history writer and reader.</summary>
public interface IElementHistory
{
    /// <summary>Stores points at their own timestamps; a point already stored for the same series and time is ignored.</summary>
    /// <returns>How many points were new.</returns>
    Task<int> WriteAsync(IReadOnlyList<HistoryPoint> points, CancellationToken cancellationToken);

    /// <summary>Raw or rolled-up samples of one series.</summary>
    Task<HistorySeries> QueryAsync(HistoryQuery query, CancellationToken cancellationToken);
}

/// <summary>Element-scoped object store.</summary>
public interface IElementObjects
{
    /// <summary>Creates or updates objects by id, in one batch; records each change in the change log.</summary>
    Task<ObjectWriteResult> UpsertAsync(string definition, IReadOnlyList<ObjectRecord> objects, CancellationToken cancellationToken);

    /// <summary>Deletes objects by id; records each deletion.</summary>
    Task<int> DeleteAsync(string definition, IReadOnlyCollection<string> ids, CancellationToken cancellationToken);

    /// <summary>A page of objects.</summary>
    Task<ObjectPage> QueryAsync(string definition, ObjectQuery query, CancellationToken cancellationToken);

    /// <summary>Every stored id of a definition (for cleanup).</summary>
    Task<IReadOnlyCollection<string>> GetIdsAsync(string definition, CancellationToken cancellationToken);

    /// <summary>Number of objects per definition.</summary>
    Task<IReadOnlyDictionary<string, long>> CountAsync(CancellationToken cancellationToken);

    /// <summary>The change log of one object, newest first.</summary>
    Task<IReadOnlyList<ObjectChange>> GetChangesAsync(string definition, string id, int limit, CancellationToken cancellationToken);
}
