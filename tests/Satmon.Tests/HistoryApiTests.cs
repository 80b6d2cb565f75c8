using System.Net;
using Satmon.Tests.Support;

namespace Satmon.Tests;

public sealed class HistoryApiTests(SatmonHost host) : IClassFixture<SatmonHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task History_TwoPolls_RawPointsAndFiveMinuteRollups()
    {
        await host.CreateElementAsync("Trends", ct: Ct);
        var t0 = host.Time.GetUtcNow();
        await host.AdvanceAsync("trends", TimeSpan.FromMinutes(5));
        await host.AdvanceAsync("trends", TimeSpan.FromMinutes(5));
        var range = $"from={Iso(t0)}&to={Iso(t0 + TimeSpan.FromHours(1))}";

        var raw = await host.Viewer.GetObjectAsync($"/api/elements/trends/history?table=things&key=thing-1&column=value&{range}", Ct);
        Assert.Equal("raw", raw["resolution"]!.GetValue<string>());
        Assert.Equal("ms", raw["unit"]!.GetValue<string>());
        var points = raw["points"]!.AsArray();
        Assert.Equal(3, points.Count);
        Assert.Equal(t0, points[0]!["time"]!.GetValue<DateTimeOffset>());
        Assert.Equal(11, points[0]!["value"]!.GetValue<double>());
        Assert.Equal(t0 + TimeSpan.FromMinutes(10), points[2]!["time"]!.GetValue<DateTimeOffset>());
        Assert.Equal(13, points[2]!["value"]!.GetValue<double>());

        var rolled = await host.Viewer.GetObjectAsync($"/api/elements/trends/history?table=things&key=thing-2&column=value&{range}&resolution=5m", Ct);
        Assert.Equal("5m", rolled["resolution"]!.GetValue<string>());
        var buckets = rolled["points"]!.AsArray();
        Assert.Equal(3, buckets.Count);
        Assert.Equal(t0 + TimeSpan.FromMinutes(5), buckets[1]!["time"]!.GetValue<DateTimeOffset>());
        Assert.Equal(22, buckets[1]!["avg"]!.GetValue<double>());
        Assert.Equal(22, buckets[1]!["min"]!.GetValue<double>());
        Assert.Equal(22, buckets[1]!["max"]!.GetValue<double>());
        Assert.Equal(1, buckets[1]!["count"]!.GetValue<long>());

        var hourly = await host.Viewer.GetObjectAsync($"/api/elements/trends/history?table=things&key=thing-2&column=value&{range}&resolution=1h", Ct);
        var hour = Assert.Single(hourly["points"]!.AsArray())!;
        Assert.Equal(3, hour["count"]!.GetValue<long>());
        Assert.Equal(22, hour["avg"]!.GetValue<double>());
        Assert.Equal(21, hour["min"]!.GetValue<double>());
        Assert.Equal(23, hour["max"]!.GetValue<double>());
    }

    [Fact]
    public async Task History_NoRange_DefaultsToLast24Hours()
    {
        await host.CreateElementAsync("Default range", ct: Ct);
        var now = host.Time.GetUtcNow();
        var series = await host.Viewer.GetObjectAsync("/api/elements/default-range/history?table=things&key=thing-3&column=value", Ct);
        Assert.Equal(now, series["to"]!.GetValue<DateTimeOffset>());
        Assert.Equal(now - TimeSpan.FromHours(24), series["from"]!.GetValue<DateTimeOffset>());
        // The poll that just ran stored its point at exactly "now": the default range includes it.
        var point = Assert.Single(series["points"]!.AsArray())!;
        Assert.Equal(now, point["time"]!.GetValue<DateTimeOffset>());
    }

    [Theory]
    [InlineData("table=things&key=thing-1&column=name", "trended")]
    [InlineData("table=things&key=thing-1&column=value&resolution=2m", "resolution")]
    [InlineData("table=things&key=thing-1&column=value&from=yesterday", "from")]
    [InlineData("table=things&key=thing-1&column=value&from=2025-06-02T13:00:00Z&to=2025-06-02T12:00:00Z", "before")]
    [InlineData("table=things&column=value", "key")]
    public async Task History_BadQuery_400SayingWhatToFix(string query, string named)
    {
        await EnsureElementAsync();
        using var response = await host.Viewer.GetAsync($"/api/elements/history-bad/history?{query}", Ct);
        var problem = await Http.AssertProblemAsync(response, HttpStatusCode.BadRequest, Ct);
        Assert.Contains(named, problem.Detail(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task History_UnknownTable_404()
    {
        await EnsureElementAsync();
        using var response = await host.Viewer.GetAsync("/api/elements/history-bad/history?table=nope&key=a&column=value", Ct);
        await Http.AssertProblemAsync(response, HttpStatusCode.NotFound, Ct);
    }

    private async Task EnsureElementAsync()
    {
        using var response = await host.Operator.GetAsync("/api/elements/history-bad", Ct);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            await host.CreateElementAsync("History bad", ct: Ct);
        }
    }

    private static string Iso(DateTimeOffset t) => Uri.EscapeDataString(t.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
}
