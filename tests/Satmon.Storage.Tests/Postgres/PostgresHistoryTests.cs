using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Satmon.Core.History;
using Satmon.Core.Objects;
using Satmon.Storage.Postgres;
using Satmon.Storage.Postgres.History;
using Satmon.Storage.Postgres.Objects;

namespace Satmon.Storage.Tests.Postgres;

// PostgreSQL-only behaviour of the history and object stores: several nodes (data sources) writing one database at
// once, the retention watermark shared through the database, element deletion, and jsonb's own rendering of
// numbers and text. The behaviour both providers share is the contract suite's.

/// <summary>
/// A fresh, migrated database per test, opened as several independent "nodes": each its own data source,
/// connection pool and history cache, as separate processes would have.
/// </summary>
internal sealed class HistoryNodes : IAsyncDisposable
{
    private readonly PostgresTestDatabase _db = new();
    private readonly List<NpgsqlDataSource> _sources = [];

    /// <summary>Creates and migrates the database, or skips the test with the reason when no PostgreSQL is configured.</summary>
    public static async Task<HistoryNodes> CreateAsync()
    {
        var nodes = new HistoryNodes();
        try
        {
            // The store migrates the schema; the tests then use the history and object classes directly.
            await (await nodes._db.OpenAsync()).DisposeAsync();
            return nodes;
        }
        catch
        {
            await nodes.DisposeAsync();
            throw;
        }
    }

    /// <summary>A new data source on the database: one "node".</summary>
    public NpgsqlDataSource Node()
    {
        var source = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(_db.ConnectionString) { MaxPoolSize = 8 }.ConnectionString);
        _sources.Add(source);
        return source;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var source in _sources)
        {
            await source.DisposeAsync();
        }

        await _db.DisposeAsync();
    }
}

/// <summary>A test class over <see cref="HistoryNodes"/>: a fresh database per test, nodes on it, and point helpers.</summary>
public abstract class HistoryNodesTest : IAsyncLifetime
{
    protected static readonly DateTimeOffset T0 = new(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);

    internal HistoryNodes Nodes { get; private set; } = null!;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => Nodes = await HistoryNodes.CreateAsync();

