using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Satmon.Core.Cluster;
using Satmon.Core.Elements;
using Satmon.Core.Storage;

namespace Satmon.Api;

/// <summary>Which node runs which element when several nodes share one database.</summary>
internal static class ClusterEndpoints
{
    public static RouteGroupBuilder MapClusterEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/cluster", GetAsync).WithTags("Cluster")
            .WithSummary("This node's id, the live nodes and every element lease (holder, expiry, epoch); node is null when one node runs everything.");
        return api;
    }

    private static async Task<Ok<ClusterDto>> GetAsync(
        IElementManager elements, ISatmonStore store, IOptions<ClusterOptions> options, TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var nodes = await store.Cluster.ListNodesAsync(now - options.Value.LeaseDuration, ct);
        var leases = await store.Cluster.ListLeasesAsync(ct);
        return TypedResults.Ok(new ClusterDto(
            elements.NodeId,
            nodes.Select(n => new ClusterNodeDto(n.NodeId, n.LastSeen)).ToList(),
            leases.Select(l => new ClusterLeaseDto(l.ElementId, l.NodeId, l.ExpiresAt, l.Epoch, l.ExpiresAt > now)).ToList()));
    }
}

/// <summary>Cluster view.</summary>
/// <param name="Node">This node's id; null when elements are not shared.</param>
/// <param name="Nodes">Nodes with a heartbeat within one lease duration.</param>
/// <param name="Leases">Element leases.</param>
internal sealed record ClusterDto(string? Node, IReadOnlyList<ClusterNodeDto> Nodes, IReadOnlyList<ClusterLeaseDto> Leases);

/// <summary>A live node.</summary>
/// <param name="NodeId">Node id.</param>
/// <param name="LastSeen">Last heartbeat.</param>
internal sealed record ClusterNodeDto(string NodeId, DateTimeOffset LastSeen);

/// <summary>An element lease.</summary>
/// <param name="ElementId">Element.</param>
/// <param name="NodeId">Holder.</param>
/// <param name="ExpiresAt">Runs out unless renewed.</param>
/// <param name="Epoch">Changes of holder so far.</param>
/// <param name="Live">Whether it is still in force.</param>
internal sealed record ClusterLeaseDto(string ElementId, string NodeId, DateTimeOffset ExpiresAt, long Epoch, bool Live);
