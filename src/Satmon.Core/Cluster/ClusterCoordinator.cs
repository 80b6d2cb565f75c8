using Microsoft.Extensions.Logging;
using Satmon.Core.Elements;
using Satmon.Core.Storage;

namespace Satmon.Core.Cluster;

/// <summary>
/// Shares the elements out between the nodes on one database. Every <see cref="ClusterOptions.RenewInterval"/> a
/// node records a heartbeat, renews the leases of the elements it runs (stopping any it lost, was told to stop, or
/// that were deleted or disabled), and takes free or expired leases up to its fair share — the enabled elements
/// divided by the live nodes — handing extras back when nodes join. Every <see cref="ClusterOptions.RequestInterval"/>
/// it carries out requests other nodes' APIs wrote for its elements.
/// </summary>
/// <remarks>
/// A node that cannot renew (database unreachable) stops its elements before their leases can pass to another
/// node, so two nodes never poll one element at once; history keeps the first point per series and time, so a
/// poll repeated by the next holder stores nothing twice.
/// </remarks>
internal sealed partial class ClusterCoordinator : IAsyncDisposable
{
    private readonly ElementManager _manager;
    private readonly ClusterOptions _options;
    private readonly ISatmonStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _tick = new(1, 1);
    private readonly SemaphoreSlim _requests = new(1, 1);
    // Element id → expiry of the lease this node holds; touched only inside _tick or the manager's lifecycle lock.
    private readonly Dictionary<string, DateTimeOffset> _held = new(StringComparer.Ordinal);
    private readonly Lock _heldGate = new();
    private ITimer? _renewTimer;
    private ITimer? _requestTimer;
    private DateTimeOffset _lastPurge = DateTimeOffset.MinValue;
    private volatile bool _stopped;

    public ClusterCoordinator(ElementManager manager, ClusterOptions options, ISatmonStore store, TimeProvider time, ILogger logger)
    {
        _manager = manager;
        _options = options;
        _store = store;
        _time = time;
        _logger = logger;
        NodeId = options.ResolveNodeId();
    }

    public string NodeId { get; }

    public ClusterOptions Options => _options;