    public async ValueTask DisposeAsync()
    {
        if (Nodes is not null)
        {
            await Nodes.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    internal PostgresHistoryStore Node() => new(Nodes.Node(), NullLogger.Instance);

    protected static HistoryPoint P(string key, DateTimeOffset time, double value) => new("terminals", key, "latency", time, value);

    internal static Task<HistorySeries> QueryAsync(PostgresHistoryStore store, string key, Resolution resolution) =>
        store.QueryAsync("e1", new HistoryQuery("terminals", key, "latency", T0.AddDays(-1), T0.AddDays(2), resolution), Ct);
}

public sealed class PostgresHistoryTests : HistoryNodesTest
{
    [Fact]
    public async Task WriteAsync_TwoNodesWriteOverlappingPointsAtOnce_EachPointStoredAndFoldedOnce()
    {
        var a = Node();
        var b = Node();
        // Ten series, a day of minutes; each node gets all points, in its own order and batch sizes, so most
        // points reach the database twice at nearly the same time.
        var points = Enumerable.Range(0, 1_440)
            .SelectMany(m => Enumerable.Range(0, 10).Select(s => P($"t{s}", T0.AddMinutes(m), (m * 7 + s) % 101)))
            .ToList();
        var shuffled = points.OrderBy(_ => Random.Shared.Next()).ToList();

        var written = await Task.WhenAll(
            WriteInBatchesAsync(a, points, 700),
            WriteInBatchesAsync(b, shuffled, 1_100));

        Assert.Equal(points.Count, written.Sum());
        foreach (var key in new[] { "t0", "t9" })
        {
            var mine = points.Where(p => p.Key == key).ToList();
            Assert.Equal(mine.Count, (await QueryAsync(a, key, Resolution.Raw)).Raw.Count);
            var day = Assert.Single((await QueryAsync(b, key, Resolution.OneDay)).Rollups);
            Assert.Equal((T0, mine.Min(p => p.Value), mine.Max(p => p.Value), (long)mine.Count), (day.Time, day.Min, day.Max, day.Count));
            Assert.Equal(mine.Average(p => p.Value), day.Avg, 1e-9);
            var hours = (await QueryAsync(a, key, Resolution.OneHour)).Rollups;
            Assert.Equal(24, hours.Count);
            Assert.All(hours, h => Assert.Equal(60, h.Count));
        }
    }

    private static async Task<int> WriteInBatchesAsync(PostgresHistoryStore store, List<HistoryPoint> points, int size)
    {
        var written = 0;
        foreach (var chunk in points.Chunk(size))
        {
            written += await store.WriteAsync("e1", chunk, Ct);
        }

        return written;
    }

    [Fact]
    public async Task WriteAsync_AnotherNodeWroteTheElementMeanwhile_CacheDroppedAndEachPointStoredOnce()
    {
        var a = Node();
        var b = Node();
        await a.WriteAsync("e1", [P("t1", T0, 1)], Ct);
        // A takeover: b writes the element without a being told; a's cached latest time (T0) is stale.
        Assert.Equal(1, await b.WriteAsync("e1", [P("t1", T0.AddMinutes(1), 7)], Ct));

        Assert.Equal(1, await a.WriteAsync("e1", [P("t1", T0.AddMinutes(1), 2), P("t1", T0.AddMinutes(2), 3)], Ct));

        Assert.Equal([1.0, 7.0, 3.0], (await QueryAsync(a, "t1", Resolution.Raw)).Raw.Select(s => s.Value));
        var bucket = Assert.Single((await QueryAsync(b, "t1", Resolution.FiveMinutes)).Rollups);
        Assert.Equal((T0, 1.0, 7.0, 3L), (bucket.Time, bucket.Min, bucket.Max, bucket.Count));
        Assert.Equal(11.0 / 3, bucket.Avg, 1e-9);
    }

    [Fact]
    public async Task WriteAsync_AnotherWriterHoldsTheElementLock_WaitsThenStoresOnce()
    {
        var store = Node();
        await store.WriteAsync("e1", [P("t1", T0, 1)], Ct);
        var other = Nodes.Node();
        await using var connection = await other.OpenConnectionAsync(Ct);
        await using var transaction = await connection.BeginTransactionAsync(Ct);
        await ElementLock.AcquireAsync(connection, transaction, "e1", Ct);

        var write = store.WriteAsync("e1", [P("t1", T0.AddMinutes(1), 2), P("t1", T0, 9)], Ct);
        await WaitForLockWaitAsync(other);
        Assert.False(write.IsCompleted);
        await transaction.CommitAsync(Ct);

        Assert.Equal(1, await write);
        Assert.Equal([1.0, 2.0], (await QueryAsync(store, "t1", Resolution.Raw)).Raw.Select(s => s.Value));
    }

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var command = Nodes.Node().CreateCommand(sql);
        return await command.ExecuteScalarAsync(Ct);
    }

    /// <summary>Waits (bounded) until a session of this database waits for a lock.</summary>
    private static async Task WaitForLockWaitAsync(NpgsqlDataSource source)
    {
        await using var waiting = source.CreateCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'");
        for (var i = 0; i < 400; i++)
        {
            if ((long)(await waiting.ExecuteScalarAsync(Ct))! > 0)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(25), TimeProvider.System, Ct);
        }

        Assert.Fail("The write never waited for the other transaction's row.");
    }

