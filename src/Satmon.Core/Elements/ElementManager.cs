using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Satmon.Core.Cluster;
using Satmon.Core.Connectors;
using Satmon.Core.Polling;
using Satmon.Core.Settings;
using Satmon.Core.Storage;

namespace Satmon.Core.Elements;

/// <summary>
/// Owns element lifecycles: validated CRUD, start/stop, commands and the polling manager of each running element.
/// </summary>
public sealed partial class ElementManager : IElementManager, IAsyncDisposable
{
    private readonly Dictionary<string, IConnector> _connectors;
    private readonly ISatmonStore _store;
    private readonly ISecretProtector _protector;
    private readonly SecretSettings _secrets;
    private readonly IHttpClientFactory _httpClientFactory;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly PollingMetrics _metrics;
    private readonly ConcurrentDictionary<string, ElementInstance> _running = new(StringComparer.Ordinal);

    // Lifecycle changes (create, start, stop, update, delete) are serialised; polls and reads are not.
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private int _disposed;

    /// <summary>Creates the manager over the registered connectors and the store.</summary>
    public ElementManager(
        IEnumerable<IConnector> connectors,
        ISatmonStore store,
        ISecretProtector protector,
        IHttpClientFactory httpClientFactory,
        TimeProvider timeProvider,
        ILoggerFactory loggerFactory,
        IMeterFactory meterFactory,
        IOptions<ClusterOptions>? clusterOptions = null)
    {
        _connectors = connectors.ToDictionary(c => c.Descriptor.Id, StringComparer.OrdinalIgnoreCase);
        _store = store;
        _protector = protector;
        _secrets = new SecretSettings(protector);
        _httpClientFactory = httpClientFactory;
        _time = timeProvider;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<ElementManager>();
        _metrics = new PollingMetrics(meterFactory);
        Connectors = _connectors.Values.Select(c => c.Descriptor).OrderBy(d => d.Id, StringComparer.Ordinal).ToList();
        EnableCluster(clusterOptions?.Value);
    }

    /// <inheritdoc />
    public IReadOnlyList<ConnectorDescriptor> Connectors { get; }

    /// <inheritdoc />
    public ConnectorDescriptor GetConnector(string connectorId) =>
        _connectors.TryGetValue(connectorId, out var c) ? c.Descriptor : throw new UnknownConnectorException(connectorId, _connectors.Keys);

    /// <inheritdoc />
    public async Task StartAllAsync(CancellationToken cancellationToken)
    {
        foreach (var element in await _store.Elements.ListAsync(cancellationToken))
        {
            if (!_connectors.ContainsKey(element.Connector))
            {
                LogUnknownConnector(_logger, element.Id, element.Connector);
                await _store.Elements.SetStateAsync(element.Id, ElementState.Stopped, $"Connector '{element.Connector}' is not installed.", cancellationToken);
                continue;
            }

            if (element.Enabled && _cluster is null)
            {
                try
                {
                    await WithLifecycleAsync(() => StartInstanceAsync(element, cancellationToken), cancellationToken);
                }
                catch (SecretUnreadableException)
                {
                    // The element says why in its state (StartInstanceAsync); the others start.
                }
            }
        }

        if (_cluster is not null)
        {
            // Shared database: this node takes its share of the elements by lease.
            await _cluster.StartAsync(cancellationToken);
        }
    }

