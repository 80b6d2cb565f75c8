using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Satmon.Core.Elements;
using Satmon.Core.Storage;
using Satmon.Core.Tables;
using Satmon.Storage.Postgres;
using Satmon.Storage.Postgres.Tables;

namespace Satmon.Storage.Tests.Postgres;

/// <summary>What only the PostgreSQL provider promises: clear connection errors, options, and migrations shared by nodes.</summary>
public sealed class PostgresStoreTests : IAsyncDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 8, 0, 0, TimeSpan.Zero);
    private readonly PostgresTestDatabase _db = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task MigrateAsync_NothingListensOnThePort_NamesServerAndCauseButNotThePassword()
    {
        const string Password = "pw-never-shown-7f3a";
        var logs = new CapturingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        // Port 1 on loopback: nothing listens there, so the connection is refused at once.
        await using var store = new PostgresSatmonStore(
            new PostgresStoreOptions { ConnectionString = $"Host=127.0.0.1;Port=1;Database=fleet;Username=satmon;Password={Password}" }, loggerFactory);

        var error = await Assert.ThrowsAsync<StorageUnavailableException>(() => store.MigrateAsync(Ct));

        Assert.Contains("on 127.0.0.1:1 ", error.Message, StringComparison.Ordinal);
        Assert.Contains("'fleet'", error.Message, StringComparison.Ordinal);
        Assert.Contains("connection refused", error.Message, StringComparison.Ordinal);
        Assert.Contains(PostgresStoreOptions.ConnectionStringKey, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Lines, line => line.Contains(Password, StringComparison.Ordinal));
        await Assert.ThrowsAsync<StorageUnavailableException>(() => store.CheckHealthAsync(Ct));
    }

    [Fact]
    public async Task MigrateAsync_WrongPassword_SaysAuthenticationFailedButNotThePassword()
    {
        const string Password = "wrong-pw-91c2e";
        var admin = new NpgsqlConnectionStringBuilder(PostgresTestDatabase.Admin) { Password = Password };
        await using var store = new PostgresSatmonStore(new PostgresStoreOptions { ConnectionString = admin.ConnectionString }, NullLoggerFactory.Instance);

        var error = await Assert.ThrowsAsync<StorageUnavailableException>(() => store.MigrateAsync(Ct));

        Assert.Contains($"{admin.Host}:{admin.Port}", error.Message, StringComparison.Ordinal);
        Assert.Contains($"password authentication failed for user '{admin.Username}'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MigrateAsync_DatabaseMissing_SaysItDoesNotExist()
    {
        var missing = new NpgsqlConnectionStringBuilder(PostgresTestDatabase.Admin) { Database = "satmon_missing_" + Guid.NewGuid().ToString("N") };
        await using var store = new PostgresSatmonStore(new PostgresStoreOptions { ConnectionString = missing.ConnectionString }, NullLoggerFactory.Instance);

        var error = await Assert.ThrowsAsync<StorageUnavailableException>(() => store.MigrateAsync(Ct));

        Assert.Contains($"database '{missing.Database}' does not exist", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Password", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("", "Storage:ConnectionString is required")]
    [InlineData("Port=5432;Database=satmon", "Storage:ConnectionString names no server")]
    [InlineData("Host=db;Port=not-a-number;Password=pw-hidden-value", "Storage:ConnectionString is not a valid PostgreSQL connection string: the value of port")]
    [InlineData("Host=db;Password=pw-hidden;pw-hidden-value=x", "Storage:ConnectionString is not a valid PostgreSQL connection string: it has an unknown keyword")]
    public void Constructor_BadConnectionString_NamesTheKeyToFix(string connectionString, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() =>
            new PostgresSatmonStore(new PostgresStoreOptions { ConnectionString = connectionString }, NullLoggerFactory.Instance));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("pw-hidden-value", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_OutOfRangeTuning_NamesEachSetting()
    {
        var options = new PostgresStoreOptions { ConnectionString = "Host=db", CommandTimeout = TimeSpan.Zero, MaxPoolSize = 0 };

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Contains("Storage:Postgres:CommandTimeout", error.Message, StringComparison.Ordinal);
        Assert.Contains("Storage:Postgres:MaxPoolSize", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MigrateAsync_Repeated_RecordsEachVersionOnceAndKeepsData()
    {
        await using (var store = await _db.OpenAsync())
        {
            await store.Elements.TryCreateAsync(Element("a"), Ct);
            await store.MigrateAsync(Ct);
        }

        var tables = await _db.ScalarAsync("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'");
        await using (var again = await _db.OpenAsync())
        {
            await again.MigrateAsync(Ct);
            Assert.Equal(["a"], (await again.Elements.ListAsync(Ct)).Select(e => e.Id));
        }

        Assert.Equal(tables, await _db.ScalarAsync("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"));
        Assert.Equal((long)Satmon.Storage.Postgres.Migrations.LatestVersion, await _db.ScalarAsync("SELECT count(*) FROM schema_version"));
        Assert.Equal((long)Satmon.Storage.Postgres.Migrations.LatestVersion, await _db.ScalarAsync("SELECT count(DISTINCT version) FROM schema_version"));
    }

    [Fact]
    public async Task MigrateAsync_SeveralNodesOnAFreshDatabaseAtOnce_AllSucceedAndEachVersionIsAppliedOnce()
    {
        var stores = new List<PostgresSatmonStore>();
        for (var i = 0; i < 4; i++)
        {
            stores.Add(await _db.NewStoreAsync());
        }

        try
        {
            await Task.WhenAll(stores.Select(s => Task.Run(() => s.MigrateAsync(Ct), Ct)));

            Assert.Equal((long)Satmon.Storage.Postgres.Migrations.LatestVersion, await _db.ScalarAsync("SELECT count(*) FROM schema_version"));
            foreach (var store in stores)
            {
                await store.CheckHealthAsync(Ct);
            }

            Assert.True(await stores[0].Elements.TryCreateAsync(Element("a"), Ct));
            Assert.NotNull(await stores[3].Elements.GetAsync("a", Ct));
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task MigrateAsync_DatabaseNewerThanCode_FailsWithAClearMessage()
    {
        await (await _db.OpenAsync()).DisposeAsync();
        await _db.ScalarAsync("INSERT INTO schema_version (version, name, applied_at) VALUES (9999, 'from the future', 0)");

        await using var store = await _db.NewStoreAsync();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => store.MigrateAsync(Ct));

        Assert.Contains("9999", error.Message, StringComparison.Ordinal);
        Assert.Contains("newer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeleteAsync_Element_DropsItsPhysicalTablesOnly()
    {
        await using var store = await _db.OpenAsync();
        var table = new TableDefinition("terminals", "Terminals", "IMEI", [new ColumnDefinition("latency", ColumnType.Number)]);
        await store.Elements.TryCreateAsync(Element("e1"), Ct);
        await store.Tables.EnsureTableAsync("e1", table, Ct);
        await store.Tables.EnsureTableAsync("e2", table, Ct);
        const string CountTables = "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'";
        var before = (long)(await _db.ScalarAsync(CountTables))!;

        await store.Elements.DeleteAsync("e1", Ct);

        Assert.Equal(before - 1, await _db.ScalarAsync(CountTables));
        Assert.Equal(1L, await _db.ScalarAsync("SELECT count(*) FROM data_tables"));
    }

    [Fact]
    public async Task EnsureTableAsync_ColumnChangesType_StoresTheNewTypeFromThenOn()
    {
        await using var store = await _db.OpenAsync();
        var numeric = new TableDefinition("terminals", "Terminals", "IMEI", [new ColumnDefinition("beam", ColumnType.Number), new ColumnDefinition("name", ColumnType.String)]);
        await store.Tables.EnsureTableAsync("e1", numeric, Ct);
        await store.Tables.UpsertAsync("e1", "terminals", [new TableRow("k1", new Dictionary<string, object?> { ["beam"] = 4.0, ["name"] = "A" })], Ct);

        var textual = numeric with { Columns = [new ColumnDefinition("beam", ColumnType.String), new ColumnDefinition("name", ColumnType.Enum)] };
        await store.Tables.EnsureTableAsync("e1", textual, Ct);
        await store.Tables.UpsertAsync("e1", "terminals", [new TableRow("k2", new Dictionary<string, object?> { ["beam"] = "B-7", ["name"] = "B" })], Ct);

        // A number cannot be read as text: the old values are gone. String to enum keeps them (both are text).
        var k1 = (await store.Tables.GetAsync("e1", "terminals", "k1", Ct))!.Values;
        Assert.Equal((null, "A"), (k1["beam"], k1["name"]));
        var page = await store.Tables.QueryAsync("e1", "terminals", new TableQuery([new FilterClause("beam", FilterOperator.Contains, "b-")], null, false, 0, 10), Ct);
        Assert.Equal(["k2"], page.Rows.Select(r => r.Key));
    }

    [Fact]
    public async Task QueryAsync_TotalKeptPerTableVersion_EveryWriteOnAnyNodeCountsAgain()
    {
        await using var a = await _db.OpenAsync();
        await using var b = await _db.OpenAsync();
        var table = new TableDefinition("terminals", "Terminals", "IMEI", [new ColumnDefinition("latency", ColumnType.Number)]);
        await a.Tables.EnsureTableAsync("e1", table, Ct);
        TableRow Row(string key, double latency) => new(key, new Dictionary<string, object?> { ["latency"] = latency });
        var slow = new TableQuery([new FilterClause("latency", FilterOperator.Gt, 600.0)], "latency", false, 0, 10);
        async Task<long> TotalAsync() => (await a.Tables.QueryAsync("e1", "terminals", slow, Ct)).Total;

        await a.Tables.UpsertAsync("e1", "terminals", [Row("k1", 500), Row("k2", 700), Row("k3", 800)], Ct);
        Assert.Equal(2, await TotalAsync());

        await b.Tables.UpsertAsync("e1", "terminals", [Row("k4", 900)], Ct);
        Assert.Equal(3, await TotalAsync());
        await b.Tables.DeleteAsync("e1", "terminals", ["k2"], Ct);
        Assert.Equal(2, await TotalAsync());
        await b.Tables.ReplaceAsync("e1", "terminals", [Row("k5", 650)], Ct);
        Assert.Equal(1, await TotalAsync());
        Assert.Equal(1, (await a.Tables.QueryAsync("e1", "terminals", slow with { Filters = [] }, Ct)).Total);

        // The count is kept, not taken again: a row written behind the store's back (no new version) is not seen
        // in the total until the next write through it.
        var physical = (string)(await _db.ScalarAsync("SELECT physical_name FROM data_tables"))!;
        await _db.ScalarAsync($"INSERT INTO \"{physical}\" (row_key) VALUES ('sneaked')");
        Assert.Equal(1, await TotalAsync());
        await a.Tables.UpsertAsync("e1", "terminals", [Row("k6", 100)], Ct);
        Assert.Equal(1, await TotalAsync());
        Assert.Equal(3, (await a.Tables.QueryAsync("e1", "terminals", slow with { Filters = [] }, Ct)).Total);
    }

    [Fact]
    public async Task QueryAsync_PageReadFromTheFarEndAfterAWriteOnAnotherNode_IsThePageAtTheNewCounts()
    {
        await using var a = await _db.OpenAsync();
        await using var b = await _db.OpenAsync();
        var table = new TableDefinition("terminals", "Terminals", "IMEI", [new ColumnDefinition("latency", ColumnType.Number)]);
        await a.Tables.EnsureTableAsync("e1", table, Ct);
        TableRow Row(string key, double? latency) => new(key, new Dictionary<string, object?> { ["latency"] = latency });
        await a.Tables.UpsertAsync("e1", "terminals", [.. Enumerable.Range(0, 20).Select(i => Row($"k{i:00}", i % 5 == 0 ? null : i * 10.0))], Ct);
        // The last rows with a value (read backwards from their count, which a's first query keeps) and the first
        // without one.
        var deep = new TableQuery([new FilterClause("latency", FilterOperator.Ne, 70.0)], "latency", true, 12, 4);
        async Task<List<string>> PageAsync(TableQuery query) => [.. (await a.Tables.QueryAsync("e1", "terminals", query, Ct)).Rows.Select(r => r.Key)];
        Assert.Equal(["k03", "k02", "k01", "k15"], await PageAsync(deep));

        // Rows with a value before the page and rows without one: the kept counts no longer place it.
        await b.Tables.UpsertAsync("e1", "terminals", [Row("m1", 55.0), Row("m2", 5.0), Row("m3", null)], Ct);
        var all = await PageAsync(deep with { Offset = 0, Limit = 100 });
        Assert.Equal(["k06", "m1", "k04", "k03", "k02", "k01", "m2", "m3", "k15"], all[10..19]);
        Assert.Equal(all[12..16], await PageAsync(deep));
        Assert.Equal(all[15..19], await PageAsync(deep with { Offset = 15 }));
    }

    [Fact]
    public async Task ColumnIndex_ServesTheSortInBothDirections_RowsWithAndWithoutAValueApart()
    {
        await using var store = await _db.OpenAsync();
        var table = new TableDefinition("terminals", "Terminals", "IMEI", [new ColumnDefinition("latency", ColumnType.Number)]);
        await store.Tables.EnsureTableAsync("e1", table, Ct);
        var physical = (string)(await _db.ScalarAsync("SELECT physical_name FROM data_tables"))!;
        var column = new StoredColumn("latency", ColumnType.Number,
            (string)(await _db.ScalarAsync($"SELECT column_name FROM information_schema.columns WHERE table_name = '{physical}' AND column_name <> 'row_key'"))!, Active: true);

        await using var connection = new NpgsqlConnection(_db.ConnectionString);
        await connection.OpenAsync(Ct);
        // With scans and sorts priced out, a plan without a Sort node exists only if the index yields the order.
        await using (var settings = new NpgsqlCommand("SET enable_seqscan = off; SET enable_bitmapscan = off; SET enable_sort = off", connection))
        {
            await settings.ExecuteNonQueryAsync(Ct);
        }

        foreach (var descending in new[] { false, true })
        {
            foreach (var segment in new[] { "IS NOT NULL", "IS NULL" })
            {
                var sql = $"EXPLAIN SELECT * FROM \"{physical}\" WHERE \"{column.Physical}\" {segment}{TableSql.OrderBy(column, descending)} LIMIT 100 OFFSET 10";
                await using var explain = new NpgsqlCommand(sql, connection);
                var plan = new List<string>();
                await using (var reader = await explain.ExecuteReaderAsync(Ct))
                {
                    while (await reader.ReadAsync(Ct))
                    {
                        plan.Add(reader.GetString(0));
                    }
                }

                var text = string.Join("\n", plan);
                Assert.Contains(" using x", text, StringComparison.Ordinal);
                Assert.Equal(descending, text.Contains(" Backward ", StringComparison.Ordinal));
                Assert.DoesNotContain("Sort", text, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task ReplaceAsync_ServerRejectsARow_LeavesTheTableAsItWas()
    {
        await using var store = await _db.OpenAsync();
        var table = new TableDefinition("terminals", "Terminals", "IMEI", [new ColumnDefinition("name", ColumnType.String), new ColumnDefinition("latency", ColumnType.Number)]);
        await store.Tables.EnsureTableAsync("e1", table, Ct);
        await store.Tables.UpsertAsync("e1", "terminals", [new TableRow("k1", new Dictionary<string, object?> { ["name"] = "kept" })], Ct);

        // PostgreSQL text cannot hold NUL, so the server refuses the second group after the delete and the first
        // group have run: the batch must roll back as a whole.
        await Assert.ThrowsAsync<PostgresException>(() => store.Tables.ReplaceAsync("e1", "terminals",
        [
            new TableRow("k2", new Dictionary<string, object?> { ["latency"] = 1.0 }),
            new TableRow("k3", new Dictionary<string, object?> { ["name"] = "bad\0name" }),
        ], Ct));

        Assert.Equal(["k1"], await store.Tables.ReadAllAsync("e1", "terminals", Ct).Select(r => r.Key).ToListAsync(Ct));
    }

    [Fact]
    public async Task Logs_WholeLifecycleAtTraceLevel_NeverContainThePassword()
    {
        // A role of its own, so that the password is a string found nowhere else (the test server's may equal the user name).
        var role = "satmon_r_" + Guid.NewGuid().ToString("N")[..12];
        var password = "pw-" + Guid.NewGuid().ToString("N");
        await _db.CreateAsync();
        try
        {
            await PostgresTestDatabase.AdminExecuteAsync(PostgresTestDatabase.Admin, $"CREATE ROLE {role} LOGIN PASSWORD '{password}'");
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            Assert.Skip("The SATMON_TEST_POSTGRES role may not create roles; this test needs CREATEROLE.");
        }

        try
        {
            await PostgresTestDatabase.AdminExecuteAsync(PostgresTestDatabase.Admin, $"ALTER DATABASE {_db.Name} OWNER TO {role}");
            var logs = new CapturingLoggerProvider();
            using (var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace)))
            {
                var connectionString = new NpgsqlConnectionStringBuilder(_db.ConnectionString) { Username = role, Password = password }.ConnectionString;
                await using var store = new PostgresSatmonStore(new PostgresStoreOptions { ConnectionString = connectionString }, loggerFactory);
                await store.MigrateAsync(Ct);
                await store.Elements.TryCreateAsync(Element("e1"), Ct);
                await store.Tables.EnsureTableAsync("e1", new TableDefinition("t", "T", "id", [new ColumnDefinition("n", ColumnType.Number)]), Ct);
                await store.Tables.UpsertAsync("e1", "t", [new TableRow("k", new Dictionary<string, object?> { ["n"] = 1.0 })], Ct);
                await store.Tables.QueryAsync("e1", "t", TableQuery.Default, Ct);
                await store.Elements.DeleteAsync("e1", Ct);
            }

            Assert.Contains(logs.Lines, line => line.Contains("schema migration", StringComparison.Ordinal));
            Assert.DoesNotContain(logs.Lines, line => line.Contains(password, StringComparison.Ordinal));
        }
        finally
        {
            await _db.DisposeAsync();
            await PostgresTestDatabase.AdminExecuteAsync(PostgresTestDatabase.Admin, $"DROP ROLE IF EXISTS {role}");
        }
    }

    private static ElementRecord Element(string id) =>
        new(id, "Element " + id, "oneweb", new Dictionary<string, string?>(), true, ElementState.Starting, null, T0);

    public async ValueTask DisposeAsync() => await _db.DisposeAsync();

    /// <summary>Every log line and exception text, to check that no secret reaches a log.</summary>
    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        private readonly ConcurrentQueue<string> _lines = new();

        public IReadOnlyCollection<string> Lines => _lines;

        public ILogger CreateLogger(string categoryName) => new Logger(_lines);

        public void Dispose()
        {
        }

        private sealed class Logger(ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue(formatter(state, exception) + " " + exception);
        }
    }
}
