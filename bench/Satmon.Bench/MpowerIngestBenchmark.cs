using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Reflection;
using System.Runtime.ExceptionServices;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Satmon.Connectors;
using Satmon.Connectors.SesMpower;
using Satmon.Core.Connectors;
using Satmon.Core.Elements;
using Satmon.Core.Storage;
using Satmon.Simulators.SesMpower;
using Satmon.Storage.Sqlite;

namespace Satmon.Bench;

/// <summary>
/// mPOWER ingest end to end: the simulator serves one message per terminal in the pulled window over real HTTP, the
/// connector stream-parses it into a SQLite store (history points and terminal rows). Compared with the raw SQLite
/// baseline for the same number of values, measured in the same run.
/// </summary>
public static class MpowerIngestBenchmark
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 8, 30, 0, TimeSpan.Zero);

    public static async Task RunAsync(TextWriter output, int terminals = 100_000, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(terminals, 1);
        var folder = Directory.CreateTempSubdirectory("satmon-bench-mpower-").FullName;
        try
        {
            output.WriteLine($"mPOWER ingest: {terminals:N0} terminals, one message each, simulator → HTTP → connector → SQLite");
            var ingest = await IngestAsync(folder, terminals, output, ct);
            var baseline = RawBaseline(Path.Combine(folder, "baseline.db"), ingest.Values, terminals);
            var ratio = ingest.ValuesPerSecond / baseline;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  connector:    {ingest.Messages:N0} messages, {ingest.Values:N0} values in {ingest.Wall.TotalSeconds:F2} s = {ingest.ValuesPerSecond:N0} values/s"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  raw baseline: {ingest.Values:N0} values, one prepared INSERT in one transaction = {baseline:N0} values/s"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  ratio:        {ratio:F2} (target ≥ 0.5) {(ratio >= 0.5 ? "OK" : "BELOW TARGET")}"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  storage task: history WriteAsync {ingest.Storage.History.TotalSeconds:F2} s in {ingest.Storage.HistoryCalls} calls, table UpsertAsync {ingest.Storage.Table.TotalSeconds:F2} s in {ingest.Storage.TableCalls} calls (wall time, beside parsing); process CPU {ingest.Cpu.TotalSeconds:F2} s, load average {LoadAverage()}"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  memory:       peak GC heap {ingest.PeakHeapBytes / 1048576.0:F0} MiB, process peak working set {ingest.PeakWorkingSetBytes / 1048576.0:F0} MiB (target < 1024) {(ingest.PeakWorkingSetBytes < 1L << 30 ? "OK" : "ABOVE TARGET")}"));
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

    private static async Task<IngestResult> IngestAsync(string folder, int terminals, TextWriter output, CancellationToken ct)
    {
        var time = new FakeTimeProvider(Now);
        // Hourly samples and a one-hour first pull: the window (07:30, 08:30) holds exactly the 08:00 sample of every terminal.
        var simulatorOptions = new SesMpowerSimulatorOptions
        {
            TerminalCount = terminals,
            SampleInterval = TimeSpan.FromHours(1),
            SilentTerminalPercent = 0,
            MaxPageSize = 10_000,
        };
        await using var simulator = new SesMpowerSimulator(simulatorOptions, time);
        await simulator.StartAsync(ct);
        await using var services = new ServiceCollection().AddMetrics().AddSesMpowerConnector().BuildServiceProvider();
        await using var sqlite = new SqliteSatmonStore(new SqliteStoreOptions { DatabasePath = Path.Combine(folder, "satmon.db") }, NullLoggerFactory.Instance);
        await sqlite.MigrateAsync(ct);
        var timings = new StorageTimings();
        var store = TimingProxy.Wrap<ISatmonStore>(sqlite, timings);
        await using var manager = new ElementManager(
            services.GetServices<IConnector>(), store, new Protector(new EphemeralDataProtectionProvider()), services.GetRequiredService<IHttpClientFactory>(),
            time, NullLoggerFactory.Instance, services.GetRequiredService<IMeterFactory>());
        var settings = new Dictionary<string, string?>
        {
            [SesMpowerSettingKeys.BaseUrl] = simulator.BaseAddress.ToString().TrimEnd('/'),
            [SesMpowerSettingKeys.TokenUrl] = new Uri(simulator.BaseAddress, simulator.TokenPath).ToString(),
            [SesMpowerSettingKeys.ClientId] = simulatorOptions.ClientId,
            [SesMpowerSettingKeys.Username] = simulatorOptions.Username,
            [SesMpowerSettingKeys.Password] = simulatorOptions.Password,
            [SesMpowerSettingKeys.PageSize] = "10000",
            [SesMpowerSettingKeys.InitialHistory] = "3600",
            [SesMpowerSettingKeys.RequestTimeout] = "600",
        };

        GC.Collect();
        using var memory = new PeakHeapSampler();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var element = await manager.CreateAsync(new CreateElementRequest("mPOWER bench", SesMpowerConnector.ConnectorId, settings), ct);
        await manager.WhenIdleAsync(element.Id);
        clock.Stop();
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        var peakHeap = await memory.StopAsync();

        var pull = (await manager.GetPollingAsync(element.Id, ct)).Single(t => t.Name == SesMpowerConnector.PullMetricsTask).State;
        var general = (await store.Tables.GetAsync(element.Id, "general", "general", ct))!.Values;
        output.WriteLine($"  pull: {pull.Status}; {general["lastPullStatus"]}");
        if (pull.Status != Core.Polling.PollStatus.Succeeded)
        {
            throw new InvalidOperationException($"The pull failed: {pull.Reason}");
        }

        var messages = (long)(double)general["lastPullMessages"]!;
        var values = (long)(double)general["lastPullValues"]!;
        using var process = Process.GetCurrentProcess();
        return new IngestResult(messages, values, clock.Elapsed, cpu, timings, peakHeap, process.PeakWorkingSet64);
    }

    /// <summary>The same number of values into a bare table with one prepared INSERT in one transaction.</summary>
    private static double RawBaseline(string path, long values, int terminals)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; CREATE TABLE points (series INTEGER, t INTEGER, value REAL);";
            pragma.ExecuteNonQuery();
        }

        var t = Now.AddMinutes(-30).ToUnixTimeMilliseconds();
        var clock = Stopwatch.StartNew();
        using (var transaction = connection.BeginTransaction())
        using (var insert = connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO points (series, t, value) VALUES ($series, $t, $value)";
            var series = insert.Parameters.Add("$series", SqliteType.Integer);
            var at = insert.Parameters.Add("$t", SqliteType.Integer);
            var value = insert.Parameters.Add("$value", SqliteType.Real);
            insert.Prepare();
            for (long i = 0; i < values; i++)
            {
                series.Value = i;
                at.Value = t;
                value.Value = (double)(i % terminals) / 7;
                insert.ExecuteNonQuery();
            }

            transaction.Commit();
        }

        clock.Stop();
        return values / clock.Elapsed.TotalSeconds;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private sealed record IngestResult(
        long Messages, long Values, TimeSpan Wall, TimeSpan Cpu, StorageTimings Storage, long PeakHeapBytes, long PeakWorkingSetBytes)
    {
        public double ValuesPerSecond => Values / Wall.TotalSeconds;
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

    /// <summary>Time spent in the store's history writes and table upserts, which the connector makes on its storage task.</summary>
    internal sealed class StorageTimings
    {
        private long _historyTicks, _tableTicks;
        private int _historyCalls, _tableCalls;

        public TimeSpan History => Stopwatch.GetElapsedTime(0, Volatile.Read(ref _historyTicks));

        public TimeSpan Table => Stopwatch.GetElapsedTime(0, Volatile.Read(ref _tableTicks));

        public int HistoryCalls => Volatile.Read(ref _historyCalls);

        public int TableCalls => Volatile.Read(ref _tableCalls);

        public void Add(string method, long ticks)
        {
            if (method == nameof(IHistoryStore.WriteAsync))
            {
                Interlocked.Add(ref _historyTicks, ticks);
                Interlocked.Increment(ref _historyCalls);
            }
            else if (method == nameof(ITableStore.UpsertAsync))
            {
                Interlocked.Add(ref _tableTicks, ticks);
                Interlocked.Increment(ref _tableCalls);
            }
        }
    }

    /// <summary>
    /// Passes every call to the real store and times history writes and table upserts until their tasks complete. A
    /// proxy rather than a hand-written decorator, so the benchmark keeps compiling when the store interfaces grow.
    /// </summary>
    public class TimingProxy : DispatchProxy
    {
        private object _target = null!;
        private StorageTimings _timings = null!;
        private readonly Dictionary<string, object?> _wrapped = [];

        internal static T Wrap<T>(T target, StorageTimings timings)
            where T : class
        {
            var proxy = Create<T, TimingProxy>();
            var timing = (TimingProxy)(object)proxy;
            (timing._target, timing._timings) = (target, timings);
            return proxy;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            ArgumentNullException.ThrowIfNull(targetMethod);
            if (targetMethod.Name is "get_History" or "get_Tables")
            {
                lock (_wrapped)
                {
                    if (!_wrapped.TryGetValue(targetMethod.Name, out var wrapped))
                    {
                        var inner = targetMethod.Invoke(_target, args);
                        wrapped = targetMethod.Name == "get_History"
                            ? Wrap((IHistoryStore)inner!, _timings)
                            : Wrap((ITableStore)inner!, _timings);
                        _wrapped[targetMethod.Name] = wrapped;
                    }

                    return wrapped;
                }
            }

            var start = Stopwatch.GetTimestamp();
            object? result;
            try
            {
                result = targetMethod.Invoke(_target, args);
            }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                ExceptionDispatchInfo.Throw(ex.InnerException);
                throw;
            }

            if (result is Task task)
            {
                var timings = _timings;
                task.ContinueWith(_ => timings.Add(targetMethod.Name, Stopwatch.GetTimestamp() - start), CancellationToken.None,
                    TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }

            return result;
        }
    }

    private sealed class Protector(IDataProtectionProvider provider) : ISecretProtector
    {
        private readonly IDataProtector _protector = provider.CreateProtector("Satmon.Bench");

        public string Protect(string plaintext) => _protector.Protect(plaintext);

        public string Unprotect(string protectedText) => _protector.Unprotect(protectedText);
    }
}
