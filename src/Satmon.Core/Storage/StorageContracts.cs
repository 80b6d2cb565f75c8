using Satmon.Core.Elements;
using Satmon.Core.History;
using Satmon.Core.Objects;
using Satmon.Core.Polling;
using Satmon.Core.Tables;

namespace Satmon.Core.Storage;

/// <summary>A storage provider: every repository plus schema migration and health.</summary>
public interface ISatmonStore : IAsyncDisposable
{
    /// <summary>Provider name, e.g. <c>sqlite</c>.</summary>
    string Provider { get; }

    /// <summary>Creates or migrates the schema to the latest version. Safe to call on every start.</summary>
    Task MigrateAsync(CancellationToken cancellationToken);

    /// <summary>Throws when storage cannot be reached.</summary>
    Task CheckHealthAsync(CancellationToken cancellationToken);

    /// <summary>Elements and their settings.</summary>
    IElementRepository Elements { get; }

    /// <summary>Polling-manager rows.</summary>
    IPollingRepository Polling { get; }

    /// <summary>Current-value tables.</summary>
    ITableStore Tables { get; }

    /// <summary>History and rollups.</summary>
    IHistoryStore History { get; }

    /// <summary>Object store.</summary>
    IObjectStore Objects { get; }

    /// <summary>Per-element key/value state.</summary>
    IElementStateStore State { get; }

    /// <summary>API keys (hashed).</summary>
    IApiKeyRepository ApiKeys { get; }

    /// <summary>Nodes, element leases and requests between nodes sharing this database.</summary>
    IClusterStore Cluster { get; }

    /// <summary>
    /// Drops what this process caches about the element (e.g. series ids). The element manager calls it when the
    /// element starts on this node: on a shared database another node may have deleted and recreated it meanwhile.
    /// </summary>
    void ForgetCachedElement(string elementId);
}

/// <summary>Elements. Deleting an element deletes everything it owns.</summary>
public interface IElementRepository
{
    /// <summary>All elements, by name.</summary>
    Task<IReadOnlyList<ElementRecord>> ListAsync(CancellationToken cancellationToken);

    /// <summary>One element or null.</summary>
    Task<ElementRecord?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>Inserts; returns false when the id is taken.</summary>
    Task<bool> TryCreateAsync(ElementRecord element, CancellationToken cancellationToken);

    /// <summary>Replaces name, settings and enabled flag (not state).</summary>
    Task UpdateAsync(ElementRecord element, CancellationToken cancellationToken);

    /// <summary>Sets state and message only.</summary>
    Task SetStateAsync(string id, ElementState state, string? message, CancellationToken cancellationToken);

    /// <summary>Deletes the element and its polling rows, tables, history, objects, change log and state.</summary>
    Task<bool> DeleteAsync(string id, CancellationToken cancellationToken);
}

/// <summary>Polling-manager rows per element.</summary>
public interface IPollingRepository
{
    /// <summary>Rows of one element.</summary>
    Task<IReadOnlyList<PollTaskState>> ListAsync(string elementId, CancellationToken cancellationToken);

    /// <summary>Inserts or replaces one row.</summary>
    Task SaveAsync(string elementId, PollTaskState state, CancellationToken cancellationToken);
}

/// <summary>Current-value tables, one physical table (or equivalent) per element and table definition.</summary>
public interface ITableStore
{
    /// <summary>Creates the table or adds new columns. Must be called (each start) before the table is used.</summary>
    Task EnsureTableAsync(string elementId, TableDefinition table, CancellationToken cancellationToken);

    /// <summary>Inserts or updates rows; columns absent from a row keep their stored values.</summary>
    Task UpsertAsync(string elementId, string table, IReadOnlyList<TableRow> rows, CancellationToken cancellationToken);

    /// <summary>Deletes rows by key.</summary>
    Task DeleteAsync(string elementId, string table, IReadOnlyCollection<string> keys, CancellationToken cancellationToken);

    /// <summary>Replaces all rows in one transaction.</summary>
    Task ReplaceAsync(string elementId, string table, IReadOnlyList<TableRow> rows, CancellationToken cancellationToken);

    /// <summary>Filtered, sorted page.</summary>
    Task<TablePage> QueryAsync(string elementId, string table, TableQuery query, CancellationToken cancellationToken);

    /// <summary>One row or null.</summary>
    Task<TableRow?> GetAsync(string elementId, string table, string key, CancellationToken cancellationToken);

    /// <summary>Row count.</summary>
    Task<long> CountAsync(string elementId, string table, CancellationToken cancellationToken);

    /// <summary>Every row, streamed in key order (CSV export, metrics).</summary>
    IAsyncEnumerable<TableRow> ReadAllAsync(string elementId, string table, CancellationToken cancellationToken);
}