    [Fact]
    public async Task QueryAsync_SeriesCreatedByAnotherNodeAfterAMiss_IsFound()
    {
        var a = Node();
        var b = Node();
        Assert.Empty((await QueryAsync(a, "t1", Resolution.Raw)).Raw);

        await b.WriteAsync("e1", [P("t1", T0, 1)], Ct);
        Assert.Equal(1, await a.WriteAsync("e1", [P("t1", T0.AddMinutes(1), 2), P("t1", T0, 9)], Ct));

        Assert.Equal([1.0, 2.0], (await QueryAsync(a, "t1", Resolution.Raw)).Raw.Select(s => s.Value));
        Assert.Equal(1L, await ScalarAsync("SELECT count(*) FROM history_rows"));
    }

    [Fact]
    public async Task WriteAsync_RetentionAppliedByAnotherNode_OlderPointsIgnored()
    {
        var a = Node();
        var b = Node();
        var now = T0.AddDays(30);
        await a.WriteAsync("e1", [P("t1", now.AddDays(-10), 1)], Ct);

        Assert.Equal(1, await b.ApplyRetentionAsync(new RetentionOptions { RawDays = 7 }, now, Ct));

        // Node a never saw the retention run; the watermark in the database still stops the re-delivery.
        Assert.Equal(0, await a.WriteAsync("e1", [P("t1", now.AddDays(-10), 5), P("t1", now.AddDays(-8), 5)], Ct));
        var day = Assert.Single((await a.QueryAsync("e1", new HistoryQuery("terminals", "t1", "latency", now.AddDays(-20), now, Resolution.OneDay), Ct)).Rollups);
        Assert.Equal(1, day.Count);
    }

    [Fact]
    public async Task WriteAsync_PointsBefore1970_LandInFlooredBuckets()
    {
        var store = Node();
        var before = DateTimeOffset.FromUnixTimeMilliseconds(-1);

        Assert.Equal(2, await store.WriteAsync("e1", [P("t1", before, 4), P("t1", before.AddMinutes(-5), 2)], Ct));

        var buckets = (await store.QueryAsync("e1", new HistoryQuery("terminals", "t1", "latency", before.AddHours(-1), before.AddHours(1), Resolution.FiveMinutes), Ct)).Rollups;
        Assert.Equal([DateTimeOffset.FromUnixTimeMilliseconds(-600_000), DateTimeOffset.FromUnixTimeMilliseconds(-300_000)], buckets.Select(b => b.Time));
        var day = Assert.Single((await store.QueryAsync("e1", new HistoryQuery("terminals", "t1", "latency", before.AddDays(-2), before.AddDays(1), Resolution.OneDay), Ct)).Rollups);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(-86_400_000), day.Time);
    }

    [Fact]
    public async Task DeleteElementAsync_OneElement_RemovesItsHistoryAndObjectsOnly()
    {
        var source = Nodes.Node();
        var history = new PostgresHistoryStore(source, NullLogger.Instance);
        var objects = new PostgresObjectStore(source);
        foreach (var element in new[] { "e1", "e2" })
        {
            await history.WriteAsync(element, [P("t1", T0, 1)], Ct);
            await objects.UpsertAsync(element, "services", [new ObjectRecord("s1", new Dictionary<string, object?> { ["name"] = "x" })], T0, Ct);
        }

        await using (var connection = await source.OpenConnectionAsync(Ct))
        await using (var transaction = await connection.BeginTransactionAsync(Ct))
        {
            await PostgresHistoryStore.DeleteElementAsync(connection, transaction, "e1", Ct);
            await PostgresObjectStore.DeleteElementAsync(connection, transaction, "e1", Ct);
            await transaction.CommitAsync(Ct);
        }

        history.ForgetElement("e1");
        Assert.Empty((await QueryAsync(history, "t1", Resolution.OneDay)).Rollups);
        Assert.Null(await objects.GetAsync("e1", "services", "s1", Ct));
        Assert.Empty(await objects.GetChangesAsync("e1", "services", "s1", 10, Ct));
        var other = await history.QueryAsync("e2", new HistoryQuery("terminals", "t1", "latency", T0, T0.AddDays(1), Resolution.OneDay), Ct);
        Assert.Single(other.Rollups);
        Assert.NotNull(await objects.GetAsync("e2", "services", "s1", Ct));

        // The element comes back with the same id: new series, counted from zero.
        Assert.Equal(1, await history.WriteAsync("e1", [P("t1", T0, 3)], Ct));
        Assert.Equal(1, Assert.Single((await QueryAsync(history, "t1", Resolution.OneDay)).Rollups).Count);
    }
}

