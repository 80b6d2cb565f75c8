using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Satmon.Core.Connectors;
using Satmon.Core.Elements;
using Satmon.Core.Storage;
using Satmon.Storage.Sqlite;

namespace Satmon.Connectors.Tests.Support;

/// <summary>
/// An element manager with the real connectors (registered as the host does), on a real SQLite file in a temp
/// folder, a fake clock and real Data Protection. Reopening the same folder is a restart.
/// </summary>
internal sealed class ElementHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly bool _ownsFolder;
    private bool _closed;

    private ElementHarness(string folder, bool ownsFolder, ISatmonStore store, ElementManager manager, FakeTimeProvider time, ServiceProvider services)
    {
        Folder = folder;
        _ownsFolder = ownsFolder;
        Store = store;
        Manager = manager;
        Time = time;
        _services = services;
    }

    public string Folder { get; }

    public ISatmonStore Store { get; }

    public ElementManager Manager { get; }

    public FakeTimeProvider Time { get; }

    /// <summary>Opens a harness; with <paramref name="folder"/> it reopens that database (a restart) and leaves the folder to its owner.</summary>
    /// <param name="time">The clock shared with the simulators.</param>
    /// <param name="folder">An existing harness's folder, or null for a new one.</param>
    /// <param name="configure">Extra services, e.g. an observing handler on a connector's HTTP client.</param>
    public static async Task<ElementHarness> CreateAsync(FakeTimeProvider time, string? folder = null, Action<IServiceCollection>? configure = null)
    {
        var ownsFolder = folder is null;
        folder ??= Directory.CreateTempSubdirectory("satmon-connectors-").FullName;
        var collection = new ServiceCollection().AddMetrics().AddSesMpowerConnector();
        configure?.Invoke(collection);
        var services = collection.BuildServiceProvider();
        var store = new SqliteSatmonStore(new SqliteStoreOptions { DatabasePath = Path.Combine(folder, "satmon.db") }, NullLoggerFactory.Instance);
        await store.MigrateAsync(CancellationToken.None);
        var protector = new Protector(DataProtectionProvider.Create(new DirectoryInfo(Path.Combine(folder, "keys"))));
        var manager = new ElementManager(
            services.GetServices<IConnector>(), store, protector, services.GetRequiredService<IHttpClientFactory>(), time,
            NullLoggerFactory.Instance, services.GetRequiredService<IMeterFactory>());
        return new ElementHarness(folder, ownsFolder, store, manager, time, services);
    }

    /// <summary>Creates an element and waits for its start-up and first polls.</summary>
    public async Task<string> CreateElementAsync(string name, string connector, IReadOnlyDictionary<string, string?> settings)
    {
        var view = await Manager.CreateAsync(new CreateElementRequest(name, connector, settings), CancellationToken.None);
        await Manager.WhenIdleAsync(view.Id);
        return view.Id;
    }

    /// <summary>Moves the clock and waits until the polls it made due have finished.</summary>
    public async Task AdvanceAsync(string elementId, TimeSpan by)
    {
        Time.Advance(by);
        await Manager.WhenIdleAsync(elementId);
    }

    /// <summary>Polls one task now and waits for it (and anything else running) to finish.</summary>
    public async Task PollNowAsync(string elementId, string task)
    {
        await Manager.PollNowAsync(elementId, task, CancellationToken.None);
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
        if (_ownsFolder)
        {
            DeleteFolder(Folder);
        }
    }

    public static void DeleteFolder(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by the OS is left for the temp cleaner.
        }
    }

    private sealed class Protector(IDataProtectionProvider provider) : ISecretProtector
    {
        private readonly IDataProtector _protector = provider.CreateProtector("Satmon.Secrets.v1");

        public string Protect(string plaintext) => _protector.Protect(plaintext);

        public string Unprotect(string protectedText) => _protector.Unprotect(protectedText);
    }
}
