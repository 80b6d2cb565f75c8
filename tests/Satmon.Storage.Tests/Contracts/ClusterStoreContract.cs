using Satmon.Core.Elements;
using Satmon.Core.Storage;

namespace Satmon.Storage.Tests.Contracts;

/// <summary>Nodes, element leases and requests between nodes: the coordination several nodes rely on.</summary>
public abstract class ClusterStoreContract : StoreContract
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 8, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Lease_FreeElement_IsTakenAndRenewedByHolderOnly()
    {
        var taken = await Store.Cluster.TryAcquireLeaseAsync("e1", "node-a", T0, Lease, Ct);
        Assert.Equal(new ElementLease("e1", "node-a", T0 + Lease, 1), taken);

        // Another node cannot take a live lease, even a moment before it runs out.
        Assert.Null(await Store.Cluster.TryAcquireLeaseAsync("e1", "node-b", T0 + Lease - TimeSpan.FromMilliseconds(1), Lease, Ct));

        var renewed = await Store.Cluster.TryAcquireLeaseAsync("e1", "node-a", T0.AddSeconds(10), Lease, Ct);
        Assert.Equal(new ElementLease("e1", "node-a", T0.AddSeconds(10) + Lease, 1), renewed);
        Assert.Equal([renewed!], await Store.Cluster.ListLeasesAsync(Ct));
    }

    [Fact]
    public async Task Lease_Expired_PassesToAnotherNodeWithHigherEpoch()
    {
        await Store.Cluster.TryAcquireLeaseAsync("e1", "node-a", T0, Lease, Ct);

        var taken = await Store.Cluster.TryAcquireLeaseAsync("e1", "node-b", T0 + Lease, Lease, Ct);

        Assert.Equal(new ElementLease("e1", "node-b", T0 + Lease + Lease, 2), taken);
        // The old holder's renewal now fails: it must stop polling.
        Assert.Null(await Store.Cluster.TryAcquireLeaseAsync("e1", "node-a", T0 + Lease, Lease, Ct));
    }

    [Fact]
    public async Task Lease_Released_IsFreeAtOnceButOnlyTheHolderCanRelease()
    {
        await Store.Cluster.TryAcquireLeaseAsync("e1", "node-a", T0, Lease, Ct);

        await Store.Cluster.ReleaseLeaseAsync("e1", "node-b", Ct);
        Assert.Null(await Store.Cluster.TryAcquireLeaseAsync("e1", "node-b", T0.AddSeconds(1), Lease, Ct));

        await Store.Cluster.ReleaseLeaseAsync("e1", "node-a", Ct);
        var taken = await Store.Cluster.TryAcquireLeaseAsync("e1", "node-b", T0.AddSeconds(1), Lease, Ct);
        // The epoch goes on from the released lease: a fencing token never repeats.
        Assert.Equal(("node-b", 2L), (taken?.NodeId, taken?.Epoch));
    }

    [Fact]
    public async Task Lease_RacingNodes_ExactlyOneWins()
    {
        // Several stores on one database stand for several nodes.
        var stores = new List<ISatmonStore> { Store };
        for (var i = 1; i < 4; i++)
        {
            stores.Add(await OpenAsync());
        }

        for (var element = 0; element < 20; element++)
        {
            var id = $"race-{element}";
            var results = await Task.WhenAll(stores.Select((s, n) =>
                Task.Run(() => s.Cluster.TryAcquireLeaseAsync(id, $"node-{n}", T0, Lease, Ct), Ct)));

            Assert.Single(results, r => r is not null);
        }

        Assert.Equal(20, (await Store.Cluster.ListLeasesAsync(Ct)).Count);
    }

    [Fact]
    public async Task Nodes_Heartbeat_ListsLiveOnesAndRemoveForgets()
    {
        await Store.Cluster.HeartbeatAsync("node-a", T0, Ct);
        await Store.Cluster.HeartbeatAsync("node-b", T0.AddSeconds(20), Ct);
        await Store.Cluster.HeartbeatAsync("node-a", T0.AddSeconds(25), Ct);

        Assert.Equal([new ClusterNode("node-a", T0.AddSeconds(25)), new ClusterNode("node-b", T0.AddSeconds(20))],
            await Store.Cluster.ListNodesAsync(T0.AddSeconds(20), Ct));
        Assert.Equal(["node-a"], (await Store.Cluster.ListNodesAsync(T0.AddSeconds(21), Ct)).Select(n => n.NodeId));

        await Store.Cluster.RemoveNodeAsync("node-a", Ct);
        Assert.Equal(["node-b"], (await Store.Cluster.ListNodesAsync(T0, Ct)).Select(n => n.NodeId));
    }

    [Fact]
    public async Task Requests_EnqueueListCompleteGetPurge()
    {
        var first = await Store.Cluster.EnqueueRequestAsync("e1", "poll", """{"task":"pm"}""", T0, Ct);
        var other = await Store.Cluster.EnqueueRequestAsync("e2", "command", """{"command":"x"}""", T0.AddSeconds(1), Ct);
        var second = await Store.Cluster.EnqueueRequestAsync("e1", "poll", null, T0.AddSeconds(2), Ct);

        var pending = await Store.Cluster.ListPendingRequestsAsync(["e1"], Ct);
        Assert.Equal([first, second], pending.Select(r => r.Id));
        Assert.Equal(("e1", "poll", """{"task":"pm"}""", T0, (DateTimeOffset?)null, (string?)null),
            (pending[0].ElementId, pending[0].Kind, pending[0].Argument, pending[0].RequestedAt, pending[0].CompletedAt, pending[0].Result));
        Assert.Empty(await Store.Cluster.ListPendingRequestsAsync([], Ct));

        Assert.True(await Store.Cluster.CompleteRequestAsync(first, """{"ok":true}""", T0.AddSeconds(3), Ct));
        Assert.False(await Store.Cluster.CompleteRequestAsync(first, """{"ok":false}""", T0.AddSeconds(4), Ct));
        var done = await Store.Cluster.GetRequestAsync(first, Ct);
        Assert.Equal((T0.AddSeconds(3), """{"ok":true}"""), (done!.CompletedAt, done.Result));
        Assert.Equal([other, second], (await Store.Cluster.ListPendingRequestsAsync(["e1", "e2"], Ct)).Select(r => r.Id));

        Assert.Equal(2, await Store.Cluster.PurgeRequestsAsync(T0.AddSeconds(2), Ct));
        Assert.Null(await Store.Cluster.GetRequestAsync(first, Ct));
        Assert.Equal([second], (await Store.Cluster.ListPendingRequestsAsync(["e1", "e2"], Ct)).Select(r => r.Id));
    }

    [Fact]
    public async Task DeleteElement_RemovesItsLeaseAndRequests()
    {
        Assert.True(await Store.Elements.TryCreateAsync(
            new ElementRecord("gone", "Gone", "oneweb", new Dictionary<string, string?>(), true, ElementState.Running, null, T0), Ct));
        await Store.Cluster.TryAcquireLeaseAsync("gone", "node-a", T0, Lease, Ct);
        await Store.Cluster.TryAcquireLeaseAsync("kept", "node-a", T0, Lease, Ct);
        var request = await Store.Cluster.EnqueueRequestAsync("gone", "poll", null, T0, Ct);

        Assert.True(await Store.Elements.DeleteAsync("gone", Ct));

        Assert.Equal(["kept"], (await Store.Cluster.ListLeasesAsync(Ct)).Select(l => l.ElementId));
        Assert.Null(await Store.Cluster.GetRequestAsync(request, Ct));
    }
}
