using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Satmon.Storage.Sqlite;

namespace Satmon.Bench;

/// <summary>Sizes of one run.</summary>
internal sealed record BenchSizes(int Series, int PointsPerSeries, int HistoryBatch, int TableRows, int TableBatch, int PageQueries, int TrendQueries)
{
    public long Points => (long)Series * PointsPerSeries;
}

/// <summary>A temp folder for the run's database files, deleted at the end.</summary>
internal sealed class BenchFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("satmon-bench-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Page size of new store files; <c>--page-size</c> overrides the store's default.</summary>
    public static int? PageSizeBytes { get; set; }

    public static async Task<SqliteSatmonStore> OpenStoreAsync(string path, bool indexTableColumns = true)
    {
        var options = new SqliteStoreOptions { DatabasePath = path, IndexTableColumns = indexTableColumns };
        options.PageSizeBytes = PageSizeBytes ?? options.PageSizeBytes;
        var store = new SqliteSatmonStore(options, NullLoggerFactory.Instance);
        await store.MigrateAsync(CancellationToken.None);
        return store;
    }

    public static int EffectivePageSizeBytes => PageSizeBytes ?? new SqliteStoreOptions().PageSizeBytes;

    /// <summary>
    /// A connection with the file settings the store's writer uses (page size, WAL, synchronous, cache), so that a
    /// baseline differs from the store only in what it does, not in how the file is set up.
    /// </summary>
    public static SqliteConnection OpenRaw(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA page_size={EffectivePageSizeBytes}; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;";
        command.ExecuteNonQuery();
        return connection;
    }

    public static long FileBytes(string path) =>
        new[] { path, path + "-wal" }.Where(System.IO.File.Exists).Sum(p => new FileInfo(p).Length);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(Path, recursive: true);
    }
}

/// <summary>Latency samples and their percentiles.</summary>
internal sealed class Latencies
{
    private readonly List<double> _ms = [];

    public int Count => _ms.Count;

    public async Task<T> MeasureAsync<T>(Func<Task<T>> action)
    {
        var start = Stopwatch.GetTimestamp();
        var result = await action();
        _ms.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        return result;
    }

    /// <summary>Nearest-rank percentile.</summary>
    public double Percentile(double p)
    {
        var sorted = _ms.Order().ToList();
        var rank = (int)Math.Ceiling(p / 100 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }

    public string Summary() => $"p50 {Percentile(50),7:F2} ms   p99 {Percentile(99),7:F2} ms   max {_ms.Max(),7:F2} ms   (n={Count})";
}

/// <summary>Wall-clock and CPU time of one measured step (CPU time is what other load on a shared machine distorts least).</summary>
internal readonly record struct Timing(TimeSpan Wall, TimeSpan Cpu)
{
    public static Timing Measure(Action action)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var start = Stopwatch.GetTimestamp();
        action();
        return new Timing(Stopwatch.GetElapsedTime(start), Process.GetCurrentProcess().TotalProcessorTime - cpu);
    }

    public static async Task<Timing> MeasureAsync(Func<Task> action)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var start = Stopwatch.GetTimestamp();
        await action();
        return new Timing(Stopwatch.GetElapsedTime(start), Process.GetCurrentProcess().TotalProcessorTime - cpu);
    }

    public static Timing Best(Timing a, Timing b) => new(a.Wall < b.Wall ? a.Wall : b.Wall, a.Cpu < b.Cpu ? a.Cpu : b.Cpu);
}

internal static class Rate
{
    public static string PerSecond(double count, TimeSpan elapsed) => $"{count / elapsed.TotalSeconds,12:N0}/s";
}
