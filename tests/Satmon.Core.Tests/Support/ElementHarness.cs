using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Satmon.Core.Connectors;
using Satmon.Core.Elements;
using Satmon.Core.Storage;
using Satmon.Storage.Sqlite;

namespace Satmon.Core.Tests.Support;

/// <summary>An element manager on a real SQLite file in a temp folder, a fake clock and real Data Protection.</summary>
internal sealed class ElementHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private bool _closed;

    private ElementHarness(string folder, ISatmonStore store, ElementManager manager, FakeTimeProvider time, ServiceProvider services)
    {
        Folder = folder;
        Store = store;
        Manager = manager;
        Time = time;
        _services = services;
    }

    public string Folder { get; }

    public string DatabasePath => Path.Combine(Folder, "satmon.db");

    public ISatmonStore Store { get; }

    public ElementManager Manager { get; }

    public FakeTimeProvider Time { get; }

    public static async Task<ElementHarness> CreateAsync(IConnector connector, string? folder = null, FakeTimeProvider? time = null)
    {
        folder ??= Directory.CreateTempSubdirectory("satmon-core-").FullName;
        time ??= new FakeTimeProvider(new DateTimeOffset(2026, 11, 2, 8, 0, 0, TimeSpan.Zero));
        var services = new ServiceCollection().AddHttpClient().AddMetrics().BuildServiceProvider();
        var store = new SqliteSatmonStore(new SqliteStoreOptions { DatabasePath = Path.Combine(folder, "satmon.db") }, NullLoggerFactory.Instance);
        await store.MigrateAsync(CancellationToken.None);
        var protector = new TestProtector(Path.Combine(folder, "keys"));
        var manager = new ElementManager(
            [connector], store, protector, services.GetRequiredService<IHttpClientFactory>(), time, NullLoggerFactory.Instance,
            services.GetRequiredService<IMeterFactory>());
        return new ElementHarness(folder, store, manager, time, services);
    }

    /// <summary>Creates an element and waits for its start-up and first polls.</summary>
    public async Task<string> CreateElementAsync(string name = "Test element", string password = "s3cret-pa55")
    {
        var view = await Manager.CreateAsync(
            new CreateElementRequest(name, ScriptedConnector.Id, new Dictionary<string, string?> { ["baseUrl"] = "https://vendor.example", ["password"] = password }),
            CancellationToken.None);
        await Manager.WhenIdleAsync(view.Id);
        return view.Id;
    }

    /// <summary>Moves the clock and waits until the polls it made due have finished.</summary>
    public async Task AdvanceAsync(string elementId, TimeSpan by)
    {
        Time.Advance(by);
        await Manager.WhenIdleAsync(elementId);
    }

    /// <summary>Stops the manager and closes the store but keeps the folder (restart tests reopen it).</summary>
    public async Task CloseAsync()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        await Manager.DisposeAsync();
        await Store.DisposeAsync();
        await _services.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAsync();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by the OS is left for the temp cleaner.
        }
    }
}
