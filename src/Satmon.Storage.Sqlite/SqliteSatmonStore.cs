using Microsoft.Extensions.Logging;
using Satmon.Core.Storage;
using Satmon.Storage.Sqlite.History;
using Satmon.Storage.Sqlite.Objects;
using Satmon.Storage.Sqlite.Tables;

namespace Satmon.Storage.Sqlite;

/// <summary>
/// The SQLite storage provider: one database file in WAL mode, one queued writer, pooled readers.
/// Call <see cref="MigrateAsync"/> once before anything else; the instance is safe to share between threads.
/// </summary>
public sealed class SqliteSatmonStore : ISatmonStore
{
    private readonly SqliteDatabase _db;
    private readonly TableRegistry _tables = new();
    private readonly SeriesCache _series = new();
    private readonly HistoryStore _history;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates the store; nothing touches the file until <see cref="MigrateAsync"/>.</summary>
    /// <param name="options">Settings; <see cref="SqliteStoreOptions.DatabasePath"/> is required.</param>
    /// <param name="loggerFactory">Logging.</param>
    /// <param name="timeProvider">Clock for migration timestamps; defaults to the system clock.</param>
    public SqliteSatmonStore(SqliteStoreOptions options, ILoggerFactory loggerFactory, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        options.Validate();
        _time = timeProvider ?? TimeProvider.System;
        _logger = loggerFactory.CreateLogger<SqliteSatmonStore>();
        _db = new SqliteDatabase(options, _logger);
        Elements = new ElementRepository(_db, new ElementDataCleaner(_db, _tables, _series, _logger));
        Polling = new PollingRepository(_db);
        Tables = new TableStore(_db, _tables, options.IndexTableColumns, _logger);
        _history = new HistoryStore(_db, _series, _logger);
        Objects = new ObjectStore(_db);
        State = new StateStore(_db);
        ApiKeys = new ApiKeyRepository(_db);
        Cluster = new ClusterStore(_db);
    }

    /// <inheritdoc />
    public string Provider => "sqlite";

    /// <inheritdoc />
    public IElementRepository Elements { get; }

    /// <inheritdoc />
    public IPollingRepository Polling { get; }

    /// <inheritdoc />
    public ITableStore Tables { get; }

    /// <inheritdoc />
    public IHistoryStore History => _history;

    /// <inheritdoc />
    public IObjectStore Objects { get; }

    /// <inheritdoc />
    public IElementStateStore State { get; }

    /// <inheritdoc />
    public IApiKeyRepository ApiKeys { get; }

    /// <inheritdoc />
    public IClusterStore Cluster { get; }

    /// <inheritdoc />
    /// <remarks>Nothing to drop: one process owns the file, and its own deletes keep its caches right.</remarks>
    public void ForgetCachedElement(string elementId)
    {
    }

    /// <inheritdoc />
    public Task MigrateAsync(CancellationToken cancellationToken) =>
        _db.WriteAsync(connection =>
        {
            var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(_db.Path));
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }

            var version = Migrations.Apply(connection, _db.Path, _time, _logger);
            // The registries are read under the write lock, so no write can slip in between load and use.
            _tables.Load(connection);
            _series.Load(connection);
            _history.Load(connection);
            Log.Opened(_logger, _db.Path, version);
            return version;
        }, cancellationToken);

    /// <inheritdoc />
    public Task CheckHealthAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _db.Read(connection => Sql.Scalar(connection, null, "SELECT count(*) FROM schema_version"));
        return Task.CompletedTask;
    }

    /// <summary>The write transactions run so far, for benchmarks and diagnostics.</summary>
    public SqliteWriterStatistics Writer => _db.WriterStatistics;

    /// <summary>The WAL checkpoints run in the background so far, for benchmarks and diagnostics.</summary>
    public SqliteCheckpointStatistics Checkpoints => _db.CheckpointStatistics;

    /// <summary>Completes when the next background checkpoint has run.</summary>
    internal Task NextCheckpointAsync() => _db.NextCheckpointAsync();

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _db.DisposeAsync();
}
