namespace Satmon.Core.Storage;

/// <summary>
/// The holder of an element's lease: only that node polls the element until <paramref name="ExpiresAt"/>.
/// </summary>
/// <param name="ElementId">Element.</param>
/// <param name="NodeId">Holding node.</param>
/// <param name="ExpiresAt">When the lease lapses unless renewed.</param>
/// <param name="Epoch">Raised each time the lease passes to another node (a fencing token).</param>
public sealed record ElementLease(string ElementId, string NodeId, DateTimeOffset ExpiresAt, long Epoch);

/// <summary>A live node as last seen.</summary>
/// <param name="NodeId">Node identity.</param>
/// <param name="LastSeen">Time of its last heartbeat.</param>
public sealed record ClusterNode(string NodeId, DateTimeOffset LastSeen);

/// <summary>
/// A request for the node that holds an element's lease (poll now, a command, a polling change), written by
/// whichever node's API received it; the holder carries it out and stores the result.
/// </summary>
/// <param name="Id">Request id, assigned by the store.</param>
/// <param name="ElementId">Element.</param>
/// <param name="Kind">What to do, e.g. <c>poll</c>, <c>command</c>, <c>polling</c>.</param>
/// <param name="Argument">JSON argument of the kind, or null.</param>
/// <param name="RequestedAt">When it was written.</param>
/// <param name="CompletedAt">When the holder finished it, or null while pending.</param>
/// <param name="Result">JSON result written by the holder, or null while pending.</param>
public sealed record ElementRequest(
    long Id, string ElementId, string Kind, string? Argument, DateTimeOffset RequestedAt, DateTimeOffset? CompletedAt, string? Result);

/// <summary>
/// Coordination of several nodes on one database. Every operation is atomic in the database, so two nodes
/// racing for the same lease cannot both win.
/// </summary>
public interface IClusterStore
{
    /// <summary>Records that the node is alive at <paramref name="now"/>.</summary>
    Task HeartbeatAsync(string nodeId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Nodes whose last heartbeat is at or after <paramref name="since"/>.</summary>
    Task<IReadOnlyList<ClusterNode>> ListNodesAsync(DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>Forgets a node (a clean shutdown), so that others need not wait for its heartbeat to age.</summary>
    Task RemoveNodeAsync(string nodeId, CancellationToken cancellationToken);

    /// <summary>
    /// Takes the element's lease when it is free or expired at <paramref name="now"/>, or renews it when the node
    /// holds it already; the lease then runs until <c>now + duration</c>.
    /// </summary>
    /// <returns>The lease now held by <paramref name="nodeId"/>, or null when another node holds a live lease.</returns>
    Task<ElementLease?> TryAcquireLeaseAsync(string elementId, string nodeId, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken);

    /// <summary>Gives the lease up if <paramref name="nodeId"/> holds it (it becomes free at once).</summary>
    Task ReleaseLeaseAsync(string elementId, string nodeId, CancellationToken cancellationToken);

    /// <summary>Every lease row, expired ones included.</summary>
    Task<IReadOnlyList<ElementLease>> ListLeasesAsync(CancellationToken cancellationToken);

    /// <summary>Stores a new pending request and returns its id.</summary>
    Task<long> EnqueueRequestAsync(string elementId, string kind, string? argument, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Pending requests for these elements, oldest first.</summary>
    Task<IReadOnlyList<ElementRequest>> ListPendingRequestsAsync(IReadOnlyCollection<string> elementIds, CancellationToken cancellationToken);

    /// <summary>Marks a pending request done with its result; false when it was completed already or is gone.</summary>
    Task<bool> CompleteRequestAsync(long id, string result, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>One request or null.</summary>
    Task<ElementRequest?> GetRequestAsync(long id, CancellationToken cancellationToken);

    /// <summary>Deletes requests written before <paramref name="before"/>, done or not; returns how many.</summary>
    Task<int> PurgeRequestsAsync(DateTimeOffset before, CancellationToken cancellationToken);
}
