using Microsoft.Extensions.Logging;
using Npgsql;
using Satmon.Core.Storage;
using Satmon.Storage.Postgres.History;
using Satmon.Storage.Postgres.Objects;
using Satmon.Storage.Postgres.Tables;

namespace Satmon.Storage.Postgres;

/// <summary>
/// The PostgreSQL storage provider, on a pooled Npgsql data source. Several Satmon nodes may share one database:
/// every repository reads and writes through the database, and in-process caches only hold what never changes
/// or is checked again on use. Call <see cref="MigrateAsync"/> once before anything else; the instance is safe
/// to share between threads.
/// </summary>
public sealed class PostgresSatmonStore : ISatmonStore
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresServer _server;
    private readonly TableRegistry _tables = new();
    private readonly PostgresHistoryStore _history;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates the store; nothing connects until <see cref="MigrateAsync"/>.</summary>
    /// <param name="options">Settings; <see cref="PostgresStoreOptions.ConnectionString"/> is required.</param>
    /// <param name="loggerFactory">Logging (also given to Npgsql, which never logs passwords or parameter values).</param>
    /// <param name="timeProvider">Clock for migration timestamps; defaults to the system clock.</param>
    public PostgresSatmonStore(PostgresStoreOptions options, ILoggerFactory loggerFactory, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        options.Validate();
        _time = timeProvider ?? TimeProvider.System;
        _logger = loggerFactory.CreateLogger<PostgresSatmonStore>();

        var builder = new NpgsqlDataSourceBuilder(options.ConnectionString);
        var settings = builder.ConnectionStringBuilder;
        settings.CommandTimeout = (int)Math.Ceiling(options.CommandTimeout.TotalSeconds);
        if (options.MaxPoolSize is { } maxPool)
        {
            settings.MaxPoolSize = maxPool;
        }

        // Shows which connections are Satmon's in pg_stat_activity, unless the operator named them already.
        settings.ApplicationName ??= "satmon";
        builder.UseLoggerFactory(loggerFactory);
        _server = new PostgresServer(settings);
        _dataSource = builder.Build();

        var schema = new TableSchema(_dataSource, _tables, options.IndexTableColumns, _logger);
        _history = new PostgresHistoryStore(_dataSource, _logger);
        Elements = new ElementRepository(_dataSource, new ElementDataCleaner(_dataSource, _tables, _history, _logger));
        Polling = new PollingRepository(_dataSource);
        Tables = new PostgresTableStore(_dataSource, _tables, schema, _logger);
        Objects = new PostgresObjectStore(_dataSource);
        State = new StateStore(_dataSource);
        ApiKeys = new ApiKeyRepository(_dataSource);
        Cluster = new ClusterStore(_dataSource);
    }

    /// <inheritdoc />
    public string Provider => "postgres";

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

    /// <summary>The pooled connections, for the benchmark and provider tests.</summary>
    internal NpgsqlDataSource DataSource => _dataSource;

    /// <inheritdoc />
    public void ForgetCachedElement(string elementId) => _history.ForgetElement(elementId);

    /// <inheritdoc />
    /// <exception cref="StorageUnavailableException">
    /// The server cannot be reached or refuses the login (the message names host, port, database, user and the
    /// cause, never the password).
    /// </exception>
    /// <exception cref="InvalidOperationException">The database has a newer schema than this code.</exception>
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _server.OpenAsync(_dataSource, cancellationToken);
        var version = await Migrations.ApplyAsync(connection, _server.Display, _time, _logger, cancellationToken);
        // Tables are looked up afresh after a migration: the cache only ever shortcuts the registry in the database.
        _tables.Clear();
        Log.Opened(_logger, _server.Display, version);
    }

    /// <inheritdoc />
    public async Task CheckHealthAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _server.OpenAsync(_dataSource, cancellationToken);
        await Pg.ScalarAsync(connection, null, "SELECT count(*) FROM schema_version", cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