public sealed class PostgresObjectTests : HistoryNodesTest
{
    private static readonly DateTimeOffset At = T0.AddHours(8);

    private static ObjectRecord Obj(string id, object? value) => new(id, new Dictionary<string, object?> { ["value"] = value });

    [Fact]
    public async Task UpsertAsync_TwoNodesWriteTheSameObjectsAtOnce_EachCreatedOnceAndLoggedConsistently()
    {
        var a = new PostgresObjectStore(Nodes.Node());
        var b = new PostgresObjectStore(Nodes.Node());
        var first = Enumerable.Range(0, 500).Select(i => Obj($"o{i:000}", i)).ToList();
        var second = Enumerable.Range(0, 500).Select(i => Obj($"o{i:000}", i % 2 == 0 ? i : -i)).Reverse().ToList();

        var results = await Task.WhenAll(
            Task.Run(() => a.UpsertAsync("e1", "things", first, At, Ct), Ct),
            Task.Run(() => b.UpsertAsync("e1", "things", second, At, Ct), Ct));

        // Whichever ran first created all 500; the other changed the odd ones (when second) or half of them back.
        Assert.Equal(500, results.Sum(r => r.Created));
        Assert.Equal((250, 250), (results.Sum(r => r.Updated), results.Sum(r => r.Unchanged)));
        var changes = await a.GetChangesAsync("e1", "things", "o001", 10, Ct);
        Assert.Equal([ChangeKind.Updated, ChangeKind.Created], changes.Select(c => c.Kind));
    }

    [Fact]
    public async Task UpsertAsync_NumbersJsonbRendersDifferently_AreUnchanged()
    {
        var store = new PostgresObjectStore(Nodes.Node());
        object?[] values = [1e20, 1e-7, 0.1 + 0.2, -0.0, 12.50, double.MaxValue];
        var objects = values.Select((v, i) => Obj($"n{i}", v)).ToList();
        await store.UpsertAsync("e1", "numbers", objects, At, Ct);

        Assert.Equal(new ObjectWriteResult(0, 0, values.Length), await store.UpsertAsync("e1", "numbers", objects, At.AddHours(1), Ct));

        var stored = await store.GetAsync("e1", "numbers", "n0", Ct);
        Assert.Equal(1e20, stored!.Fields["value"]);
        Assert.Equal(0.1 + 0.2, (await store.GetAsync("e1", "numbers", "n2", Ct))!.Fields["value"]);
    }

    [Fact]
    public async Task UpsertAsync_SameIdTwiceInOneBatch_SecondIsAnUpdate()
    {
        var store = new PostgresObjectStore(Nodes.Node());

        var result = await store.UpsertAsync("e1", "things", [Obj("x", 1), Obj("y", 1), Obj("x", 2)], At, Ct);

        Assert.Equal(new ObjectWriteResult(2, 1, 0), result);
        Assert.Equal(2.0, (await store.GetAsync("e1", "things", "x", Ct))!.Fields["value"]);
        Assert.Equal(new FieldChange("1", "2"), (await store.GetChangesAsync("e1", "things", "x", 1, Ct))[0].ChangedFields["value"]);
    }

    [Fact]
    public async Task UpsertAsync_TextWithNul_IsStoredNotRejected()
    {
        var store = new PostgresObjectStore(Nodes.Node());

        await store.UpsertAsync("e1", "things", [Obj("x", "a\0b")], At, Ct);

        Assert.Equal("a\uFFFDb", (await store.GetAsync("e1", "things", "x", Ct))!.Fields["value"]);
    }
}
