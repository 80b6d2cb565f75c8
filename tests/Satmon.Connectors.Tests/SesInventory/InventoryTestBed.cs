using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Satmon.Connectors.SesInventory;
using Satmon.Core.Connectors;
using Satmon.Core.Elements;
using Satmon.Core.Objects;
using Satmon.Core.Polling;
using Satmon.Core.Storage;
using Satmon.Simulators.SesInventory;
using Satmon.Simulators.SesInventory.Http;
using Satmon.Storage.Sqlite;

namespace Satmon.Connectors.Tests.SesInventory;

/// <summary>
/// One inventory element against the simulator over real HTTP (127.0.0.1, port 0), on a real SQLite file in its own
/// temp folder, with one fake clock for the element manager and the vendor. <see cref="RestartAsync"/> reopens the
/// same database with a new manager, as a process restart does.
/// </summary>
/// <remarks>
/// The shared Support/ElementHarness registers only the mPOWER connector and has no hook for more; this bed does the
/// same wiring with <see cref="SesInventoryServiceCollectionExtensions.AddSesInventoryConnector"/> plus the simulator.
/// </remarks>
internal sealed class InventoryTestBed : IAsyncDisposable
{
    public const int PageSize = 20;
    public static readonly DateTimeOffset Start = new(2026, 11, 2, 8, 0, 0, TimeSpan.Zero);

    private const string Password = "bed-pass";
    private ServiceProvider _services = null!;

    private InventoryTestBed(SesInventorySimulator simulator, SesInventorySimulatorOptions options, FakeTimeProvider time, string folder)
    {
        Simulator = simulator;
        Options = options;
        Time = time;
        Folder = folder;
    }

    public SesInventorySimulator Simulator { get; }

    public SesInventorySimulatorOptions Options { get; }

    public FakeTimeProvider Time { get; }

    public string Folder { get; }

    public ISatmonStore Store { get; private set; } = null!;

    public ElementManager Manager { get; private set; } = null!;

    public string ElementId { get; private set; } = "";

    public DateTimeOffset Now => Time.GetUtcNow();

    /// <summary>A small inventory (many pages of <see cref="PageSize"/>), adjustable per test.</summary>
    public static async Task<InventoryTestBed> StartAsync(Action<SesInventorySimulatorOptions>? configure = null)
    {
        var options = new SesInventorySimulatorOptions
        {
            Seed = 7,
            ServiceCount = 130,
            CarrierCount = 60,
            ResourceCount = 300,
            Tmf638Password = Password,
            Tmf639Password = Password,
            Origin = Start,
        };
        configure?.Invoke(options);
        var time = new FakeTimeProvider(Start);
        var simulator = new SesInventorySimulator(options, time);
        await simulator.StartAsync(TestContext.Current.CancellationToken);
        var bed = new InventoryTestBed(simulator, options, time, Directory.CreateTempSubdirectory("satmon-inventory-").FullName);
        await bed.OpenAsync();
        return bed;
    }

