using Satmon.Core.History;

namespace Satmon.Storage.Tests.Contracts;

/// <summary>History: first-wins dedup, half-open ranges, exact rollups under disorder, retention per resolution.</summary>
public abstract class HistoryStoreContract : StoreContract
{
    private const string El = "e1";
    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);

    private static HistoryPoint P(string key, DateTimeOffset time, double value, string column = "latency") =>
        new("terminals", key, column, time, value);

    private Task<HistorySeries> QueryAsync(string key, DateTimeOffset from, DateTimeOffset to, Resolution resolution, string element = El, string column = "latency") =>
        Store.History.QueryAsync(element, new HistoryQuery("terminals", key, column, from, to, resolution), Ct);

    [Fact]
    public async Task WriteAsync_RepeatedPoints_StoredOnceFirstValueWins()
    {
        Assert.Equal(3, await Store.History.WriteAsync(El, [P("t1", T0, 1), P("t1", T0.AddMinutes(1), 2), P("t1", T0.AddMinutes(2), 3)], Ct));

        // Same times with other values, one new point, and a duplicate inside the batch itself.
        Assert.Equal(1, await Store.History.WriteAsync(El,
            [P("t1", T0.AddMinutes(1), 20), P("t1", T0.AddMinutes(3), 4), P("t1", T0.AddMinutes(3), 40), P("t1", T0, 10)], Ct));

        var raw = await QueryAsync("t1", T0, T0.AddHours(1), Resolution.Raw);
        Assert.Equal([1.0, 2.0, 3.0, 4.0], raw.Raw.Select(s => s.Value));
        var bucket = Assert.Single((await QueryAsync("t1", T0, T0.AddHours(1), Resolution.FiveMinutes)).Rollups);
        Assert.Equal(new RollupSample(T0, 1, 2.5, 4, 4), bucket);
    }

    [Fact]
    public async Task QueryAsync_Range_IsHalfOpenAndOldestFirst()
    {
        await Store.History.WriteAsync(El, [P("t1", T0.AddMinutes(10), 3), P("t1", T0, 1), P("t1", T0.AddMinutes(5), 2), P("t1", T0.AddMinutes(15), 4)], Ct);

        var raw = await QueryAsync("t1", T0.AddMinutes(5), T0.AddMinutes(15), Resolution.Raw);
        Assert.Equal([new HistorySample(T0.AddMinutes(5), 2), new HistorySample(T0.AddMinutes(10), 3)], raw.Raw);
        Assert.Equal(Resolution.Raw, raw.Resolution);

        // Buckets whose start lies in [From, To).
        var buckets = await QueryAsync("t1", T0.AddMinutes(5), T0.AddMinutes(15), Resolution.FiveMinutes);
        Assert.Equal([T0.AddMinutes(5), T0.AddMinutes(10)], buckets.Rollups.Select(b => b.Time));
        Assert.Equal(Resolution.FiveMinutes, buckets.Resolution);
    }

    [Fact]
    public async Task QueryAsync_UnknownSeriesOrOtherElement_IsEmpty()
    {
        await Store.History.WriteAsync(El, [P("t1", T0, 1)], Ct);

        Assert.Empty((await QueryAsync("t2", T0, T0.AddDays(1), Resolution.Raw)).Raw);
        Assert.Empty((await QueryAsync("t1", T0, T0.AddDays(1), Resolution.Raw, element: "e2")).Raw);
        Assert.Empty((await QueryAsync("t1", T0, T0.AddDays(1), Resolution.OneDay, column: "other")).Rollups);
    }

    [Fact]
    public async Task WriteAsync_NonFiniteValues_AreSkipped()
    {
        Assert.Equal(1, await Store.History.WriteAsync(El,
            [P("t1", T0, double.NaN), P("t1", T0.AddMinutes(1), double.PositiveInfinity), P("t1", T0.AddMinutes(2), 5)], Ct));

        Assert.Equal([5.0], (await QueryAsync("t1", T0, T0.AddHours(1), Resolution.Raw)).Raw.Select(s => s.Value));
    }

    [Fact]
    public async Task Rollups_RandomLateAndDuplicatePoints_MatchBruteForceExactly()
    {
        var random = new Random(20261102);
        var series = new[] { (El, "t1", "latency"), (El, "t1", "throughput"), (El, "t2", "latency"), ("e2", "t1", "latency") };
        // 5 000 points over three days; some share a (series, time) with an earlier point and must lose to it.
        var points = new List<(string Element, HistoryPoint Point)>();
        for (var i = 0; i < 5_000; i++)
        {
            if (points.Count > 0 && random.NextDouble() < 0.1)
            {
                var (element, earlier) = points[random.Next(points.Count)];
                points.Add((element, earlier with { Value = Math.Round(random.NextDouble() * 1000, 3) }));
                continue;
            }

            var (el, key, column) = series[random.Next(series.Length)];
            var time = T0.AddMilliseconds(random.NextInt64((long)TimeSpan.FromDays(3).TotalMilliseconds));
            points.Add((el, new HistoryPoint("terminals", key, column, time, Math.Round(random.NextDouble() * 1000 - 200, 3))));
        }

        // Deliver the first 60 % in time order, then the rest shuffled: late points land in buckets that are
        // already rolled up, and duplicates arrive in other batches than their originals.
        var inOrder = points.Take(3_000).Select((p, i) => (p, i)).OrderBy(x => x.p.Point.Time).ToList();
        var late = points.Skip(3_000).Select((p, i) => (p, i: i + 3_000)).OrderBy(_ => random.Next()).ToList();
        var arrival = inOrder.Concat(late).ToList();
        var written = 0;
        for (var offset = 0; offset < arrival.Count;)
        {
            var size = random.Next(1, 400);
            foreach (var batch in arrival.Skip(offset).Take(size).GroupBy(x => x.p.Element))
            {
                written += await Store.History.WriteAsync(batch.Key, batch.Select(x => x.p.Point).ToList(), Ct);
            }

            offset += size;
        }

        // Brute force: the first point to arrive for each (series, time) is the one kept.
        var distinct = arrival
            .GroupBy(x => (x.p.Element, x.p.Point.Key, x.p.Point.Column, x.p.Point.Time))
            .Select(g => g.First().p)
            .ToList();
        Assert.Equal(distinct.Count, written);
        Assert.True(distinct.Count < points.Count, "the data set must contain duplicates");

        foreach (var (element, key, column) in series)
        {
            var mine = distinct.Where(p => p.Element == element && p.Point.Key == key && p.Point.Column == column).Select(p => p.Point).ToList();
            var raw = await QueryAsync(key, T0.AddDays(-1), T0.AddDays(4), Resolution.Raw, element, column);
            Assert.Equal(mine.OrderBy(p => p.Time).Select(p => new HistorySample(p.Time, p.Value)), raw.Raw);

            foreach (var resolution in Resolutions.Rollups)
            {
                var expected = mine
                    .GroupBy(p => Resolutions.BucketStart(resolution, p.Time.ToUnixTimeMilliseconds()))
                    .OrderBy(g => g.Key)
                    .Select(g => (Time: DateTimeOffset.FromUnixTimeMilliseconds(g.Key), Min: g.Min(p => p.Value), Avg: g.Average(p => p.Value), Max: g.Max(p => p.Value), Count: (long)g.Count()))
                    .ToList();
                var actual = (await QueryAsync(key, T0.AddDays(-1), T0.AddDays(4), resolution, element, column)).Rollups;
                Assert.Equal(expected.Count, actual.Count);
                for (var i = 0; i < expected.Count; i++)
                {
                    var (e, a) = (expected[i], actual[i]);
                    Assert.Equal((e.Time, e.Min, e.Max, e.Count), (a.Time, a.Min, a.Max, a.Count));
                    // Sums are added in another order than LINQ adds them: equal up to rounding.
                    Assert.Equal(e.Avg, a.Avg, 1e-9);
                }
            }
        }
    }

    [Fact]
    public async Task Rollups_AfterRestart_KeepFoldingOnlyNewPoints()
    {
        await Store.History.WriteAsync(El, [P("t1", T0, 10), P("t1", T0.AddMinutes(30), 20)], Ct);
        await ReopenAsync();

        Assert.Equal(1, await Store.History.WriteAsync(El, [P("t1", T0, 99), P("t1", T0.AddMinutes(59), 30)], Ct));

        var hour = Assert.Single((await QueryAsync("t1", T0, T0.AddHours(1), Resolution.OneHour)).Rollups);
        Assert.Equal(new RollupSample(T0, 10, 20, 30, 3), hour);
    }

    [Fact]
    public async Task ApplyRetentionAsync_PerResolution_DeletesOnlyWhatIsOlderThanItsRetention()
    {
        var now = T0.AddDays(30);
        await Store.History.WriteAsync(El, [P("t1", now.AddDays(-10), 1), P("t1", now.AddDays(-8), 2), P("t1", now.AddDays(-1), 3)], Ct);
        await Store.History.WriteAsync("e2", [P("t1", now.AddDays(-10), 1)], Ct);
        var retention = new RetentionOptions { RawDays = 7, FiveMinuteDays = 9, OneHourDays = 365, OneDayDays = 1825 };

        var deleted = await Store.History.ApplyRetentionAsync(retention, now, Ct);

        // Raw: 3 points older than 7 days (two of e1, one of e2); 5 min: 2 buckets older than 9 days.
        Assert.Equal(5, deleted);
        var from = now.AddDays(-20);
        Assert.Equal([3.0], (await QueryAsync("t1", from, now, Resolution.Raw)).Raw.Select(s => s.Value));
        Assert.Equal([2.0, 3.0], (await QueryAsync("t1", from, now, Resolution.FiveMinutes)).Rollups.Select(b => b.Avg));
        Assert.Equal([1.0, 2.0, 3.0], (await QueryAsync("t1", from, now, Resolution.OneHour)).Rollups.Select(b => b.Avg));
        Assert.Equal([1.0, 2.0, 3.0], (await QueryAsync("t1", from, now, Resolution.OneDay)).Rollups.Select(b => b.Avg));
        Assert.Single((await QueryAsync("t1", from, now, Resolution.OneDay, element: "e2")).Rollups);

        Assert.Equal(0, await Store.History.ApplyRetentionAsync(retention, now, Ct));
    }

    [Fact]
    public async Task WriteAsync_PointsOlderThanRawRetention_AreIgnoredSoRollupsStayExact()
    {
        var now = T0.AddDays(30);
        await Store.History.WriteAsync(El, [P("t1", now.AddDays(-10), 1), P("t1", now.AddDays(-1), 2)], Ct);
        await Store.History.ApplyRetentionAsync(new RetentionOptions { RawDays = 7 }, now, Ct);

        // The -10 d point is gone from raw but still counted in its rollups: a re-delivery must not count it again.
        Assert.Equal(1, await Store.History.WriteAsync(El,
            [P("t1", now.AddDays(-10), 5), P("t1", now.AddDays(-1), 6), P("t1", now.AddDays(-2), 7)], Ct));

        var from = now.AddDays(-20);
        Assert.Equal([7.0, 2.0], (await QueryAsync("t1", from, now, Resolution.Raw)).Raw.Select(s => s.Value));
        Assert.Equal(new RollupSample(now.AddDays(-10), 1, 1, 1, 1), (await QueryAsync("t1", from, now, Resolution.OneHour)).Rollups[0]);

        // The horizon survives a restart.
        await ReopenAsync();
        Assert.Equal(0, await Store.History.WriteAsync(El, [P("t1", now.AddDays(-9), 5)], Ct));
    }
}
