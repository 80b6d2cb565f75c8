using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Satmon.Connectors.OneWeb;
using Satmon.Connectors.Tests.Support;
using Satmon.Core.Connectors;
using Satmon.Core.Elements;
using Satmon.Core.History;
using Satmon.Core.Polling;
using Satmon.Core.Storage;
using Satmon.Core.Tables;
using Satmon.Simulators.OneWeb;
using Satmon.Storage.Sqlite;

namespace Satmon.Connectors.Tests.OneWeb;

/// <summary>
/// One OneWeb element against the OneWeb simulator over real HTTP on 127.0.0.1, on a real SQLite file, with a fake
/// clock shared by both sides. The connector is registered as the host does (<c>AddOneWebConnector</c>).
/// </summary>
internal sealed class OneWebHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset DefaultStart = new(2026, 6, 12, 10, 0, 0, TimeSpan.Zero);

    private readonly ServiceProvider _services;
    private readonly string _folder;

    private OneWebHarness(string folder, FakeTimeProvider time, OneWebSimulator simulator, ISatmonStore store, ElementManager manager, ServiceProvider services)
    {
        _folder = folder;
        Time = time;
        Simulator = simulator;
        Store = store;
        Manager = manager;
        _services = services;
    }

    public FakeTimeProvider Time { get; }

    public OneWebSimulator Simulator { get; }

    public ISatmonStore Store { get; }

    public ElementManager Manager { get; }

    public string ElementId { get; private set; } = "";

    public static async Task<OneWebHarness> StartAsync(Action<OneWebSimulatorOptions>? configure = null, DateTimeOffset? start = null)
    {
        var time = new FakeTimeProvider(start ?? DefaultStart);
        var options = new OneWebSimulatorOptions { TerminalCount = 12 };
        configure?.Invoke(options);
        var simulator = new OneWebSimulator(options, time);
        await simulator.StartAsync(TestContext.Current.CancellationToken);

        var folder = Directory.CreateTempSubdirectory("satmon-oneweb-").FullName;
        var services = new ServiceCollection().AddMetrics().AddOneWebConnector().BuildServiceProvider();
        var store = new SqliteSatmonStore(new SqliteStoreOptions { DatabasePath = Path.Combine(folder, "satmon.db") }, NullLoggerFactory.Instance);
        await store.MigrateAsync(TestContext.Current.CancellationToken);
        var protector = new Protector(DataProtectionProvider.Create(new DirectoryInfo(Path.Combine(folder, "keys"))));
        var manager = new ElementManager(
            services.GetServices<IConnector>(), store, protector, services.GetRequiredService<IHttpClientFactory>(), time,
            NullLoggerFactory.Instance, services.GetRequiredService<IMeterFactory>());
        return new OneWebHarness(folder, time, simulator, store, manager, services);
    }

    /// <summary>Creates the element pointed at the simulator and waits for hello and the first polls.</summary>
    public async Task<string> CreateElementAsync(IReadOnlyDictionary<string, string?>? settings = null, string? clientSecret = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["baseUrl"] = Simulator.BaseAddress.ToString(),
            ["clientId"] = Simulator.Options.ClientId,
            ["clientSecret"] = clientSecret ?? Simulator.Options.ClientSecret,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var view = await Manager.CreateAsync(new CreateElementRequest("OneWeb test", OneWebConnector.Id, values), TestContext.Current.CancellationToken);
        ElementId = view.Id;
        await Manager.WhenIdleAsync(ElementId);
        return ElementId;
    }

    /// <summary>Moves the clock and waits until the polls it made due have finished.</summary>
    public async Task AdvanceAsync(TimeSpan by)
    {
        Time.Advance(by);
        await Manager.WhenIdleAsync(ElementId);
    }

    /// <summary>Moves the clock in steps, letting the polls of each step finish (time "moves through").</summary>
    public async Task AdvanceInStepsAsync(TimeSpan total, TimeSpan step)
    {
        for (var moved = TimeSpan.Zero; moved < total; moved += step)
        {
            await AdvanceAsync(step);
        }
    }

    public async Task PollNowAsync(string task)
    {
        await Manager.PollNowAsync(ElementId, task, TestContext.Current.CancellationToken);
        await Manager.WhenIdleAsync(ElementId);
    }

    public async Task<PollTaskView> TaskAsync(string task) =>
        (await Manager.GetPollingAsync(ElementId, TestContext.Current.CancellationToken)).Single(t => t.Name == task);

    public Task<ElementView> ElementAsync() => Manager.GetAsync(ElementId, TestContext.Current.CancellationToken);

    public async Task<List<TableRow>> RowsAsync(string table)
    {
        var rows = new List<TableRow>();
        await foreach (var row in Store.Tables.ReadAllAsync(ElementId, table, TestContext.Current.CancellationToken))
        {
            rows.Add(row);
        }

        return rows;
    }

    public Task<TableRow?> RowAsync(string table, string key) => Store.Tables.GetAsync(ElementId, table, key, TestContext.Current.CancellationToken);

    public async Task<IReadOnlyList<HistorySample>> HistoryAsync(string table, string key, string column, DateTimeOffset from, DateTimeOffset to) =>
        (await Store.History.QueryAsync(ElementId, new HistoryQuery(table, key, column, from, to, Resolution.Raw), TestContext.Current.CancellationToken)).Raw;

    public async ValueTask DisposeAsync()
    {
        await Manager.DisposeAsync();
        await Store.DisposeAsync();
        await _services.DisposeAsync();
        await Simulator.DisposeAsync();
        ElementHarness.DeleteFolder(_folder);
    }

    private sealed class Protector(IDataProtectionProvider provider) : ISecretProtector
    {
        private readonly IDataProtector _protector = provider.CreateProtector("Satmon.Secrets.v1");

        public string Protect(string plaintext) => _protector.Protect(plaintext);

        public string Unprotect(string protectedText) => _protector.Unprotect(protectedText);
    }
}