    /// <inheritdoc />
    public async Task StopAllAsync(CancellationToken cancellationToken)
    {
        if (_cluster is not null)
        {
            await _cluster.StopAsync(cancellationToken);
        }

        await WithLifecycleAsync(async () =>
        {
            foreach (var id in _running.Keys.ToList())
            {
                await StopInstanceAsync(id, persistStopped: false);
            }
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ElementView>> ListAsync(CancellationToken cancellationToken) =>
        (await _store.Elements.ListAsync(cancellationToken)).Select(ToView).ToList();

    /// <inheritdoc />
    public async Task<ElementView> GetAsync(string id, CancellationToken cancellationToken) =>
        ToView(await LoadAsync(id, cancellationToken));

    /// <inheritdoc />
    public async Task<ElementView> CreateAsync(CreateElementRequest request, CancellationToken cancellationToken)
    {
        var connector = _connectors.TryGetValue(request.Connector ?? "", out var c)
            ? c
            : throw new UnknownConnectorException(request.Connector ?? "(none)", _connectors.Keys);
        if (string.IsNullOrWhiteSpace(request.Name))
        {
            throw new SettingsValidationException(new Dictionary<string, string[]> { ["name"] = ["'name' is required."] });
        }

        var settings = request.Settings ?? new Dictionary<string, string?>();
        ThrowIfInvalid(connector.Descriptor, settings);
        var record = new ElementRecord(
            ElementIds.FromName(request.Name), request.Name.Trim(), connector.Descriptor.Id, _secrets.Protect(connector.Descriptor, settings, null),
            request.Start, request.Start ? ElementState.Starting : ElementState.Stopped, null, _time.GetUtcNow());
        return await WithLifecycleAsync(async () =>
        {
            if (!await _store.Elements.TryCreateAsync(record, cancellationToken))
            {
                throw new ElementConflictException(record.Id);
            }

            if (record.Enabled && await MayStartHereAsync(record.Id, cancellationToken))
            {
                await StartInstanceAsync(record, cancellationToken);
            }

            return ToView(await LoadAsync(record.Id, cancellationToken));
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<ElementView> UpdateAsync(string id, UpdateElementRequest request, CancellationToken cancellationToken) =>
        WithLifecycleAsync(async () =>
        {
            var existing = await LoadAsync(id, cancellationToken);
            var descriptor = GetConnector(existing.Connector);
            var updated = existing;
            if (request.Settings is { } changes)
            {
                // Validate the merged result: the stored values (secrets decrypted) overlaid with the changes.
                var merged = _secrets.Unprotect(descriptor, existing.Settings, replacing: changes);
                foreach (var (key, value) in changes)
                {
                    var isSecret = descriptor.Settings.FirstOrDefault(s => s.Key == key)?.Secret == true;
                    if (!(isSecret && value is null))
                    {
                        merged[key] = value;
                    }
                }

                ThrowIfInvalid(descriptor, merged);
                updated = updated with { Settings = _secrets.Protect(descriptor, merged, existing.Settings) };
            }

            if (!string.IsNullOrWhiteSpace(request.Name))
            {
                updated = updated with { Name = request.Name.Trim() };
            }

            await _store.Elements.UpdateAsync(updated, cancellationToken);
            if (_running.ContainsKey(id) && request.Settings is not null)
            {
                await StopInstanceAsync(id, persistStopped: false);
                await StartInstanceAsync(updated, cancellationToken);
            }
            else if (request.Settings is not null && await RunsElsewhereAsync(id, cancellationToken))
            {
                await SendAsync(id, RequestKinds.Restart, null, wait: false, cancellationToken);
            }
            else if (request.Settings is not null && updated.Enabled && _cluster is null)
            {
                // Enabled but not running: its start failed (a secret it could not decrypt). A cluster node retries
                // unleased elements by itself.
                await StartInstanceAsync(updated, cancellationToken);
            }

            return ToView(await LoadAsync(id, cancellationToken));
        }, cancellationToken);

    /// <inheritdoc />
    public Task DeleteAsync(string id, CancellationToken cancellationToken) =>
        WithLifecycleAsync(async () =>
        {
            await LoadAsync(id, cancellationToken);
            await StopInstanceAsync(id, persistStopped: false);
            // The lease and pending requests go with the element; a node running it stops on its next round.
            await _store.Elements.DeleteAsync(id, cancellationToken);
            return true;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<ElementView> StartAsync(string id, CancellationToken cancellationToken) =>
        WithLifecycleAsync(async () =>
        {
            var element = await LoadAsync(id, cancellationToken);
            if (!_running.ContainsKey(id))
            {
                element = element with { Enabled = true };
                await _store.Elements.UpdateAsync(element, cancellationToken);
                if (await MayStartHereAsync(id, cancellationToken))
                {
                    await StartInstanceAsync(element, cancellationToken);
                }
            }

            return ToView(await LoadAsync(id, cancellationToken));
        }, cancellationToken);

    /// <inheritdoc />
    public Task<ElementView> StopAsync(string id, CancellationToken cancellationToken) =>
        WithLifecycleAsync(async () =>
        {
            var element = await LoadAsync(id, cancellationToken);
            var elsewhere = await RunsElsewhereAsync(id, cancellationToken);
            await _store.Elements.UpdateAsync(element with { Enabled = false }, cancellationToken);
            await StopInstanceAsync(id, persistStopped: true);
            await ReleaseHereAsync(id, cancellationToken);
            if (elsewhere)
            {
                // The holder would notice the flag on its next round; the request makes it stop within a second.
                await SendAsync(id, RequestKinds.Stop, null, wait: false, cancellationToken);
            }
            return ToView(await LoadAsync(id, cancellationToken));
        }, cancellationToken);

    /// <inheritdoc />
    public async Task<CommandResult> ExecuteCommandAsync(string id, string command, CancellationToken cancellationToken)
    {
        var element = await LoadAsync(id, cancellationToken);
        var commands = GetConnector(element.Connector).Commands;
        var declared = commands.FirstOrDefault(c => string.Equals(c.Name, command, StringComparison.OrdinalIgnoreCase))
            ?? throw new CommandNotFoundException(command, commands.Select(c => c.Name));
        if (await RunsElsewhereAsync(id, cancellationToken))
        {
            var outcome = await SendAsync(id, RequestKinds.Command, new RequestArgument(Command: declared.Name), wait: true, cancellationToken);
            return new CommandResult(outcome!.Success, outcome.Message ?? "");
        }

        var instance = Running(id);
        try
        {
            var result = await instance.Runtime.ExecuteCommandAsync(declared.Name, cancellationToken);
            LogCommand(_logger, id, declared.Name, result.Success);
            return result;
        }
        catch (AuthenticationFailedException ex)
        {
            await instance.SetAsync(ElementState.AuthFailed, ex.Message, cancellationToken);
            return new CommandResult(false, ex.Message);
        }
        catch (VendorException ex)
        {
            return new CommandResult(false, ex.Message);
        }
    }

    /// <summary>Completes when the element's start-up and every poll in progress have finished (tests, shutdown).</summary>
    public Task WhenIdleAsync(string id) => _running.TryGetValue(id, out var instance) ? instance.WhenIdleAsync() : Task.CompletedTask;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        // Containers and hosts may both dispose the manager; the second call has nothing left to do.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await StopAllAsync(CancellationToken.None);
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        _lifecycle.Dispose();
    }

    private ElementInstance Running(string id) =>
        _running.TryGetValue(id, out var instance) ? instance : throw new ElementNotRunningException(id);

    private async Task<ElementRecord> LoadAsync(string id, CancellationToken cancellationToken) =>
        await _store.Elements.GetAsync(id, cancellationToken) ?? throw new ElementNotFoundException(id);

    private async Task<T> WithLifecycleAsync<T>(Func<Task<T>> action, CancellationToken cancellationToken)
    {
        await _lifecycle.WaitAsync(cancellationToken);
        try
        {
            return await action();
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    private Task WithLifecycleAsync(Func<Task> action, CancellationToken cancellationToken) =>
        WithLifecycleAsync(async () =>
        {
            await action();
            return true;
        }, cancellationToken);

    private async Task StartInstanceAsync(ElementRecord element, CancellationToken cancellationToken)
    {
        var connector = _connectors[element.Connector];
        var descriptor = connector.Descriptor;
        _store.ForgetCachedElement(element.Id);
        foreach (var table in descriptor.Tables)
        {
            await _store.Tables.EnsureTableAsync(element.Id, table, cancellationToken);
        }

        var logger = _loggerFactory.CreateLogger($"Satmon.Connectors.{descriptor.Id}");
        var instance = new ElementInstance(element.Id, _store.Elements, logger, element.State, element.StateMessage);
        Dictionary<string, string?> settings;
        try
        {
            settings = _secrets.Unprotect(descriptor, element.Settings);
        }
        catch (SecretUnreadableException ex)
        {
            LogSecretUnreadable(_logger, element.Id, ex.Setting, ex.InnerException!.Message);
            await _store.Elements.SetStateAsync(element.Id, ElementState.Stopped, ex.Message, cancellationToken);
            throw;
        }

        var context = new ElementContext(
            element.Id, element.Name, new ElementSettings(descriptor.Settings, settings),
            _store, _protector, _httpClientFactory, _time, logger, instance)
        {
            ObjectDefinitions = descriptor.ObjectDefinitions,
        };
        var runtime = connector.CreateRuntime(context);
        var poller = new PollingManager(
            element.Id, TasksFor(descriptor, element), runtime.PollAsync, _store.Polling, _time, logger, _metrics, instance.OnPollCompletedAsync);
        _running[element.Id] = instance;
        _startedWith[element.Id] = element;
        await instance.StartAsync(runtime, poller, cancellationToken);
        LogStarted(_logger, element.Id, descriptor.Id);
    }

    private async Task StopInstanceAsync(string id, bool persistStopped)
    {
        _startedWith.TryRemove(id, out _);
        if (_running.TryRemove(id, out var instance))
        {
            await instance.DisposeAsync();
            LogStopped(_logger, id);
        }

        if (persistStopped)
        {
            await _store.Elements.SetStateAsync(id, ElementState.Stopped, "Stopped by an operator.", CancellationToken.None);
        }
    }

    private static void ThrowIfInvalid(ConnectorDescriptor descriptor, IReadOnlyDictionary<string, string?> settings)
    {
        var errors = SettingsValidator.Validate(descriptor.Settings, settings);
        if (errors.Count > 0)
        {
            throw new SettingsValidationException(errors);
        }
    }

    private ElementView ToView(ElementRecord element)
    {
        var settings = new Dictionary<string, object?>(StringComparer.Ordinal);
        var schema = _connectors.TryGetValue(element.Connector, out var c) ? c.Descriptor.Settings : [];
        foreach (var def in schema)
        {
            element.Settings.TryGetValue(def.Key, out var value);
            settings[def.Key] = def.Secret ? new SecretSettingView(!string.IsNullOrEmpty(value)) : value ?? def.Default;
        }

        // Live state beats the persisted copy for a running element (the store is written right after, but reads race).
        var (state, message) = _running.TryGetValue(element.Id, out var instance)
            ? (instance.State, instance.Message)
            : (element.Enabled ? element.State : ElementState.Stopped, element.StateMessage);
        return new ElementView(element.Id, element.Name, element.Connector, element.Enabled, state, message, settings, element.CreatedAt);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Element {ElementId} ({Connector}) started")]
    private static partial void LogStarted(ILogger logger, string elementId, string connector);

    [LoggerMessage(Level = LogLevel.Information, Message = "Element {ElementId} stopped")]
    private static partial void LogStopped(ILogger logger, string elementId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Element {ElementId} not started: its secret setting {Setting} cannot be decrypted with this node's key ring ({Reason})")]
    private static partial void LogSecretUnreadable(ILogger logger, string elementId, string setting, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Element {ElementId} uses connector {Connector}, which is not installed; left stopped")]
    private static partial void LogUnknownConnector(ILogger logger, string elementId, string connector);

    [LoggerMessage(Level = LogLevel.Information, Message = "Element {ElementId}: command {Command} finished (success: {Success})")]
    private static partial void LogCommand(ILogger logger, string elementId, string command, bool success);
}