    /// <summary>Takes this node's share at once, then keeps renewing on timers.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        LogJoined(_logger, NodeId, _options.LeaseDuration);
        await TickAsync(cancellationToken);
        _renewTimer = _time.CreateTimer(_ => _ = RunQuietlyAsync(TickAsync), null, _options.RenewInterval, _options.RenewInterval);
        _requestTimer = _time.CreateTimer(_ => _ = RunQuietlyAsync(ServeRequestsAsync), null, _options.RequestInterval, _options.RequestInterval);
    }

    /// <summary>Stops the timers and gives every lease back, so other nodes take over without waiting for expiry.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopped = true;
        await DisposeTimersAsync();
        await _tick.WaitAsync(cancellationToken);
        try
        {
            foreach (var id in HeldIds())
            {
                await _manager.StopLocalAsync(id, cancellationToken);
                await ReleaseAsync(id, CancellationToken.None);
            }

            await _store.Cluster.RemoveNodeAsync(NodeId, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The leases run out by themselves; the others take over after LeaseDuration.
            LogReleaseFailed(_logger, NodeId, ex.Message);
        }
        finally
        {
            _tick.Release();
        }
    }

    /// <summary>Takes the lease of an element just created or enabled through this node; false when another node has it.</summary>
    public async Task<bool> TryTakeAsync(string elementId, CancellationToken cancellationToken)
    {
        if (_stopped)
        {
            return false;
        }

        var lease = await _store.Cluster.TryAcquireLeaseAsync(elementId, NodeId, _time.GetUtcNow(), _options.LeaseDuration, cancellationToken);
        if (lease is null)
        {
            return false;
        }

        lock (_heldGate)
        {
            _held[elementId] = lease.ExpiresAt;
        }

        return true;
    }

    /// <summary>Gives an element's lease up (it was stopped here); other nodes may take it at once.</summary>
    public async Task ReleaseAsync(string elementId, CancellationToken cancellationToken)
    {
        lock (_heldGate)
        {
            _held.Remove(elementId);
        }

        await _store.Cluster.ReleaseLeaseAsync(elementId, NodeId, cancellationToken);
    }

    /// <summary>The node holding a live lease on the element, or null.</summary>
    public async Task<string?> HolderAsync(string elementId, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var lease = (await _store.Cluster.ListLeasesAsync(cancellationToken)).FirstOrDefault(l => l.ElementId == elementId);
        return lease is not null && lease.ExpiresAt > now ? lease.NodeId : null;
    }

    /// <summary>One round: heartbeat, renew or drop what runs here, take free elements up to the fair share.</summary>
    internal async Task TickAsync(CancellationToken cancellationToken)
    {
        await _tick.WaitAsync(cancellationToken);
        try
        {
            if (_stopped)
            {
                return;
            }

            var now = _time.GetUtcNow();
            await _store.Cluster.HeartbeatAsync(NodeId, now, cancellationToken);
            var elements = (await _store.Elements.ListAsync(cancellationToken))
                .Where(e => e.Enabled && _manager.HasConnector(e.Connector))
                .ToDictionary(e => e.Id, StringComparer.Ordinal);
            await RenewAsync(elements, now, cancellationToken);

            var nodes = Math.Max(1, (await _store.Cluster.ListNodesAsync(now - _options.LeaseDuration, cancellationToken)).Count);
            var share = (elements.Count + nodes - 1) / nodes;
            await TakeFreeAsync(elements, share, now, cancellationToken);
            await HandBackExtrasAsync(share, nodes, cancellationToken);

            if (now - _lastPurge > TimeSpan.FromHours(1))
            {
                _lastPurge = now;
                await _store.Cluster.PurgeRequestsAsync(now - TimeSpan.FromHours(1), cancellationToken);
            }
        }
        finally
        {
            _tick.Release();
        }
    }

    private async Task RenewAsync(Dictionary<string, ElementRecord> elements, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var id in _manager.RunningIds.Union(HeldIds()).ToList())
        {
            if (!elements.TryGetValue(id, out var element))
            {
                // Deleted, disabled or its connector is gone: stop here and let the lease go.
                await _manager.StopLocalAsync(id, cancellationToken);
                await ReleaseAsync(id, cancellationToken);
                continue;
            }

            ElementLease? lease;
            try
            {
                lease = await _store.Cluster.TryAcquireLeaseAsync(id, NodeId, now, _options.LeaseDuration, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Keep polling while the lease surely still holds; stop one renewal before it can pass to another node.
                DateTimeOffset expires;
                lock (_heldGate)
                {
                    expires = _held.GetValueOrDefault(id, now);
                }

                if (now + _options.RenewInterval >= expires)
                {
                    LogRenewFailedStopping(_logger, id, NodeId, ex.Message);
                    await _manager.StopLocalAsync(id, cancellationToken);
                    lock (_heldGate)
                    {
                        _held.Remove(id);
                    }
                }

                continue;
            }

            if (lease is null)
            {
                LogLeaseLost(_logger, id, NodeId);
                await _manager.StopLocalAsync(id, cancellationToken);
                lock (_heldGate)
                {
                    _held.Remove(id);
                }

                continue;
            }

            lock (_heldGate)
            {
                _held[id] = lease.ExpiresAt;
            }

            // Settings changed through another node's API: start again with the new ones.
            await _manager.EnsureRunningAsync(element, restartIfChanged: true, cancellationToken);
        }
    }

    private async Task TakeFreeAsync(Dictionary<string, ElementRecord> elements, int share, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (HeldCount() >= share)
        {
            return;
        }

        var leases = (await _store.Cluster.ListLeasesAsync(cancellationToken)).ToDictionary(l => l.ElementId, StringComparer.Ordinal);
        // Nodes try free elements in different orders, so that nodes starting together do not all race for the same ones.
        var free = elements.Values
            .Where(e => !IsHeld(e.Id) && (!leases.TryGetValue(e.Id, out var l) || l.ExpiresAt <= now || l.NodeId == NodeId))
            .OrderBy(e => StableHash(NodeId + "/" + e.Id))
            .ToList();
        foreach (var element in free)
        {
            if (HeldCount() >= share)
            {
                break;
            }

            var lease = await _store.Cluster.TryAcquireLeaseAsync(element.Id, NodeId, now, _options.LeaseDuration, cancellationToken);
            if (lease is null)
            {
                continue; // another node was quicker
            }

            lock (_heldGate)
            {
                _held[element.Id] = lease.ExpiresAt;
            }

            var previous = leases.TryGetValue(element.Id, out var old) && old.NodeId != NodeId ? old.NodeId : null;
            LogTaken(_logger, element.Id, NodeId, previous ?? "(none)", lease.Epoch);
            try
            {
                await _manager.EnsureRunningAsync(element, restartIfChanged: false, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogStartFailed(_logger, element.Id, NodeId, ex.Message);
                await ReleaseAsync(element.Id, cancellationToken);
            }
        }
    }

    private async Task HandBackExtrasAsync(int share, int nodes, CancellationToken cancellationToken)
    {
        if (nodes < 2)
        {
            return;
        }

        // Nodes below their share take these up on their next round.
        var extra = HeldCount() - share;
        foreach (var id in HeldIds().OrderBy(id => StableHash(NodeId + "/" + id)).Take(Math.Max(0, extra)))
        {
            LogHandedBack(_logger, id, NodeId, share);
            await _manager.StopLocalAsync(id, cancellationToken);
            await ReleaseAsync(id, cancellationToken);
        }
    }

    /// <summary>Carries out pending requests for the elements that run here, oldest first.</summary>
    internal async Task ServeRequestsAsync(CancellationToken cancellationToken)
    {
        if (!await _requests.WaitAsync(0, cancellationToken))
        {
            return; // the previous round is still busy
        }

        try
        {
            var running = _manager.RunningIds;
            if (_stopped || running.Count == 0)
            {
                return;
            }

            foreach (var request in await _store.Cluster.ListPendingRequestsAsync(running, cancellationToken))
            {
                if (await _manager.HandleRequestAsync(request, cancellationToken) is { } result)
                {
                    await _store.Cluster.CompleteRequestAsync(request.Id, result, _time.GetUtcNow(), cancellationToken);
                }
            }
        }
        finally
        {
            _requests.Release();
        }
    }

    /// <summary>Stops everything here but keeps the leases, as a killed process would (failover tests).</summary>
    internal async Task AbandonAsync()
    {
        _stopped = true;
        await DisposeTimersAsync();
        foreach (var id in _manager.RunningIds)
        {
            await _manager.StopLocalAsync(id, CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stopped = true;
        await DisposeTimersAsync();
    }

    private async Task DisposeTimersAsync()
    {
        if (_renewTimer is { } renew)
        {
            await renew.DisposeAsync();
        }

        if (_requestTimer is { } requests)
        {
            await requests.DisposeAsync();
        }
    }

    private async Task RunQuietlyAsync(Func<CancellationToken, Task> work)
    {
        try
        {
            await work(CancellationToken.None);
        }
        catch (Exception ex)
        {
            // A database hiccup must not kill the timer; the next round tries again.
            LogRoundFailed(_logger, NodeId, ex.Message);
        }
    }

    private List<string> HeldIds()
    {
        lock (_heldGate)
        {
            return [.. _held.Keys];
        }
    }

    private int HeldCount()
    {
        lock (_heldGate)
        {
            return _held.Count;
        }
    }

    private bool IsHeld(string id)
    {
        lock (_heldGate)
        {
            return _held.ContainsKey(id);
        }
    }

    // string.GetHashCode is randomised per process; nodes only need an order that differs between them and is stable.
    private static uint StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var ch in text)
        {
            hash = (hash ^ ch) * 16777619u;
        }

        return hash;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster node {NodeId} joined (lease {Lease})")]
    private static partial void LogJoined(ILogger logger, string nodeId, TimeSpan lease);

    [LoggerMessage(Level = LogLevel.Information, Message = "Element {ElementId} taken by node {NodeId} (previous holder {Previous}, epoch {Epoch})")]
    private static partial void LogTaken(ILogger logger, string elementId, string nodeId, string previous, long epoch);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Element {ElementId}: node {NodeId} lost its lease to another node; stopped here")]
    private static partial void LogLeaseLost(ILogger logger, string elementId, string nodeId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Element {ElementId}: node {NodeId} cannot renew its lease ({Reason}); stopped here before the lease runs out")]
    private static partial void LogRenewFailedStopping(ILogger logger, string elementId, string nodeId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Element {ElementId} handed back by node {NodeId} (fair share {Share})")]
    private static partial void LogHandedBack(ILogger logger, string elementId, string nodeId, int share);

    [LoggerMessage(Level = LogLevel.Error, Message = "Element {ElementId} could not start on node {NodeId}: {Reason}; lease released")]
    private static partial void LogStartFailed(ILogger logger, string elementId, string nodeId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster node {NodeId}: round failed ({Reason}); retrying on the next one")]
    private static partial void LogRoundFailed(ILogger logger, string nodeId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster node {NodeId} could not release its leases on stop ({Reason}); they run out by themselves")]
    private static partial void LogReleaseFailed(ILogger logger, string nodeId, string reason);
}
