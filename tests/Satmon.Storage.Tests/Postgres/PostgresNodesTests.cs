using Satmon.Core.Elements;
using Satmon.Core.Storage;
using Satmon.Core.Tables;

namespace Satmon.Storage.Tests.Postgres;

/// <summary>
/// Several stores on one database, each with its own pool and caches, as separate Satmon nodes would be: what one
/// node changes, the others must see, never acting on what their caches remember.
/// </summary>
public sealed class PostgresNodesTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 8, 0, 0, TimeSpan.Zero);

    private static readonly TableDefinition Terminals = new("terminals", "Terminals", "IMEI",
        [new ColumnDefinition("status", ColumnType.Enum), new ColumnDefinition("latency", ColumnType.Number)]);

    private readonly PostgresTestDatabase _db = new();
    private readonly List<ISatmonStore> _nodes = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ISatmonStore A => _nodes[0];

    private ISatmonStore B => _nodes[1];

    public async ValueTask InitializeAsync()
    {
        for (var i = 0; i < 3; i++)
        {
            _nodes.Add(await _db.OpenAsync());
        }
    }

    private static TableRow Row(string key, params (string Column, object? Value)[] values) => new(key, values.ToDictionary(v => v.Column, v => v.Value));

    private static async Task<List<string>> KeysAsync(ISatmonStore node, string elementId, params FilterClause[] filters) =>
        (await node.Tables.QueryAsync(elementId, "terminals", new TableQuery(filters, null, false, 0, 100), Ct)).Rows.Select(r => r.Key).ToList();

    [Fact]
    public async Task EnsureTableAsync_EveryNodeAtOnce_OneTableThatAllUse()
    {
        var tableCount = (long)(await _db.ScalarAsync("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"))!;

        for (var element = 0; element < 5; element++)
        {
            var id = $"e{element}";
            await Task.WhenAll(_nodes.Select(node => Task.Run(() => node.Tables.EnsureTableAsync(id, Terminals, Ct), Ct)));
            await Task.WhenAll(_nodes.Select((node, n) => node.Tables.UpsertAsync(id, "terminals", [Row($"from-{n}", ("latency", (double)n))], Ct)));

            foreach (var node in _nodes)
            {
                Assert.Equal(3, await node.Tables.CountAsync(id, "terminals", Ct));
            }
        }

        Assert.Equal(5L, await _db.ScalarAsync("SELECT count(*) FROM data_tables"));
        Assert.Equal(tableCount + 5, await _db.ScalarAsync("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"));
    }

    [Fact]
    public async Task Tables_EnsuredOnAnotherNode_ReadableWithoutEnsuringHere()
    {
        await A.Tables.EnsureTableAsync("e1", Terminals, Ct);
        await A.Tables.UpsertAsync("e1", "terminals", [Row("k1", ("status", "online"))], Ct);

        // B never ensured the table: its API still serves it, and its writers may use it.
        Assert.Equal(["k1"], await KeysAsync(B, "e1", new FilterClause("status", FilterOperator.Eq, "online")));
        await B.Tables.UpsertAsync("e1", "terminals", [Row("k2", ("latency", 3.0))], Ct);
        Assert.Equal(2, await A.Tables.CountAsync("e1", "terminals", Ct));
    }

    [Fact]
    public async Task Tables_ElementDeletedAndRecreatedOnAnotherNode_ThisNodeUsesTheNewTable()
    {
        await A.Tables.EnsureTableAsync("e1", Terminals, Ct);
        await A.Tables.UpsertAsync("e1", "terminals", [Row("old", ("latency", 1.0))], Ct);
        Assert.Equal(["old"], await KeysAsync(A, "e1"));

        await B.Elements.DeleteAsync("e1", Ct);
        await B.Tables.EnsureTableAsync("e1", Terminals, Ct);
        await B.Tables.UpsertAsync("e1", "terminals", [Row("new", ("latency", 2.0))], Ct);

        // A's cache still names the dropped physical table; every operation must find the new one instead.
        Assert.Null(await A.Tables.GetAsync("e1", "terminals", "old", Ct));
        Assert.Equal(2.0, (await A.Tables.GetAsync("e1", "terminals", "new", Ct))?.Values["latency"]);
        Assert.Equal(["new"], await KeysAsync(A, "e1"));
        Assert.Equal(["new"], await A.Tables.ReadAllAsync("e1", "terminals", Ct).Select(r => r.Key).ToListAsync(Ct));
        await A.Tables.UpsertAsync("e1", "terminals", [Row("from-a", ("latency", 3.0))], Ct);
        await A.Tables.DeleteAsync("e1", "terminals", ["new"], Ct);
        Assert.Equal(["from-a"], await KeysAsync(B, "e1"));
    }

    [Fact]
    public async Task Tables_ElementDeletedOnAnotherNode_ThisNodeSeesNoTable()
    {
        await A.Tables.EnsureTableAsync("e1", Terminals, Ct);
        await A.Tables.UpsertAsync("e1", "terminals", [Row("k1", ("latency", 1.0))], Ct);

        await B.Elements.DeleteAsync("e1", Ct);

        Assert.Equal(0, await A.Tables.CountAsync("e1", "terminals", Ct));
        Assert.Equal(0, (await A.Tables.QueryAsync("e1", "terminals", TableQuery.Default, Ct)).Total);
        Assert.Null(await A.Tables.GetAsync("e1", "terminals", "k1", Ct));
        Assert.Empty(await A.Tables.ReadAllAsync("e1", "terminals", Ct).ToListAsync(Ct));
        await Assert.ThrowsAsync<InvalidOperationException>(() => A.Tables.UpsertAsync("e1", "terminals", [Row("k2")], Ct));
    }

    [Fact]
    public async Task Tables_ColumnAddedOnAnotherNode_ThisNodeFiltersSortsAndWritesIt()
    {
        await A.Tables.EnsureTableAsync("e1", Terminals, Ct);
        await A.Tables.UpsertAsync("e1", "terminals", [Row("k1", ("latency", 1.0)), Row("k2", ("latency", 2.0))], Ct);
        Assert.Equal(2, (await A.Tables.QueryAsync("e1", "terminals", TableQuery.Default, Ct)).Total);

        var grown = Terminals with { Columns = [.. Terminals.Columns, new ColumnDefinition("beam", ColumnType.Number)] };
        await B.Tables.EnsureTableAsync("e1", grown, Ct);
        await B.Tables.UpsertAsync("e1", "terminals", [Row("k1", ("beam", 12.0))], Ct);

        Assert.Equal(["k1"], await KeysAsync(A, "e1", new FilterClause("beam", FilterOperator.Gt, 10.0)));
        await A.Tables.UpsertAsync("e1", "terminals", [Row("k2", ("beam", 20.0))], Ct);
        var sorted = await A.Tables.QueryAsync("e1", "terminals", new TableQuery([], "beam", true, 0, 10), Ct);
        Assert.Equal(["k2", "k1"], sorted.Rows.Select(r => r.Key));
        // A column nobody defined is still refused.
        await Assert.ThrowsAsync<ArgumentException>(() => A.Tables.UpsertAsync("e1", "terminals", [Row("k3", ("nope", 1.0))], Ct));
    }

    [Fact]
    public async Task Lease_ReleasedThenTakenElsewhere_EpochNeverGoesBack()
    {
        var lease = TimeSpan.FromSeconds(30);
        Assert.Equal(1, (await A.Cluster.TryAcquireLeaseAsync("e1", "node-a", T0, lease, Ct))?.Epoch);
        await A.Cluster.ReleaseLeaseAsync("e1", "node-a", Ct);

        var taken = await B.Cluster.TryAcquireLeaseAsync("e1", "node-b", T0.AddSeconds(1), lease, Ct);
        Assert.Equal(("node-b", 2L), (taken?.NodeId, taken?.Epoch));

        // The old holder has lost it: its renewal fails until the new lease lapses.
        Assert.Null(await A.Cluster.TryAcquireLeaseAsync("e1", "node-a", T0.AddSeconds(2), lease, Ct));
        Assert.Equal(3, (await A.Cluster.TryAcquireLeaseAsync("e1", "node-a", T0.AddSeconds(1) + lease, lease, Ct))?.Epoch);
    }

    [Fact]
    public async Task Elements_CreatedOnOneNode_ListedOnEveryNode()
    {
        var element = new ElementRecord("e1", "E1", "oneweb", new Dictionary<string, string?> { ["k"] = "v" }, true, ElementState.Starting, null, T0);
        Assert.True(await A.Elements.TryCreateAsync(element, Ct));
        Assert.False(await B.Elements.TryCreateAsync(element, Ct));

        await B.Elements.SetStateAsync("e1", ElementState.Running, null, Ct);

        Assert.Equal(ElementState.Running, (await _nodes[2].Elements.GetAsync("e1", Ct))?.State);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }

        await _db.DisposeAsync();
    }
}
