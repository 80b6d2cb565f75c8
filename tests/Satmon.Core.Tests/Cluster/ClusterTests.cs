using Satmon.Core.Connectors;
using Satmon.Core.Elements;
using Satmon.Core.Tests.Support;

namespace Satmon.Core.Tests.Cluster;

/// <summary>Several nodes on one database share the elements by lease: spread, failover, requests across nodes.</summary>
public sealed class ClusterTests : IAsyncDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly ClusterHarness _cluster = new();

    public ValueTask DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public async Task Elements_TwoNodes_SpreadEvenlyAndEachRunsOnExactlyOneNode()
    {
        var a = await _cluster.AddNodeAsync("node-a");
        await _cluster.AddNodeAsync("node-b");
        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add((await _cluster.CreateElementAsync(a, $"Element {i}")).Id);
        }

        // Created through node A, all start there at once; the next rounds share them out.
        Assert.Equal(4, a.RunningIds.Count);
        await _cluster.AdvanceAsync(TimeSpan.FromSeconds(20));

        var on = _cluster.RunningOn();
        Assert.Equal(ids.Order(), on.Keys.Order());
        Assert.Equal(2, on.Values.Count(n => n == "node-a"));
        Assert.Equal(2, on.Values.Count(n => n == "node-b"));
        var live = (await _cluster.Store.Cluster.ListLeasesAsync(Ct)).Where(l => l.ExpiresAt > _cluster.Time.GetUtcNow()).ToList();
        Assert.Equal(4, live.Count);
        Assert.All(live, l => Assert.Equal(on[l.ElementId], l.NodeId));
    }

    [Fact]
    public async Task NodeKilled_ItsElementsResumeOnTheSurvivorAfterTheLeaseRunsOut()
    {
        var a = await _cluster.AddNodeAsync("node-a");
        var b = await _cluster.AddNodeAsync("node-b");
        for (var i = 0; i < 4; i++)
        {
            await _cluster.CreateElementAsync(i % 2 == 0 ? a : b, $"Element {i}");
        }

        await _cluster.AdvanceAsync(TimeSpan.FromSeconds(20));
        var onA = _cluster.RunningOn().Where(x => x.Value == "node-a").Select(x => x.Key).ToList();
        Assert.Equal(2, onA.Count);

        await a.AbandonLeasesAsync();
        // Before the leases run out nobody else may poll node A's elements.
        await _cluster.AdvanceAsync(TimeSpan.FromSeconds(10), "node-a");
        Assert.Equal(2, b.RunningIds.Count);

        await _cluster.AdvanceAsync(TimeSpan.FromSeconds(30), "node-a");
        Assert.Equal(4, b.RunningIds.Count);
        Assert.Subset(b.RunningIds.ToHashSet(), onA.ToHashSet());
        var leases = await _cluster.Store.Cluster.ListLeasesAsync(Ct);
        Assert.All(leases.Where(l => onA.Contains(l.ElementId)), l => Assert.Equal(("node-b", 2L), (l.NodeId, l.Epoch)));

        // The survivor runs them: a runtime was created for each, and they poll on.
        var nodeB = _cluster.Nodes["node-b"].Connector;
        Assert.Subset(nodeB.Contexts.Select(c => c.ElementId).ToHashSet(), onA.ToHashSet());
        var runs = nodeB.Runs("data");
        _cluster.Time.Advance(TimeSpan.FromMinutes(1));
        foreach (var id in b.RunningIds)
        {
            await b.WhenIdleAsync(id);
        }

        Assert.Equal(runs + 4, nodeB.Runs("data"));
    }

    [Fact]
    public async Task CleanStop_HandsTheElementsOverAtOnce()
    {
        var a = await _cluster.AddNodeAsync("node-a");
        var b = await _cluster.AddNodeAsync("node-b");
        var id = (await _cluster.CreateElementAsync(a, "Element")).Id;

        await a.StopAllAsync(Ct);
        await b.ClusterTickAsync(Ct);

        Assert.Equal([id], b.RunningIds);
    }

    [Fact]
    public async Task PollNow_ThroughAnotherNode_RunsOnTheHolder()
    {
        var a = await _cluster.AddNodeAsync("node-a");
        var b = await _cluster.AddNodeAsync("node-b");
        var id = (await _cluster.CreateElementAsync(a, "Element")).Id;
        await a.WhenIdleAsync(id);
        var before = _cluster.Nodes["node-a"].Connector.Runs("data");

        await b.PollNowAsync(id, "data", Ct);
        await a.ClusterRequestsAsync(Ct);
        await a.WhenIdleAsync(id);

        Assert.Equal(before + 1, _cluster.Nodes["node-a"].Connector.Runs("data"));
        Assert.Equal(0, _cluster.Nodes["node-b"].Connector.Runs("data"));
        await Assert.ThrowsAsync<PollTaskNotFoundException>(() => b.PollNowAsync(id, "nope", Ct));
    }

    [Fact]
    public async Task Command_ThroughAnotherNode_ReturnsTheHoldersResult()
    {
        var a = await _cluster.AddNodeAsync("node-a");
        var b = await _cluster.AddNodeAsync("node-b");
        var id = (await _cluster.CreateElementAsync(a, "Element")).Id;

        var command = b.ExecuteCommandAsync(id, "authenticate", Ct);
        await a.ClusterRequestsAsync(Ct);
        for (var i = 0; i < 100 && !command.IsCompleted; i++)
        {
            _cluster.Time.Advance(TimeSpan.FromMilliseconds(200));
            await Task.Yield();
            await Task.Delay(10, Ct); // real I/O: the store answers on its own thread
        }

        var result = await command;
        Assert.Equal(new CommandResult(true, "ok"), result);
    }

    [Fact]
    public async Task Command_HolderDoesNotAnswer_TimesOutWithAClearMessage()
    {
        var a = await _cluster.AddNodeAsync("node-a");
        var b = await _cluster.AddNodeAsync("node-b");
        var id = (await _cluster.CreateElementAsync(a, "Element")).Id;
        // Node A hangs: its lease is still live, but nothing serves requests.
        await a.AbandonLeasesAsync();

        var command = b.ExecuteCommandAsync(id, "authenticate", Ct);
        for (var i = 0; i < 500 && !command.IsCompleted; i++)
        {
            _cluster.Time.Advance(TimeSpan.FromMilliseconds(200));
            await Task.Delay(5, Ct);
        }

        var error = await Assert.ThrowsAsync<ElementRequestTimeoutException>(() => command);
        Assert.Contains($"'{id}' did not answer within 20 s", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StopAndSettings_ThroughAnotherNode_HolderStopsOrRestartsWithTheNewSettings()
    {
        var a = await _cluster.AddNodeAsync("node-a");
        var b = await _cluster.AddNodeAsync("node-b");
        var id = (await _cluster.CreateElementAsync(a, "Element")).Id;
        var connectorA = _cluster.Nodes["node-a"].Connector;

        await b.UpdateAsync(id, new UpdateElementRequest(null, new Dictionary<string, string?> { ["baseUrl"] = "https://other.example" }), Ct);
        await a.ClusterRequestsAsync(Ct);
        Assert.Equal("https://other.example", connectorA.Contexts.Last().Settings.GetString("baseUrl"));
        Assert.Equal([id], a.RunningIds);

        var view = await b.StopAsync(id, Ct);
        Assert.Equal(ElementState.Stopped, view.State);
        await a.ClusterRequestsAsync(Ct);
        Assert.Empty(a.RunningIds);
        Assert.DoesNotContain(await _cluster.Store.Cluster.ListLeasesAsync(Ct), l => l.ExpiresAt > _cluster.Time.GetUtcNow());

        // Started again through B, it runs on B.
        await b.StartAsync(id, Ct);
        Assert.Equal([id], b.RunningIds);
    }

    [Fact]
    public async Task Delete_ThroughAnotherNode_HolderStopsOnItsNextRound()
    {
        var a = await _cluster.AddNodeAsync("node-a");
        var b = await _cluster.AddNodeAsync("node-b");
        var id = (await _cluster.CreateElementAsync(a, "Element")).Id;

        await b.DeleteAsync(id, Ct);
        await a.ClusterTickAsync(Ct);

        Assert.Empty(a.RunningIds);
        Assert.Empty(await _cluster.Store.Cluster.ListLeasesAsync(Ct));
    }

    [Fact]
    public async Task LeaseTakenAway_HolderStopsPollingOnItsNextRound()
    {
        var a = await _cluster.AddNodeAsync("node-a");
        var id = (await _cluster.CreateElementAsync(a, "Element")).Id;

        // Another node took the lease (here by hand, as after a long pause of node A past the lease's end).
        await _cluster.Store.Cluster.ReleaseLeaseAsync(id, "node-a", Ct);
        Assert.NotNull(await _cluster.Store.Cluster.TryAcquireLeaseAsync(id, "node-x", _cluster.Time.GetUtcNow(), TimeSpan.FromMinutes(5), Ct));
        await a.ClusterTickAsync(Ct);

        Assert.Empty(a.RunningIds);
    }
}
