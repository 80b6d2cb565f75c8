using Satmon.Core.History;
using Satmon.Core.Storage;

namespace Satmon.Storage.Tests.Sqlite;

/// <summary>
/// What the SQLite history layout adds to the contract: values of a row's columns share one record per row and hour
/// and one rollup record per bucket, records of late batches overlap earlier ones, and a second process on the same
/// file (a cluster node) writes and reads the same series.
/// </summary>
public sealed class SqliteHistoryLayoutTests : IAsyncDisposable
{
    private const string El = "e1";
    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 10, 0, 0, TimeSpan.Zero);
    private readonly SqliteTestDatabase _db = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static HistoryPoint P(string column, int minute, double value, string key = "t1") => new("terminals", key, column, T0.AddMinutes(minute), value);

    private static async Task<HistorySeries> QueryAsync(ISatmonStore store, string column, Resolution resolution, string key = "t1") =>
        await store.History.QueryAsync(El, new HistoryQuery("terminals", key, column, T0.AddHours(-1), T0.AddHours(3), resolution), Ct);

    [Fact]
    public async Task WriteAsync_LateBatchReachingPastEarlierRecords_ReadsInTimeOrder()
    {
        await using var store = await _db.OpenAsync();
        await store.History.WriteAsync(El, [.. Enumerable.Range(5, 25).SelectMany(m => new[] { P("a", m, m), P("b", m, -m) })], Ct);

        // One late batch: minute 2 (before the stored record), 10 (stored: ignored) and 40 (after it), same hour.
        Assert.Equal(4, await store.History.WriteAsync(El, [P("a", 40, 40), P("a", 2, 2), P("a", 10, 99), P("b", 2, -2), P("b", 40, -40)], Ct));

        var a = (await QueryAsync(store, "a", Resolution.Raw)).Raw;
        Assert.Equal([2, .. Enumerable.Range(5, 25), 40], a.Select(s => (int)s.Value));
        Assert.Equal(a.Select(s => s.Time).Order(), a.Select(s => s.Time));
        var hour = Assert.Single((await QueryAsync(store, "b", Resolution.OneHour)).Rollups);
        Assert.Equal(new RollupSample(T0, -40, -(2 + Enumerable.Range(5, 25).Sum() + 40) / 27.0, -2, 27), hour);
    }

    [Fact]
    public async Task WriteAsync_NewColumnAtStoredTime_JoinsTheRecordAndOnlyItCounts()
    {
        await using var store = await _db.OpenAsync();
        await store.History.WriteAsync(El, [P("a", 0, 1), P("a", 1, 2)], Ct);

        // Column b at the stored record's first time: merged into that record; a's re-delivery is ignored.
        Assert.Equal(2, await store.History.WriteAsync(El, [P("b", 0, 10), P("a", 0, 5), P("b", 1, 20), P("a", 1, 6)], Ct));
        Assert.Equal(0, await store.History.WriteAsync(El, [P("a", 0, 7), P("b", 0, 7), P("a", 1, 7), P("b", 1, 7)], Ct));

        Assert.Equal([1.0, 2.0], (await QueryAsync(store, "a", Resolution.Raw)).Raw.Select(s => s.Value));
        Assert.Equal([10.0, 20.0], (await QueryAsync(store, "b", Resolution.Raw)).Raw.Select(s => s.Value));
        Assert.Equal(new RollupSample(T0, 1, 1.5, 2, 2), Assert.Single((await QueryAsync(store, "a", Resolution.FiveMinutes)).Rollups));
        Assert.Equal(new RollupSample(T0, 10, 15, 20, 2), Assert.Single((await QueryAsync(store, "b", Resolution.OneHour)).Rollups));
    }

    [Fact]
    public async Task ApplyRetentionAsync_PackedRecords_CountsEveryColumnValue()
    {
        await using var store = await _db.OpenAsync();
        var old = new[] { P("a", 0, 1), P("b", 0, 2), P("c", 0, 3), P("a", 90, 4) };
        await store.History.WriteAsync(El, old, Ct);

        // Raw: the three values at 10:00 go, 11:30 stays; 5 min: three columns' buckets at 10:00 go.
        var deleted = await store.History.ApplyRetentionAsync(
            new RetentionOptions { RawDays = 1, FiveMinuteDays = 1 }, T0.AddDays(1).AddMinutes(30), Ct);

        Assert.Equal(6, deleted);
        Assert.Equal([4.0], (await QueryAsync(store, "a", Resolution.Raw)).Raw.Select(s => s.Value));
        Assert.Empty((await QueryAsync(store, "c", Resolution.FiveMinutes)).Rollups);
        Assert.Single((await QueryAsync(store, "c", Resolution.OneHour)).Rollups);
    }

    [Fact]
    public async Task TwoProcesses_SameSeries_EachSeesTheOthersPointsAndStoresEveryPointOnce()
    {
        // Both opened before any history exists, like two cluster nodes started together: neither cache knows the row.
        await using var first = await _db.OpenAsync();
        await using var second = await _db.OpenAsync();

        Assert.Equal(11, await first.History.WriteAsync(El, [.. Enumerable.Range(0, 11).Select(m => P("a", m, m))], Ct));
        Assert.Equal(5, await second.History.WriteAsync(El, [.. Enumerable.Range(6, 10).Select(m => P("a", m, 100 + m))], Ct));
        // The first learns of the second's points on its next write, though it knows the row and its latest time.
        Assert.Equal(1, await first.History.WriteAsync(El, [P("a", 15, 0), P("a", 16, 16)], Ct));

        foreach (var store in new[] { first, second })
        {
            var raw = (await QueryAsync(store, "a", Resolution.Raw)).Raw;
            Assert.Equal([.. Enumerable.Range(0, 11), 111, 112, 113, 114, 115, 16], raw.Select(s => (int)s.Value));
            Assert.Equal(17, Assert.Single((await QueryAsync(store, "a", Resolution.OneHour)).Rollups).Count);
        }

        // A row created by the other process reads before this one ever writes it.
        await second.History.WriteAsync(El, [P("a", 0, 5, key: "t2")], Ct);
        Assert.Equal([5.0], (await QueryAsync(first, "a", Resolution.Raw, key: "t2")).Raw.Select(s => s.Value));
    }

    public async ValueTask DisposeAsync() => await _db.DisposeAsync();
}