/// <summary>History: raw points plus 5 min / 1 h / 1 d rollups kept exact under late and out-of-order points.</summary>
public interface IHistoryStore
{
    /// <summary>
    /// Stores points in bulk. A point whose series already has a point at the same time is ignored (first wins),
    /// so re-delivered vendor data is stored once and rollups never count it twice. For the same reason a point
    /// older than the raw-retention cutoff last applied by <see cref="ApplyRetentionAsync"/> is ignored: its raw
    /// twin may be gone while its rollups remain. Non-finite values are ignored.
    /// </summary>
    /// <returns>How many points were new.</returns>
    Task<int> WriteAsync(string elementId, IReadOnlyList<HistoryPoint> points, CancellationToken cancellationToken);

    /// <summary>Raw samples or rollup buckets of one series, oldest first, in [From, To) (buckets by their start time).</summary>
    Task<HistorySeries> QueryAsync(string elementId, HistoryQuery query, CancellationToken cancellationToken);

    /// <summary>Deletes raw points and rollups older than their retention.</summary>
    /// <returns>Rows deleted.</returns>
    Task<long> ApplyRetentionAsync(RetentionOptions retention, DateTimeOffset now, CancellationToken cancellationToken);
}

/// <summary>Object store with change log.</summary>
public interface IObjectStore
{
    /// <summary>Creates or updates objects by id; records Created / Updated (changed fields) in the change log.</summary>
    Task<ObjectWriteResult> UpsertAsync(string elementId, string definition, IReadOnlyList<ObjectRecord> objects, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Deletes by id; records Deleted. Returns how many existed.</summary>
    Task<int> DeleteAsync(string elementId, string definition, IReadOnlyCollection<string> ids, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Filtered, sorted page. Filters and sort refer to field names; the definition gives their types.</summary>
    Task<ObjectPage> QueryAsync(ObjectDefinition definition, ObjectQuery query, CancellationToken cancellationToken);

    /// <summary>One object or null (elementId null: any element).</summary>
    Task<StoredObject?> GetAsync(string? elementId, string definition, string id, CancellationToken cancellationToken);

    /// <summary>All ids of one element's definition.</summary>
    Task<IReadOnlyCollection<string>> GetIdsAsync(string elementId, string definition, CancellationToken cancellationToken);

    /// <summary>Object count per definition for one element.</summary>
    Task<IReadOnlyDictionary<string, long>> CountAsync(string elementId, CancellationToken cancellationToken);

    /// <summary>Change log of one object, newest first (elementId null: any element).</summary>
    Task<IReadOnlyList<ObjectChange>> GetChangesAsync(string? elementId, string definition, string id, int limit, CancellationToken cancellationToken);
}

/// <summary>Per-element key/value state. Values arrive already protected when secret.</summary>
public interface IElementStateStore
{
    /// <summary>A value or null.</summary>
    Task<string?> GetAsync(string elementId, string key, CancellationToken cancellationToken);

    /// <summary>Sets a value; null deletes it.</summary>
    Task SetAsync(string elementId, string key, string? value, CancellationToken cancellationToken);
}

/// <summary>Role of an API key.</summary>
public enum ApiKeyRole
{
    /// <summary>Read only.</summary>
    Viewer,
    /// <summary>Read, commands and settings.</summary>
    Operator,
}

/// <summary>A stored API key: only the SHA-256 hash of the key is kept.</summary>
/// <param name="Id">Key id.</param>
/// <param name="Name">Who it is for.</param>
/// <param name="Role">Role.</param>
/// <param name="Hash">Hex SHA-256 of the key.</param>
/// <param name="CreatedAt">Created.</param>
public sealed record ApiKeyRecord(string Id, string Name, ApiKeyRole Role, string Hash, DateTimeOffset CreatedAt);

/// <summary>API keys.</summary>
public interface IApiKeyRepository
{
    /// <summary>Inserts a key (or replaces the one with the same id).</summary>
    Task SaveAsync(ApiKeyRecord key, CancellationToken cancellationToken);

    /// <summary>The key with this hash, or null.</summary>
    Task<ApiKeyRecord?> FindByHashAsync(string hash, CancellationToken cancellationToken);

    /// <summary>All keys.</summary>
    Task<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken);
}

/// <summary>Encrypts secrets at rest (setting values, tokens). Implemented in the host with Data Protection.</summary>
public interface ISecretProtector
{
    /// <summary>Encrypts.</summary>
    string Protect(string plaintext);

    /// <summary>Decrypts; throws when the text was not produced by <see cref="Protect"/> with a known key.</summary>
    string Unprotect(string protectedText);
}

/// <summary>The storage server cannot be reached or refuses the connection; the message names where and why, never a password.</summary>
public sealed class StorageUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
