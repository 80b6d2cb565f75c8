using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;
using Satmon.Core.Cluster;
using Satmon.Core.Connectors;
using Satmon.Core.Storage;

namespace Satmon.Core.Elements;

/// <summary>
/// The element manager's side of sharing elements between nodes: what the <see cref="ClusterCoordinator"/> starts
/// and stops here, and how a request for an element running on another node travels through the database.
/// </summary>
public sealed partial class ElementManager
{
    private static readonly JsonSerializerOptions RequestJson = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    // The stored record each running element was started with, to notice settings changed through another node.
    private readonly ConcurrentDictionary<string, ElementRecord> _startedWith = new(StringComparer.Ordinal);
    private ClusterCoordinator? _cluster;

    /// <inheritdoc />
    public string? NodeId => _cluster?.NodeId;

    /// <summary>Ids of the elements running on this node.</summary>
    internal IReadOnlyCollection<string> RunningIds => [.. _running.Keys];

    internal bool HasConnector(string connector) => _connectors.ContainsKey(connector);

    /// <summary>Round of the coordinator, for tests that drive time by hand.</summary>
    internal Task ClusterTickAsync(CancellationToken cancellationToken) => _cluster?.TickAsync(cancellationToken) ?? Task.CompletedTask;

    /// <summary>Request round of the coordinator, for tests that drive time by hand.</summary>
    internal Task ClusterRequestsAsync(CancellationToken cancellationToken) => _cluster?.ServeRequestsAsync(cancellationToken) ?? Task.CompletedTask;

    /// <summary>Stops polling but keeps the leases, as a killed node would (failover tests).</summary>
    internal Task AbandonLeasesAsync() => _cluster?.AbandonAsync() ?? Task.CompletedTask;

    private void EnableCluster(ClusterOptions? options)
    {
        var enabled = options?.Enabled ?? !string.Equals(_store.Provider, "sqlite", StringComparison.OrdinalIgnoreCase);
        if (enabled)
        {
            _cluster = new ClusterCoordinator(this, options ?? new ClusterOptions(), _store, _time, _logger);
        }
    }

    /// <summary>Starts the element here unless it runs; restarts it when asked and its stored settings changed.</summary>
    internal Task EnsureRunningAsync(ElementRecord element, bool restartIfChanged, CancellationToken cancellationToken) =>
        WithLifecycleAsync(async () =>
        {
            if (_running.ContainsKey(element.Id))
            {
                if (!restartIfChanged || !_startedWith.TryGetValue(element.Id, out var started) || SameSettings(started, element))
                {
                    return;
                }

                await StopInstanceAsync(element.Id, persistStopped: false);
            }

            await StartInstanceAsync(element, cancellationToken);
        }, cancellationToken);

    /// <summary>Stops the element here without touching its stored enabled flag (another node may take it).</summary>
    internal Task StopLocalAsync(string id, CancellationToken cancellationToken) =>
        WithLifecycleAsync(() => StopInstanceAsync(id, persistStopped: false), cancellationToken);

    /// <summary>Takes the lease of an element created or enabled through this node; true when it may start here.</summary>
    private async Task<bool> MayStartHereAsync(string id, CancellationToken cancellationToken) =>
        _cluster is null || await _cluster.TryTakeAsync(id, cancellationToken);

    /// <summary>Lets the element's lease go after it was stopped or deleted here.</summary>
    private async Task ReleaseHereAsync(string id, CancellationToken cancellationToken)
    {
        if (_cluster is not null)
        {
            await _cluster.ReleaseAsync(id, cancellationToken);
        }
    }

    /// <summary>
    /// Where a request for an element that does not run here goes: null when no node runs it (the caller answers as
    /// for a stopped element), otherwise the request is written for the holder.
    /// </summary>
    private async Task<bool> RunsElsewhereAsync(string id, CancellationToken cancellationToken) =>
        _cluster is not null && !_running.ContainsKey(id) && await _cluster.HolderAsync(id, cancellationToken) is not null;

    /// <summary>Writes a request for the node running the element; waits for its answer when <paramref name="wait"/>.</summary>
    private async Task<RequestOutcome?> SendAsync(string id, string kind, object? argument, bool wait, CancellationToken cancellationToken)
    {
        var cluster = _cluster!;
        var json = argument is null ? null : JsonSerializer.Serialize(argument, RequestJson);
        var requestId = await _store.Cluster.EnqueueRequestAsync(id, kind, json, _time.GetUtcNow(), cancellationToken);
        if (!wait)
        {
            return null;
        }

        var deadline = _time.GetUtcNow() + cluster.Options.RequestTimeout;
        var pause = TimeSpan.FromMilliseconds(Math.Min(200, cluster.Options.RequestInterval.TotalMilliseconds / 2));
        while (_time.GetUtcNow() < deadline)
        {
            var request = await _store.Cluster.GetRequestAsync(requestId, cancellationToken);
            if (request?.Result is { } result)
            {
                var outcome = JsonSerializer.Deserialize<RequestOutcome>(result, RequestJson)
                    ?? throw new InvalidOperationException($"Request {requestId} has an empty result.");
                return outcome.Error is null ? outcome : throw new ElementRequestFailedException(id, outcome.Error, outcome.Message ?? "");
            }

            await Task.Delay(pause, _time, cancellationToken);
        }

        throw new ElementRequestTimeoutException(id, cluster.Options.RequestTimeout);
    }

