using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Satmon.Connectors;
using Satmon.Connectors.SesInventory;
using Satmon.Core.Connectors;
using Satmon.Core.Elements;
using Satmon.Core.History;
using Satmon.Core.Objects;
using Satmon.Core.Polling;
using Satmon.Core.Storage;
using Satmon.Core.Tables;
using Satmon.Simulators.SesInventory;
using Satmon.Storage.Sqlite;

namespace Satmon.Bench;

/// <summary>
/// The initial cache build-up of an SES inventory element (services, carriers, resources) from the in-process
/// simulator into SQLite, through the real element manager, polling manager and connector. Reports wall time,
/// requests, objects written per second, process CPU, bytes written to files, peak memory, and how much of the wall
/// time storage and HTTP were busy.
/// Target: storage busy under 30 % of the wall time (storage is not the bottleneck).
/// </summary>
public static class InventoryBuildUpBenchmark
{
    private const string Tmf638Path = "/gstm/dataminer/tmf/api/v1/tmf638";
    private const string Tmf639Path = "/gstm/dataminer/tmf/api/v1/tmf639";

    public static async Task RunAsync(
        TextWriter output, int services = 100_000, int carriers = 20_000, int resources = 200_000, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        var folder = Directory.CreateTempSubdirectory("satmon-inventory-bench-").FullName;
        try
        {
            await RunInFolderAsync(output, folder, services, carriers, resources, ct);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task RunInFolderAsync(TextWriter output, string folder, int services, int carriers, int resources, CancellationToken ct)
    {
        var simulatorOptions = new SesInventorySimulatorOptions { ServiceCount = services, CarrierCount = carriers, ResourceCount = resources };
        await using var simulator = new SesInventorySimulator(simulatorOptions, TimeProvider.System);
        await simulator.StartAsync(ct);

        var storage = new BusyClock();
        var http = new BusyClock();
        var provider = new ServiceCollection().AddMetrics().AddSesInventoryConnector();
        provider.AddHttpClient(SesInventoryConnector.HttpClientName).AddHttpMessageHandler(() => new TimedHandler(http));
        provider.AddHttpClient(SesInventoryConnector.DirectHttpClientName).AddHttpMessageHandler(() => new TimedHandler(http));
        await using var container = provider.BuildServiceProvider();
        var sqlite = new SqliteSatmonStore(new SqliteStoreOptions { DatabasePath = Path.Combine(folder, "satmon.db") }, NullLoggerFactory.Instance);
        await using var store = new TimedStore(sqlite, storage);
        await store.MigrateAsync(ct);
        await using var manager = new ElementManager(
            container.GetServices<IConnector>(), store, new PlainProtector(), container.GetRequiredService<IHttpClientFactory>(),
            TimeProvider.System, NullLoggerFactory.Instance, container.GetRequiredService<IMeterFactory>());

        var expected = services + carriers + resources;
        output.WriteLine($"SES inventory build-up: {services:N0} services + {carriers:N0} carriers + {resources:N0} resources (simulator counts, before status/type filters), recordsPerPage 50, {Environment.ProcessorCount} cores");
        var cpuBefore = CpuTimes();
        var writtenBefore = BytesWritten();
        var gcBefore = GcCounts();
        var wall = Stopwatch.StartNew();
        var element = await manager.CreateAsync(new CreateElementRequest("Inventory bench", SesInventoryConnector.ConnectorId, new Dictionary<string, string?>
        {
            ["tmf638BaseUrl"] = new Uri(simulator.BaseAddress, Tmf638Path).AbsoluteUri,
            ["tmf638Username"] = simulatorOptions.Tmf638Username,
            ["tmf638Password"] = simulatorOptions.Tmf638Password,
            ["tmf639Url"] = new Uri(simulator.BaseAddress, Tmf639Path).AbsoluteUri,
            ["tmf639Username"] = simulatorOptions.Tmf639Username,
            ["tmf639Password"] = simulatorOptions.Tmf639Password,
        }), ct);
        await manager.WhenIdleAsync(element.Id);
        wall.Stop();

        var polling = await manager.GetPollingAsync(element.Id, ct);
        var counts = await store.Objects.CountAsync(element.Id, ct);
        var stored = counts.Values.Sum();
        var status = await store.Tables.QueryAsync(element.Id, "status", TableQuery.Default, ct);
        var written = status.Rows.Sum(r => r.Values.GetValueOrDefault("succeeded") is double d ? d : 0);
        foreach (var task in polling)
        {
            var row = status.Rows.FirstOrDefault(r => r.Key == task.Name);
            output.WriteLine($"    {task.Name,-10} {task.State.Status,-9} {task.State.LastDuration?.TotalSeconds ?? 0,7:F1} s   stored {counts.GetValueOrDefault(task.Name),9:N0}   {row?.Values.GetValueOrDefault("lastResult")}");
        }

        var seconds = wall.Elapsed.TotalSeconds;
        var storageShare = storage.Busy / wall.Elapsed;
        var httpShare = http.Busy / wall.Elapsed;
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    wall time        {seconds:F1} s for {expected:N0} simulated items"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    requests         {http.Calls:N0} ({http.Calls / seconds:F0}/s)"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    objects written  {written:N0} ({written / seconds:N0}/s); stored at the end {stored:N0}"));
        var (user, system) = CpuTimes();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"    process CPU      user {(user - cpuBefore.User).TotalSeconds:F1} s + system {(system - cpuBefore.System).TotalSeconds:F1} s of {Environment.ProcessorCount * seconds:F1} core-seconds"));
        if (writtenBefore is { } before && BytesWritten() is { } after)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"    file writes      {(after - before) / 1073741824.0:F2} GiB handed to the kernel (/proc/self/io wchar: WAL frames, checkpoints, everything else)"));
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    peak memory      {process.PeakWorkingSet64 / 1048576.0:F0} MiB working set (simulator, connector and SQLite in one process); GC heap now {GC.GetTotalMemory(false) / 1048576.0:F0} MiB"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    storage          busy {storage.Busy.TotalSeconds:F1} s = {storageShare:P0} of wall time ({storage.Calls:N0} calls, {storage.Total.TotalSeconds:F1} s summed over concurrent tasks)"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    HTTP             busy {http.Busy.TotalSeconds:F1} s = {httpShare:P0} of wall time (request to last body byte; {http.Total.TotalSeconds:F1} s summed)"));
        var writer = sqlite.Writer;
        var onCpu = writer is { Cpu: { } writerCpu, KernelCpu: { } writerKernel }
            ? string.Create(CultureInfo.InvariantCulture,
                $"on a CPU {writerCpu.TotalSeconds:F1} s of it = {writerCpu / wall.Elapsed:P0} of wall time (about {writerKernel.TotalSeconds:F1} s in the kernel; the writing thread's CPU clock), waiting for a core or I/O the rest")
            : "the writing thread's CPU time cannot be read here";
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"    writer           held the write lock {writer.Held.TotalSeconds:F1} s = {writer.Held / wall.Elapsed:P0} of wall time ({writer.Writes:N0} writes); {onCpu}"));
        var checkpoints = sqlite.Checkpoints;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"    checkpoints      {checkpoints.Checkpoints:N0} in the background, busy {checkpoints.Busy.TotalSeconds:F1} s (own connection, not counted as storage busy; {checkpoints.Failures} failed)"));
        var gc = GcCounts();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"    GC               paused all threads {(gc.Paused - gcBefore.Paused).TotalSeconds:F1} s; {gc.All - gcBefore.All:N0} collections ({gc.Gen1 - gcBefore.Gen1:N0} of them gen1 or 2, {gc.Gen2 - gcBefore.Gen2:N0} gen2); {(gc.Allocated - gcBefore.Allocated) / 1073741824.0:F2} GiB allocated"));
        output.WriteLine("    storage by call:  " + string.Join("; ", storage.Breakdown().Select(b => string.Create(CultureInfo.InvariantCulture, $"{b.Name} {b.Calls:N0}x {b.Total.TotalSeconds:F1} s"))));
        output.WriteLine($"    target storage < 30 % of wall time: {(storageShare < 0.30 ? "PASS" : "FAIL")}");
        if (polling.Any(p => p.State.Status != PollStatus.Succeeded))
        {
            output.WriteLine("    WARNING: not every poll task succeeded; see above.");
        }
    }

    /// <summary>CPU time of the whole process so far: storage shares the cores with the simulator and the connector.</summary>
    private static (TimeSpan User, TimeSpan System) CpuTimes()
    {
        using var process = Process.GetCurrentProcess();
        return (process.UserProcessorTime, process.PrivilegedProcessorTime);
    }

    /// <summary>The garbage collector's totals so far, for the whole process (simulator and connector included).</summary>
    private static (TimeSpan Paused, int All, int Gen1, int Gen2, long Allocated) GcCounts() =>
        (GC.GetTotalPauseDuration(), GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalAllocatedBytes());

    /// <summary>
    /// Bytes the process has passed to write calls (Linux only, else null). Almost all of them are SQLite's: every
    /// page a commit dirties goes to the WAL whole, and checkpoints copy pages to the database file.
    /// </summary>
    private static long? BytesWritten()
    {
        const string Io = "/proc/self/io";
        if (!File.Exists(Io))
        {
            return null;
        }

        var line = File.ReadLines(Io).FirstOrDefault(l => l.StartsWith("wchar:", StringComparison.Ordinal));
        return line is null ? null : long.Parse(line.AsSpan("wchar:".Length).Trim(), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Wall time during which at least one call was in progress (the union of the calls' intervals), so concurrent
    /// tasks are not counted twice; also the plain sum and the number of calls.
    /// </summary>
    private sealed class BusyClock
    {
        private readonly Lock _gate = new();
        private int _active;
        private long _since;
        private long _busy;
        private long _total;

        public long Calls { get; private set; }

        public TimeSpan Busy => Stopwatch.GetElapsedTime(0, _busy);

        public TimeSpan Total => Stopwatch.GetElapsedTime(0, _total);

        private readonly Dictionary<string, (long Calls, long Ticks)> _byName = new(StringComparer.Ordinal);

        /// <summary>Summed time and calls per named operation, largest first.</summary>
        public IEnumerable<(string Name, long Calls, TimeSpan Total)> Breakdown()
        {
            lock (_gate)
            {
                return _byName.OrderByDescending(e => e.Value.Ticks).Select(e => (e.Key, e.Value.Calls, Stopwatch.GetElapsedTime(0, e.Value.Ticks))).ToList();
            }
        }

        public async Task<T> TimeAsync<T>(string name, Func<Task<T>> call)
        {
            var start = Stopwatch.GetTimestamp();
            lock (_gate)
            {
                _since = _active++ == 0 ? start : _since;
                Calls++;
            }

            try
            {
                return await call();
            }
            finally
            {
                var end = Stopwatch.GetTimestamp();
                lock (_gate)
                {
                    var (calls, ticks) = _byName.GetValueOrDefault(name);
                    _byName[name] = (calls + 1, ticks + end - start);
                    _total += end - start;
                    _busy += --_active == 0 ? end - _since : 0;
                }
            }
        }

        public Task TimeAsync(string name, Func<Task> call) => TimeAsync(name, async () =>
        {
            await call();
            return true;
        });
    }

    /// <summary>Times each exchange up to the last body byte (the body is buffered here, so reading it later is CPU only).</summary>
    private sealed class TimedHandler(BusyClock clock) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            clock.TimeAsync("http", async () =>
            {
                var response = await base.SendAsync(request, cancellationToken);
                await response.Content.LoadIntoBufferAsync(cancellationToken);
                return response;
            });
    }

    /// <summary>No encryption: the benchmark's secrets are the simulator's fixed test passwords.</summary>
    private sealed class PlainProtector : ISecretProtector
    {
        public string Protect(string plaintext) => plaintext;

        public string Unprotect(string protectedText) => protectedText;
    }

    /// <summary>The SQLite store with every repository the element manager, polling manager and connector use timed.</summary>
    private sealed class TimedStore(ISatmonStore inner, BusyClock clock) : ISatmonStore
    {
        public string Provider => inner.Provider;

        public IElementRepository Elements { get; } = new TimedElements(inner.Elements, clock);

        public IPollingRepository Polling { get; } = new TimedPolling(inner.Polling, clock);

        public ITableStore Tables { get; } = new TimedTables(inner.Tables, clock);

        public IHistoryStore History { get; } = new TimedHistory(inner.History, clock);

        public IObjectStore Objects { get; } = new TimedObjects(inner.Objects, clock);

        public IElementStateStore State { get; } = new TimedState(inner.State, clock);

        public IApiKeyRepository ApiKeys => inner.ApiKeys;

        public IClusterStore Cluster => inner.Cluster;

        public void ForgetCachedElement(string elementId) => inner.ForgetCachedElement(elementId);

        public Task MigrateAsync(CancellationToken cancellationToken) => inner.MigrateAsync(cancellationToken);

        public Task CheckHealthAsync(CancellationToken cancellationToken) => inner.CheckHealthAsync(cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }

    private sealed class TimedElements(IElementRepository inner, BusyClock clock) : IElementRepository
    {
        public Task<IReadOnlyList<ElementRecord>> ListAsync(CancellationToken cancellationToken) =>
            clock.TimeAsync("elements.List", () => inner.ListAsync(cancellationToken));

        public Task<ElementRecord?> GetAsync(string id, CancellationToken cancellationToken) =>
            clock.TimeAsync("elements.Get", () => inner.GetAsync(id, cancellationToken));

        public Task<bool> TryCreateAsync(ElementRecord element, CancellationToken cancellationToken) =>
            clock.TimeAsync("elements.TryCreate", () => inner.TryCreateAsync(element, cancellationToken));

        public Task UpdateAsync(ElementRecord element, CancellationToken cancellationToken) =>
            clock.TimeAsync("elements.Update", () => inner.UpdateAsync(element, cancellationToken));

        public Task SetStateAsync(string id, ElementState state, string? message, CancellationToken cancellationToken) =>
            clock.TimeAsync("elements.SetState", () => inner.SetStateAsync(id, state, message, cancellationToken));

        public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) =>
            clock.TimeAsync("elements.Delete", () => inner.DeleteAsync(id, cancellationToken));
    }

    private sealed class TimedHistory(IHistoryStore inner, BusyClock clock) : IHistoryStore
    {
        public Task<int> WriteAsync(string elementId, IReadOnlyList<HistoryPoint> points, CancellationToken cancellationToken) =>
            clock.TimeAsync("history.Write", () => inner.WriteAsync(elementId, points, cancellationToken));

        public Task<HistorySeries> QueryAsync(string elementId, HistoryQuery query, CancellationToken cancellationToken) =>
            clock.TimeAsync("history.Query", () => inner.QueryAsync(elementId, query, cancellationToken));

        public Task<long> ApplyRetentionAsync(RetentionOptions retention, DateTimeOffset now, CancellationToken cancellationToken) =>
            clock.TimeAsync("history.ApplyRetention", () => inner.ApplyRetentionAsync(retention, now, cancellationToken));
    }

    private sealed class TimedObjects(IObjectStore inner, BusyClock clock) : IObjectStore
    {
        public Task<ObjectWriteResult> UpsertAsync(string elementId, string definition, IReadOnlyList<ObjectRecord> objects, DateTimeOffset now, CancellationToken cancellationToken) =>
            clock.TimeAsync("objects.Upsert", () => inner.UpsertAsync(elementId, definition, objects, now, cancellationToken));

        public Task<int> DeleteAsync(string elementId, string definition, IReadOnlyCollection<string> ids, DateTimeOffset now, CancellationToken cancellationToken) =>
            clock.TimeAsync("objects.Delete", () => inner.DeleteAsync(elementId, definition, ids, now, cancellationToken));

        public Task<ObjectPage> QueryAsync(ObjectDefinition definition, ObjectQuery query, CancellationToken cancellationToken) =>
            clock.TimeAsync("objects.Query", () => inner.QueryAsync(definition, query, cancellationToken));

        public Task<StoredObject?> GetAsync(string? elementId, string definition, string id, CancellationToken cancellationToken) =>
            clock.TimeAsync("objects.Get", () => inner.GetAsync(elementId, definition, id, cancellationToken));

        public Task<IReadOnlyCollection<string>> GetIdsAsync(string elementId, string definition, CancellationToken cancellationToken) =>
            clock.TimeAsync("objects.GetIds", () => inner.GetIdsAsync(elementId, definition, cancellationToken));

        public Task<IReadOnlyDictionary<string, long>> CountAsync(string elementId, CancellationToken cancellationToken) =>
            clock.TimeAsync("objects.Count", () => inner.CountAsync(elementId, cancellationToken));

        public Task<IReadOnlyList<ObjectChange>> GetChangesAsync(string? elementId, string definition, string id, int limit, CancellationToken cancellationToken) =>
            clock.TimeAsync("objects.GetChanges", () => inner.GetChangesAsync(elementId, definition, id, limit, cancellationToken));
    }

    private sealed class TimedState(IElementStateStore inner, BusyClock clock) : IElementStateStore
    {
        public Task<string?> GetAsync(string elementId, string key, CancellationToken cancellationToken) =>
            clock.TimeAsync("state.Get", () => inner.GetAsync(elementId, key, cancellationToken));

        public Task SetAsync(string elementId, string key, string? value, CancellationToken cancellationToken) =>
            clock.TimeAsync("state.Set", () => inner.SetAsync(elementId, key, value, cancellationToken));
    }

    private sealed class TimedPolling(IPollingRepository inner, BusyClock clock) : IPollingRepository
    {
        public Task<IReadOnlyList<PollTaskState>> ListAsync(string elementId, CancellationToken cancellationToken) =>
            clock.TimeAsync("polling.List", () => inner.ListAsync(elementId, cancellationToken));

        public Task SaveAsync(string elementId, PollTaskState state, CancellationToken cancellationToken) =>
            clock.TimeAsync("polling.Save", () => inner.SaveAsync(elementId, state, cancellationToken));
    }

    private sealed class TimedTables(ITableStore inner, BusyClock clock) : ITableStore
    {
        public Task EnsureTableAsync(string elementId, TableDefinition table, CancellationToken cancellationToken) =>
            clock.TimeAsync("tables.EnsureTable", () => inner.EnsureTableAsync(elementId, table, cancellationToken));

        public Task UpsertAsync(string elementId, string table, IReadOnlyList<TableRow> rows, CancellationToken cancellationToken) =>
            clock.TimeAsync("tables.Upsert", () => inner.UpsertAsync(elementId, table, rows, cancellationToken));

        public Task DeleteAsync(string elementId, string table, IReadOnlyCollection<string> keys, CancellationToken cancellationToken) =>
            clock.TimeAsync("tables.Delete", () => inner.DeleteAsync(elementId, table, keys, cancellationToken));

        public Task ReplaceAsync(string elementId, string table, IReadOnlyList<TableRow> rows, CancellationToken cancellationToken) =>
            clock.TimeAsync("tables.Replace", () => inner.ReplaceAsync(elementId, table, rows, cancellationToken));

        public Task<TablePage> QueryAsync(string elementId, string table, TableQuery query, CancellationToken cancellationToken) =>
            clock.TimeAsync("tables.Query", () => inner.QueryAsync(elementId, table, query, cancellationToken));

        public Task<TableRow?> GetAsync(string elementId, string table, string key, CancellationToken cancellationToken) =>
            clock.TimeAsync("tables.Get", () => inner.GetAsync(elementId, table, key, cancellationToken));

        public Task<long> CountAsync(string elementId, string table, CancellationToken cancellationToken) =>
            clock.TimeAsync("tables.Count", () => inner.CountAsync(elementId, table, cancellationToken));

        public IAsyncEnumerable<TableRow> ReadAllAsync(string elementId, string table, CancellationToken cancellationToken) =>
            inner.ReadAllAsync(elementId, table, cancellationToken);
    }
}
