using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Satmon.Core.Elements;
using Satmon.Core.History;
using Satmon.Core.Objects;
using Satmon.Core.Tables;
using Satmon.Storage.Sqlite;

namespace Satmon.Storage.Tests.Sqlite;

/// <summary>What only the SQLite provider promises: the file's settings, schema versioning, and one writer under load.</summary>
public sealed class SqliteStoreTests : IAsyncDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 8, 0, 0, TimeSpan.Zero);
    private readonly SqliteTestDatabase _db = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private SqliteConnection OpenRaw()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _db.Path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private object? Scalar(string sql)
    {
        using var connection = OpenRaw();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    [Fact]
    public async Task MigrateAsync_NewFile_UsesWalAndRecordsEachMigrationOnce()
    {
        await using (var store = await _db.OpenAsync())
        {
            await store.MigrateAsync(Ct);
        }

        await using (var again = await _db.OpenAsync())
        {
            await again.MigrateAsync(Ct);
        }

        Assert.Equal("wal", Scalar("PRAGMA journal_mode"));
        Assert.Equal(Scalar("SELECT count(DISTINCT version) FROM schema_version"), Scalar("SELECT count(*) FROM schema_version"));
        Assert.True((long)Scalar("SELECT max(version) FROM schema_version")! >= 1);
    }

    [Fact]
    public async Task MigrateAsync_DatabaseNewerThanCode_FailsWithAClearMessage()
    {
        await (await _db.OpenAsync()).DisposeAsync();
        Scalar("INSERT INTO schema_version (version, name, applied_at) VALUES (9999, 'from the future', 0)");

        await using var store = new SqliteSatmonStore(new SqliteStoreOptions { DatabasePath = _db.Path }, NullLoggerFactory.Instance);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => store.MigrateAsync(Ct));

        Assert.Contains("9999", error.Message, StringComparison.Ordinal);
        Assert.Contains("newer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_MissingDatabasePath_NamesTheSettingToFix()
    {
        var error = Assert.Throws<ArgumentException>(() => new SqliteSatmonStore(new SqliteStoreOptions(), NullLoggerFactory.Instance));

        Assert.Contains("Storage:Sqlite:DatabasePath", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeleteAsync_Element_DropsItsPhysicalTables()
    {
        await using var store = await _db.OpenAsync();
        var table = new TableDefinition("terminals", "Terminals", "IMEI", [new ColumnDefinition("latency", ColumnType.Number)]);
        await store.Elements.TryCreateAsync(new ElementRecord("e1", "E1", "oneweb", new Dictionary<string, string?>(), true, ElementState.Running, null, T0), Ct);
        await store.Tables.EnsureTableAsync("e1", table, Ct);
        await store.Tables.EnsureTableAsync("e2", table, Ct);
        var before = (long)Scalar("SELECT count(*) FROM sqlite_master WHERE type = 'table'")!;

        await store.Elements.DeleteAsync("e1", Ct);

        Assert.Equal(before - 1, (long)Scalar("SELECT count(*) FROM sqlite_master WHERE type = 'table'")!);
        Assert.Equal(1L, Scalar("SELECT count(*) FROM data_tables"));
    }

    [Fact]
    public async Task Store_ConcurrentWritersAndReaders_AllSucceedWithExactCounts()
    {
        await using var store = await _db.OpenAsync();
        var table = new TableDefinition("terminals", "Terminals", "IMEI", [new ColumnDefinition("latency", ColumnType.Number)]);
        await store.Tables.EnsureTableAsync("e1", table, Ct);

        // Eight "poll tasks" write rows and history while readers query, as the polling manager and the API do.
        var writers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 25; i++)
            {
                var key = $"w{w}-{i}";
                await store.Tables.UpsertAsync("e1", "terminals", [new TableRow(key, new Dictionary<string, object?> { ["latency"] = (double)i })], Ct);
                await store.History.WriteAsync("e1", [new HistoryPoint("terminals", key, "latency", T0.AddMinutes(i), i), new HistoryPoint("terminals", "shared", "latency", T0.AddMinutes(i), w)], Ct);
                await store.State.SetAsync("e1", $"w{w}", i.ToString(System.Globalization.CultureInfo.InvariantCulture), Ct);
            }
        }, Ct));
        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 50; i++)
            {
                var page = await store.Tables.QueryAsync("e1", "terminals", new TableQuery([], "latency", true, 0, 20), Ct);
                Assert.True(page.Rows.Count <= 20);
                await store.History.QueryAsync("e1", new HistoryQuery("terminals", "shared", "latency", T0, T0.AddHours(1), Resolution.FiveMinutes), Ct);
            }
        }, Ct));
        await Task.WhenAll(writers.Concat(readers));

        Assert.Equal(200, await store.Tables.CountAsync("e1", "terminals", Ct));
        // 25 distinct times on the shared series: whichever writer came first, each minute is stored and rolled up once.
        var shared = await store.History.QueryAsync("e1", new HistoryQuery("terminals", "shared", "latency", T0, T0.AddHours(1), Resolution.OneHour), Ct);
        Assert.Equal(25, Assert.Single(shared.Rollups).Count);
        Assert.Equal("24", await store.State.GetAsync("e1", "w7", Ct));
    }

    [Fact]
    public async Task WriterStatistics_CountEachWriteTransaction_AndSplitItsTimeIntoCpuAndWaiting()
    {
        await using var store = new SqliteSatmonStore(new SqliteStoreOptions { DatabasePath = _db.Path }, NullLoggerFactory.Instance);
        await store.MigrateAsync(Ct);
        var before = store.Writer;

        for (var batch = 0; batch < 3; batch++)
        {
            var objects = Enumerable.Range(0, 2_000)
                .Select(i => new ObjectRecord($"o{batch}-{i}", new Dictionary<string, object?> { ["name"] = $"terminal {i}", ["beam"] = i % 40 }))
                .ToList();
            await store.Objects.UpsertAsync("e1", "things", objects, T0, Ct);
        }

        var after = store.Writer;
        Assert.Equal(before.Writes + 3, after.Writes);
        var held = after.Held - before.Held;
        Assert.True(held > TimeSpan.Zero, $"held {held}");
        if (OperatingSystem.IsLinux())
        {
            // 6,000 inserts take the writing thread a measurable CPU time; one thread cannot use more CPU than the
            // wall time it held the lock (1 ms for the two clocks' rounding).
            var cpu = after.Cpu - before.Cpu;
            var kernel = after.KernelCpu - before.KernelCpu;
            Assert.NotNull(cpu);
            Assert.NotNull(kernel);
            Assert.True(cpu > TimeSpan.Zero, $"CPU {cpu}");
            Assert.True(cpu <= held + TimeSpan.FromMilliseconds(1), $"CPU {cpu}, held {held}");
            Assert.True(kernel >= TimeSpan.Zero, $"kernel {kernel}");
        }
        else
        {
            Assert.Null(after.Cpu);
        }
    }

    [Fact]
    public async Task Writes_PastTheCheckpointSize_AreCopiedIntoTheDatabaseFileByTheBackgroundCheckpoint()
    {
        // 1 MiB of WAL wakes the background checkpoint; the writer's own would wait for 4 MiB.
        var options = new SqliteStoreOptions { DatabasePath = _db.Path, WalCheckpointMegabytes = 1, PageSizeBytes = 4096 };
        await using var store = new SqliteSatmonStore(options, NullLoggerFactory.Instance);
        await store.MigrateAsync(Ct);
        var fileBefore = new FileInfo(_db.Path).Length;
        var checkpointed = store.NextCheckpointAsync();

        // About 2.5 MiB of objects in five commits: past the background threshold, short of the writer's own.
        for (var batch = 0; batch < 5; batch++)
        {
            var objects = Enumerable.Range(0, 50)
                .Select(i => new ObjectRecord($"o{batch}-{i}", new Dictionary<string, object?> { ["blob"] = new string((char)('a' + batch), 10_000) }))
                .ToList();
            await store.Objects.UpsertAsync("e1", "things", objects, T0, Ct);
        }

        await checkpointed.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        // The pages reached the database file itself, not only the WAL, and nothing was lost on the way. The checkpoint
        // is woken by the commit that passes 1 MiB and copies what was committed by then, which later commits may add to.
        Assert.True(new FileInfo(_db.Path).Length >= fileBefore + (1L << 20), $"database file {new FileInfo(_db.Path).Length:N0} bytes, was {fileBefore:N0}");
        Assert.True(store.Checkpoints.Checkpoints >= 1);
        Assert.Equal(0, store.Checkpoints.Failures);
        Assert.Equal(250L, (await store.Objects.CountAsync("e1", Ct))["things"]);
        Assert.Equal(250L, Scalar("SELECT count(*) FROM objects WHERE definition = 'things'"));
    }

    [Fact]
    public void Validate_WalCheckpointSizeOutOfRange_NamesTheSetting()
    {
        var error = Assert.Throws<ArgumentException>(() => new SqliteSatmonStore(
            new SqliteStoreOptions { DatabasePath = _db.Path, WalCheckpointMegabytes = 0 }, NullLoggerFactory.Instance));

        Assert.Contains("Storage:Sqlite:WalCheckpointMegabytes must be between 1 and 1024; got 0", error.Message, StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync() => await _db.DisposeAsync();
}
