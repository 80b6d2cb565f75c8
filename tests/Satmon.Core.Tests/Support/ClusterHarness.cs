using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Satmon.Core.Cluster;
using Satmon.Core.Connectors;
using Satmon.Core.Elements;
using Satmon.Core.Storage;
using Satmon.Storage.Sqlite;

namespace Satmon.Core.Tests.Support;

/// <summary>
/// Several element managers ("nodes"), each with its own connector instance and lease identity, on one SQLite
/// store and one fake clock. The shared store instance keeps the test about coordination, not the database.
/// </summary>
internal sealed class ClusterHarness : IAsyncDisposable
{
    public static readonly ClusterOptions Options = new()
    {
        Enabled = true,
        LeaseDuration = TimeSpan.FromSeconds(30),
        RenewInterval = TimeSpan.FromSeconds(10),
        RequestInterval = TimeSpan.FromSeconds(1),
        RequestTimeout = TimeSpan.FromSeconds(20),
    };

    private readonly ServiceProvider _services = new ServiceCollection().AddHttpClient().AddMetrics().BuildServiceProvider();
    private readonly string _folder = Directory.CreateTempSubdirectory("satmon-cluster-").FullName;
    private readonly List<ElementManager> _managers = [];
    private ISecretProtector? _protector;

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 2, 8, 0, 0, TimeSpan.Zero));

    public ISatmonStore Store { get; private set; } = null!;

    public Dictionary<string, (ElementManager Manager, ScriptedConnector Connector)> Nodes { get; } = [];

    public static PollTaskDefinition DataTask { get; } = new("data", "Reads data.", TimeSpan.FromMinutes(1));

    public async Task<ElementManager> AddNodeAsync(string nodeId)
    {
        if (_protector is null)
        {
            var store = new SqliteSatmonStore(new SqliteStoreOptions { DatabasePath = Path.Combine(_folder, "satmon.db") }, NullLoggerFactory.Instance, Time);
            await store.MigrateAsync(CancellationToken.None);
            Store = store;
            _protector = new TestProtector(Path.Combine(_folder, "keys"));
        }

        var connector = new ScriptedConnector(DataTask);
        var options = new ClusterOptions
        {
            Enabled = Options.Enabled, NodeId = nodeId, LeaseDuration = Options.LeaseDuration, RenewInterval = Options.RenewInterval,
            RequestInterval = Options.RequestInterval, RequestTimeout = Options.RequestTimeout,
        };
        var manager = new ElementManager(
            [connector], Store, _protector, _services.GetRequiredService<IHttpClientFactory>(), Time, NullLoggerFactory.Instance,
            _services.GetRequiredService<IMeterFactory>(), Microsoft.Extensions.Options.Options.Create(options));
        _managers.Add(manager);
        Nodes[nodeId] = (manager, connector);
        await manager.StartAllAsync(CancellationToken.None);
        return manager;
    }

    public Task<ElementView> CreateElementAsync(ElementManager through, string name) =>
        through.CreateAsync(new CreateElementRequest(name, ScriptedConnector.Id,
            new Dictionary<string, string?> { ["baseUrl"] = "https://vendor.example", ["password"] = "pa55" }), CancellationToken.None);

    /// <summary>Which node runs each element, from the nodes' own view (not the lease table).</summary>
    public Dictionary<string, string> RunningOn() =>
        Nodes.SelectMany(n => n.Value.Manager.RunningIds.Select(id => (id, node: n.Key))).ToDictionary(x => x.id, x => x.node);

    /// <summary>A coordinator round on every live node, in order.</summary>
    public async Task TickAllAsync(params string[] except)
    {
        foreach (var (id, node) in Nodes.Where(n => !except.Contains(n.Key)))
        {
            await node.Manager.ClusterTickAsync(CancellationToken.None);
        }
    }

    /// <summary>Moves the clock in renew-interval steps, each followed by a round on the listed live nodes.</summary>
    public async Task AdvanceAsync(TimeSpan by, params string[] except)
    {
        for (var moved = TimeSpan.Zero; moved < by; moved += Options.RenewInterval)
        {
            Time.Advance(Options.RenewInterval);
            await TickAllAsync(except);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var manager in _managers)
        {
            await manager.DisposeAsync();
        }

        if (Store is not null)
        {
            await Store.DisposeAsync();
        }

        await _services.DisposeAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Left for the temp cleaner.
        }
    }
}