    /// <summary>Creates the element (its first polls run the build-up) and, unless told not to, waits until they have finished.</summary>
    public async Task<string> CreateElementAsync(IReadOnlyDictionary<string, string?>? overrides = null, bool wait = true)
    {
        var settings = new Dictionary<string, string?>
        {
            ["tmf638BaseUrl"] = new Uri(Simulator.BaseAddress, "/gstm/dataminer/tmf/api/v1/tmf638").AbsoluteUri,
            ["tmf638Username"] = Options.Tmf638Username,
            ["tmf638Password"] = Password,
            ["tmf639Url"] = new Uri(Simulator.BaseAddress, "/gstm/dataminer/tmf/api/v1/tmf639").AbsoluteUri,
            ["tmf639Username"] = Options.Tmf639Username,
            ["tmf639Password"] = Password,
            ["recordsPerPage"] = PageSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var view = await Manager.CreateAsync(new CreateElementRequest("Inventory", SesInventoryConnector.ConnectorId, settings), TestContext.Current.CancellationToken);
        ElementId = view.Id;
        if (wait)
        {
            await Manager.WhenIdleAsync(ElementId);
        }

        return ElementId;
    }

    /// <summary>Moves the shared clock (vendor data change, polls fall due) and waits for the polls it started.</summary>
    public async Task AdvanceAsync(TimeSpan by)
    {
        Time.Advance(by);
        await Manager.WhenIdleAsync(ElementId);
    }

    /// <summary>Polls one task (or all) now and waits.</summary>
    public async Task PollNowAsync(string? task = null)
    {
        await Manager.PollNowAsync(ElementId, task, TestContext.Current.CancellationToken);
        await Manager.WhenIdleAsync(ElementId);
    }

    /// <summary>Stops everything and reopens the same database with a new manager, which starts the element again.</summary>
    public async Task RestartAsync(Action? whileDown = null)
    {
        await CloseAsync();
        whileDown?.Invoke();
        await OpenAsync();
        await Manager.StartAllAsync(TestContext.Current.CancellationToken);
        await Manager.WhenIdleAsync(ElementId);
    }

    public async Task<PollTaskView> TaskAsync(string task) =>
        (await Manager.GetPollingAsync(ElementId, TestContext.Current.CancellationToken)).Single(t => t.Name == task);

    /// <summary>Every stored object of a definition, typed by the definition, by id.</summary>
    public async Task<Dictionary<string, StoredObject>> ObjectsAsync(string definition)
    {
        var type = SesInventoryDefinitions.All.Single(d => d.Name == definition);
        var result = new Dictionary<string, StoredObject>(StringComparer.Ordinal);
        for (var offset = 0; ; offset += 1000)
        {
            var page = await Store.Objects.QueryAsync(type, new ObjectQuery(ElementId, [], null, false, offset, 1000), TestContext.Current.CancellationToken);
            foreach (var item in page.Items)
            {
                result.Add(item.Id, item);
            }

            if (page.Items.Count < 1000)
            {
                return result;
            }
        }
    }

    public async Task<IReadOnlyDictionary<string, object?>> StatusAsync(string definition) =>
        (await Store.Tables.GetAsync(ElementId, SesInventoryDefinitions.StatusTable, definition, TestContext.Current.CancellationToken))?.Values
        ?? throw new InvalidOperationException($"No status row for {definition}.");

    public Task<IReadOnlyList<ObjectChange>> ChangesAsync(string definition, string id) =>
        Store.Objects.GetChangesAsync(ElementId, definition, id, 50, TestContext.Current.CancellationToken);

    /// <summary>What the vendor lists now (status=1 unless asked otherwise).</summary>
    public IReadOnlyList<InventoryItem> Listing(InventoryEntity entity, InventoryFilter? filter = null) =>
        Simulator.Inventory.List(entity, Now, filter ?? InventoryFilter.Operational);

    /// <summary>The ids a build-up now must end with: first occurrence of each usable id, excluded types dropped.</summary>
    public HashSet<string> ExpectedIds(InventoryEntity entity) => entity == InventoryEntity.Resources
        ? Listing(entity).Where(i => !InventoryGenerator.ExcludedResourceTypes.Contains(i.Type)).Select(i => i.Id).ToHashSet()
        : Listing(entity).Select(i => i.ExternalId).Where(id => !string.IsNullOrEmpty(id)).Select(id => id!).ToHashSet();

    /// <summary>The list calls the simulator answered for an entity type, oldest first.</summary>
    public IReadOnlyList<InventoryRequest> Requests(InventoryEntity entity) =>
        Simulator.InventoryRequests.Where(r => r.Entity == entity).ToList();

    public async ValueTask DisposeAsync()
    {
        await CloseAsync();
        await Simulator.DisposeAsync();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by the OS is left for the temp cleaner.
        }
    }

    private async Task OpenAsync()
    {
        _services = new ServiceCollection().AddMetrics().AddSesInventoryConnector().BuildServiceProvider();
        Store = new SqliteSatmonStore(new SqliteStoreOptions { DatabasePath = Path.Combine(Folder, "satmon.db") }, NullLoggerFactory.Instance);
        await Store.MigrateAsync(TestContext.Current.CancellationToken);
        var protector = new Protector(DataProtectionProvider.Create(new DirectoryInfo(Path.Combine(Folder, "keys"))));
        Manager = new ElementManager(
            _services.GetServices<IConnector>(), Store, protector, _services.GetRequiredService<IHttpClientFactory>(), Time,
            NullLoggerFactory.Instance, _services.GetRequiredService<IMeterFactory>());
    }

    private async Task CloseAsync()
    {
        if (Manager is null)
        {
            return;
        }

        await Manager.DisposeAsync();
        await Store.DisposeAsync();
        await _services.DisposeAsync();
        Manager = null!;
    }

    private sealed class Protector(IDataProtectionProvider provider) : ISecretProtector
    {
        private readonly IDataProtector _protector = provider.CreateProtector("Satmon.Secrets.v1");

        public string Protect(string plaintext) => _protector.Protect(plaintext);

        public string Unprotect(string protectedText) => _protector.Unprotect(protectedText);
    }
}