    /// <summary>
    /// Carries out a request written by another node's API; the answer is JSON for <see cref="RequestOutcome"/>, or
    /// null when the element stopped here meanwhile (the request stays pending for its next holder).
    /// </summary>
    internal async Task<string?> HandleRequestAsync(ElementRequest request, CancellationToken cancellationToken)
    {
        if (!_running.ContainsKey(request.ElementId) && request.Kind != RequestKinds.Stop)
        {
            return null;
        }

        RequestOutcome outcome;
        try
        {
            var argument = request.Argument is null ? new RequestArgument() : JsonSerializer.Deserialize<RequestArgument>(request.Argument, RequestJson)!;
            outcome = request.Kind switch
            {
                RequestKinds.Poll => await PollHereAsync(request.ElementId, argument.Task, cancellationToken),
                RequestKinds.Command => ToOutcome(await ExecuteCommandAsync(request.ElementId, argument.Command ?? "", cancellationToken)),
                RequestKinds.Polling => await UpdatePollingHereAsync(request.ElementId, argument, cancellationToken),
                RequestKinds.Stop => await StopHereAsync(request.ElementId, cancellationToken),
                RequestKinds.Restart => await RestartHereAsync(request.ElementId, cancellationToken),
                _ => new RequestOutcome(Error: "bad-request", Message: $"Unknown request kind '{request.Kind}'."),
            };
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            outcome = new RequestOutcome(Error: ErrorCode(ex), Message: ex.Message);
        }

        return JsonSerializer.Serialize(outcome, RequestJson);
    }

    private async Task<RequestOutcome> PollHereAsync(string id, string? task, CancellationToken cancellationToken)
    {
        await PollNowAsync(id, task, cancellationToken);
        return new RequestOutcome(Success: true);
    }

    private async Task<RequestOutcome> UpdatePollingHereAsync(string id, RequestArgument argument, CancellationToken cancellationToken)
    {
        var interval = argument.IntervalMs is { } ms ? TimeSpan.FromMilliseconds(ms) : (TimeSpan?)null;
        await UpdatePollingAsync(id, argument.Task ?? "", argument.Enabled, interval, argument.ResetInterval, cancellationToken);
        return new RequestOutcome(Success: true);
    }

    private async Task<RequestOutcome> StopHereAsync(string id, CancellationToken cancellationToken)
    {
        await StopLocalAsync(id, cancellationToken);
        await ReleaseHereAsync(id, cancellationToken);
        return new RequestOutcome(Success: true);
    }

    private async Task<RequestOutcome> RestartHereAsync(string id, CancellationToken cancellationToken)
    {
        if (await _store.Elements.GetAsync(id, cancellationToken) is { Enabled: true } element)
        {
            await EnsureRunningAsync(element, restartIfChanged: true, cancellationToken);
        }

        return new RequestOutcome(Success: true);
    }

    private static RequestOutcome ToOutcome(CommandResult result) => new(Success: result.Success, Message: result.Message);

    private static string ErrorCode(Exception ex) => ex switch
    {
        ElementNotFoundException or PollTaskNotFoundException or CommandNotFoundException => "not-found",
        ElementNotRunningException or PollTaskDisabledException => "conflict",
        SettingsValidationException => "invalid",
        _ => "failed",
    };

    private static bool SameSettings(ElementRecord a, ElementRecord b) =>
        a.Settings.Count == b.Settings.Count
        && a.Settings.All(kv => b.Settings.TryGetValue(kv.Key, out var v) && string.Equals(v, kv.Value, StringComparison.Ordinal));

    private static class RequestKinds
    {
        public const string Poll = "poll";
        public const string Command = "command";
        public const string Polling = "polling";
        public const string Stop = "stop";
        public const string Restart = "restart";
    }

    private sealed record RequestArgument(
        string? Task = null, string? Command = null, bool? Enabled = null, long? IntervalMs = null, bool ResetInterval = false);

    private sealed record RequestOutcome(bool Success = false, string? Message = null, string? Error = null);
}

/// <summary>The node running the element refused or failed a request sent through another node.</summary>
public sealed class ElementRequestFailedException(string elementId, string code, string message)
    : Exception($"The node running element '{elementId}' answered: {message}")
{
    /// <summary>not-found, conflict, invalid, bad-request or failed.</summary>
    public string Code { get; } = code;
}

/// <summary>The node running the element did not answer a request in time.</summary>
public sealed class ElementRequestTimeoutException(string elementId, TimeSpan timeout)
    : Exception($"The node running element '{elementId}' did not answer within {timeout.TotalSeconds:0} s; it may be overloaded or stopping. Try again.");
