using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Satmon.Connectors.OneWeb;
using Satmon.Core.Connectors;
using Satmon.Core.Elements;
using Satmon.Core.Polling;
using Satmon.Core.Storage;
using Satmon.Simulators.OneWeb;
using Satmon.Storage.Sqlite;

namespace Satmon.Bench;

/// <summary>
/// A OneWeb element's first full poll, end to end: the simulator serves the inventories, one day of 15-minute
/// performance samples per report type and usage over real HTTP; the connector pages, stream-parses and stores it all
/// in SQLite. Prints wall time, peak memory and the requests made.
/// </summary>
public static class OneWebPollBenchmark
{
    // 10:00 on a mid-month day: one day of samples reaches back into the previous day; the bill cycle is mid-way.
    private static readonly DateTimeOffset Now = new(2026, 6, 12, 10, 0, 0, TimeSpan.Zero);

    public static async Task RunAsync(TextWriter output, int terminals = 20_000, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(terminals, 1);
        var folder = Directory.CreateTempSubdirectory("satmon-bench-oneweb-").FullName;
        try
        {
            await PollAsync(folder, terminals, output, ct);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // Left for the temp cleaner.
            }
        }
    }

    private static async Task PollAsync(string folder, int terminals, TextWriter output, CancellationToken ct)
    {
        // The clock stands still: the run is exactly one poll of every task, however long it takes in real time.
        var time = new FakeTimeProvider(Now);
        var simulatorOptions = new OneWebSimulatorOptions { TerminalCount = terminals };
        await using var simulator = new OneWebSimulator(simulatorOptions, time);
        await simulator.StartAsync(ct);
        await using var services = new ServiceCollection().AddMetrics().AddOneWebConnector().BuildServiceProvider();
        var databasePath = Path.Combine(folder, "satmon.db");
        await using var store = new SqliteSatmonStore(new SqliteStoreOptions { DatabasePath = databasePath }, NullLoggerFactory.Instance);
        await store.MigrateAsync(ct);
        await using var manager = new ElementManager(
            services.GetServices<IConnector>(), store, new Protector(new EphemeralDataProtectionProvider()), services.GetRequiredService<IHttpClientFactory>(),
            time, NullLoggerFactory.Instance, services.GetRequiredService<IMeterFactory>());
        var settings = new Dictionary<string, string?>
        {
            ["baseUrl"] = simulator.BaseAddress.ToString(),
            ["clientId"] = simulatorOptions.ClientId,
            ["clientSecret"] = simulatorOptions.ClientSecret,
        };
        var fleet = simulator.Fleet;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"OneWeb full poll: {fleet.Terminals.Count:N0} terminals, {fleet.Products.Count:N0} products, {fleet.Organizations.Count:N0} organizations, {fleet.Sites.Count:N0} sites, 1 day of 15-minute samples; simulator → HTTP → connector → SQLite, one process"));

        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        using var memory = new PeakHeapSampler();
        var clock = Stopwatch.StartNew();
        var element = await manager.CreateAsync(new CreateElementRequest("OneWeb bench", OneWebConnector.Id, settings), ct);
        await manager.WhenIdleAsync(element.Id);
        clock.Stop();
        var peakHeap = await memory.StopAsync();
        using var process = Process.GetCurrentProcess();
        var peakWorkingSet = process.PeakWorkingSet64;

        var tasks = await manager.GetPollingAsync(element.Id, ct);
        var failed = tasks.Where(t => t.State.Status != PollStatus.Succeeded).ToList();
        if (failed.Count > 0)
        {
            throw new InvalidOperationException("Tasks failed: " + string.Join("; ", failed.Select(t => $"{t.Name}: {t.State.Status} {t.State.Reason}")));
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  wall time:     {clock.Elapsed.TotalSeconds:F1} s from create to every task idle (tasks run concurrently)"));
        var counts = simulator.RequestCountsByPath;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  requests:      {counts.Values.Sum():N0} in total: ")
            + string.Join(", ", counts.GroupBy(c => Shorten(c.Key)).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key} {g.Sum(c => c.Value)}"))));
        var rows = new List<string>();
        foreach (var table in new OneWebConnector().Descriptor.Tables)
        {
            var count = await store.Tables.CountAsync(element.Id, table.Name, ct);
            rows.Add(string.Create(CultureInfo.InvariantCulture, $"{table.Name} {count:N0}"));
        }

        output.WriteLine("  rows:          " + string.Join(", ", rows));
        var points = CountHistoryPoints(databasePath);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  history:       {points:N0} raw points stored ({points / clock.Elapsed.TotalSeconds:N0} points/s over the whole poll)"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  memory:        peak GC heap {peakHeap / 1048576.0:F0} MiB (sampled every 20 ms; {heapBefore / 1048576.0:F0} MiB before the poll, the simulator's fleet), process peak working set {peakWorkingSet / 1048576.0:F0} MiB (connector, simulator and SQLite together)"));
    }

    // "/performanceMonitoring/v2/performanceReport/PR-123" → "/performanceMonitoring/v2/performanceReport/{id}".
    private static string Shorten(string path)
    {
        var known = new[] { "/performanceMonitoring/v2/performanceReport/" };
        return known.FirstOrDefault(k => path.StartsWith(k, StringComparison.OrdinalIgnoreCase)) is { } prefix ? prefix + "{id}" : path;
    }

    /// <summary>Counts raw history rows straight from the SQLite file (the store has no count call).</summary>
    private static long CountHistoryPoints(string databasePath)
    {
        using var connection = new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var count = connection.CreateCommand();
        count.CommandText = "SELECT count(*) FROM history_raw";
        return Convert.ToInt64(count.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>Samples the GC heap size every 20 ms of real time and keeps the largest.</summary>
    private sealed class PeakHeapSampler : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _sampling;
        private long _peak;

        public PeakHeapSampler() => _sampling = SampleAsync();

        public async Task<long> StopAsync()
        {
            await _stop.CancelAsync();
            await _sampling;
            return Math.Max(_peak, GC.GetTotalMemory(false));
        }

        public void Dispose() => _stop.Dispose();

        private async Task SampleAsync()
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20), TimeProvider.System);
            try
            {
                while (await timer.WaitForNextTickAsync(_stop.Token))
                {
                    _peak = Math.Max(_peak, GC.GetTotalMemory(false));
                }
            }
            catch (OperationCanceledException)
            {
                // Stopped.
            }
        }
    }

    private sealed class Protector(IDataProtectionProvider provider) : ISecretProtector
    {
        private readonly IDataProtector _protector = provider.CreateProtector("Satmon.Bench");

        public string Protect(string plaintext) => _protector.Protect(plaintext);

        public string Unprotect(string protectedText) => _protector.Unprotect(protectedText);
    }
}
