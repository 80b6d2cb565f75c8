using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Satmon.Simulators.OneWeb;

namespace Satmon.Simulators.Tests.OneWeb;

public sealed class OneWebFaultTests
{
    private const string Hello = "/hello/v1/oneweb/world";
    private const string Terminals = "/resourceInventory/v3/userTerminal";
    private const string Reports = "/performanceMonitoring/v2/performanceReport";

    [Theory]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public async Task StatusFault_AnswersTheNextNCalls_ThenServesAgain(int status)
    {
        await using var h = await OneWebHarness.StartAsync();
        h.Simulator.Faults.FailNext(status, count: 2);

        var codes = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await h.GetAsync(Hello);
            codes.Add((int)response.StatusCode);
        }

        Assert.Equal([status, status, 200], codes);
    }

    [Fact]
    public async Task StatusFault_WithPathPrefix_OnlyHitsThatPath()
    {
        await using var h = await OneWebHarness.StartAsync();
        h.Simulator.Faults.FailNext(503, pathPrefix: Terminals);

        using var hello = await h.GetAsync(Hello);
        using var terminals = await h.GetAsync($"{Terminals}?limit=1");
        using var again = await h.GetAsync($"{Terminals}?limit=1");

        Assert.Equal(HttpStatusCode.OK, hello.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, terminals.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public async Task RateLimit_Answers429WithRetryAfterAndRateLimitHeaders()
    {
        await using var h = await OneWebHarness.StartAsync();
        h.Simulator.Faults.RateLimitNext(TimeSpan.FromSeconds(30));

        using var limited = await h.GetAsync(Hello);
        using var after = await h.GetAsync(Hello);

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(30), limited.Headers.RetryAfter?.Delta);
        Assert.Equal("60", limited.Headers.GetValues("X-Ratelimit-Limit").Single());
        Assert.Equal("0", limited.Headers.GetValues("X-Ratelimit-Remaining").Single());
        Assert.Equal("30000", limited.Headers.GetValues("X-Ratelimit-Reset").Single());
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal(2, h.Simulator.RequestCountsByPath[Hello]);
        Assert.Equal([429, 200], h.Simulator.Requests.Select(r => r.StatusCode));
    }

    [Fact]
    public async Task RateLimit_QueuedOverAdminWithoutRetryAfter_StillCarriesOneSecond()
    {
        await using var h = await OneWebHarness.StartAsync();
        using var admin = new HttpClient { BaseAddress = h.Simulator.BaseAddress };
        (await admin.PostAsJsonAsync("/_admin/faults", new { kind = "Status", statusCode = 429 }, TestContext.Current.CancellationToken)).Dispose();

        using var limited = await h.GetAsync(Hello);

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), limited.Headers.RetryAfter?.Delta);
        Assert.Equal("1000", limited.Headers.GetValues("X-Ratelimit-Reset").Single());
    }

    [Fact]
    public async Task SlowFault_HoldsTheResponseUntilTheClockHasAdvancedByTheDelay()
    {
        await using var h = await OneWebHarness.StartAsync();
        h.Simulator.Faults.SlowNext(TimeSpan.FromSeconds(20));
        var started = h.Clock.GetUtcNow();

        var pending = h.GetAsync(Hello);
        await WaitUntilAsync(() => h.Simulator.DelaysInProgress == 1);

        // The server may create its timer a moment after the counter moves, so step the clock until the answer
        // comes (bounded): the delay runs from a time no earlier than 'started', so it needs 20 fake seconds.
        for (var step = 0; step < 200 && !pending.IsCompleted; step++)
        {
            h.Clock.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAny(pending, Task.Delay(TimeSpan.FromMilliseconds(25), TimeProvider.System, TestContext.Current.CancellationToken));
        }

        using var response = await pending.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(h.Clock.GetUtcNow() - started >= TimeSpan.FromSeconds(20), $"answered after {h.Clock.GetUtcNow() - started} of fake time");
        Assert.Equal(0, h.Simulator.DelaysInProgress);
    }

    [Fact]
    public async Task MalformedFault_CutsTheNextBody_ThenServesValidJson()
    {
        await using var h = await OneWebHarness.StartAsync();
        h.Simulator.Faults.MalformNext(pathPrefix: Terminals);

        using var broken = await h.GetAsync(Terminals);
        var text = await broken.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var (_, whole) = await h.GetJsonAsync(Terminals);

        Assert.Equal(HttpStatusCode.OK, broken.StatusCode);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(text));
        Assert.Equal(150, whole.AsArray().Count);
    }

    [Fact]
    public async Task RenameField_RenamesInTheNextResponseOnly()
    {
        await using var h = await OneWebHarness.StartAsync();
        h.Simulator.Faults.RenameFieldNext("imei", "IMEI", pathPrefix: Terminals);

        var (_, renamed) = await h.GetJsonAsync($"{Terminals}?limit=3");
        var (_, normal) = await h.GetJsonAsync($"{Terminals}?limit=3");

        Assert.All(renamed.AsArray(), t =>
        {
            Assert.False(t!.AsObject().ContainsKey("imei"));
            Assert.Equal((string?)t["id"], (string?)t["IMEI"]);
        });
        Assert.All(normal.AsArray(), t => Assert.NotNull(t!["imei"]));
    }

    [Fact]
    public async Task DropField_LeavesItOutOfTheNextNResponses()
    {
        await using var h = await OneWebHarness.StartAsync();
        h.Simulator.Faults.DropFieldNext("serialNumber", count: 2);
        var imei = h.Simulator.Fleet.Terminals[0].Imei;

        var (_, first) = await h.GetJsonAsync($"{Terminals}?limit=2");
        var (_, second) = await h.GetJsonAsync($"{Terminals}/{imei}");
        var (_, third) = await h.GetJsonAsync($"{Terminals}/{imei}");

        Assert.All(first.AsArray(), t => Assert.False(t!.AsObject().ContainsKey("serialNumber")));
        Assert.False(second[0]!.AsObject().ContainsKey("serialNumber"));
        Assert.NotNull(third[0]!["serialNumber"]);
        Assert.Contains("serialNumber", third[0]!["resourceRelationship"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LateSample_AppearsOnlyAfterItsLongerDelay_WhileItsNeighboursAreOnTime()
    {
        await using var h = await OneWebHarness.StartAsync();
        var fleet = h.Simulator.Fleet;
        var late = fleet.Terminals[11].Imei;
        var interval = OneWebHarness.Start.AddHours(-1);
        h.Simulator.Faults.DelaySamples(OneWebReportType.UserTerminalLinkMetrics, TimeSpan.FromHours(3), late, interval, interval.AddMinutes(15));
        var query = $"{Reports}?reportType=UserTerminalLinkMetrics&startTime={OneWebHarness.Iso(interval)}&endTime={OneWebHarness.Iso(interval.AddMinutes(15))}";

        var (early, onTime) = await h.GetJsonAsync(query);
        h.Clock.SetUtcNow(interval.AddMinutes(15).AddHours(3));
        var (_, later) = await h.GetJsonAsync(query);

        static List<string> Ids(JsonNode body) => [.. body.AsArray().Select(i => (string)i!["measurementDataPoints"]![0]!["userTerminalId"]!)];
        Assert.Equal(149, OneWebHarness.TotalCount(early));
        Assert.DoesNotContain(late, Ids(onTime));
        Assert.Contains(late, Ids(later));
        Assert.Equal(150, Ids(later).Count);
        Assert.True(h.Simulator.IsSampleVisible(OneWebReportType.UserTerminalLinkMetrics, late, interval));
    }

    [Fact]
    public async Task AdminEndpoints_InjectGenericAndOneWebFaults_WithoutCredentials()
    {
        await using var h = await OneWebHarness.StartAsync();
        using var admin = new HttpClient { BaseAddress = h.Simulator.BaseAddress };
        var ct = TestContext.Current.CancellationToken;
        var interval = OneWebHarness.Start.AddHours(-2);
        var imei = h.Simulator.Fleet.Terminals[0].Imei;

        using var status = await admin.PostAsJsonAsync("/_admin/faults", new { kind = "Status", statusCode = 502, pathPrefix = Hello }, ct);
        using var rename = await admin.PostAsJsonAsync("/_admin/oneweb/faults", new { kind = "renameField", field = "resourceState", newName = "state" }, ct);
        using var lateSample = await admin.PostAsJsonAsync("/_admin/oneweb/faults", new
        {
            kind = "lateSample", reportType = "UserTerminalTraffic", entityId = imei, delaySeconds = 86_400, from = interval, to = interval.AddMinutes(15),
        }, ct);
        using var bad = await admin.PostAsJsonAsync("/_admin/oneweb/faults", new { kind = "explode" }, ct);
        var listed = await admin.GetStringAsync("/_admin/oneweb/faults", ct);

        using var hello = await h.GetAsync(Hello);
        var (_, terminal) = await h.GetJsonAsync($"{Terminals}/{imei}");
        var (_, traffic) = await h.GetJsonAsync($"{Reports}?reportType=UserTerminalTraffic&userTerminalId={imei}"
            + $"&startTime={OneWebHarness.Iso(interval)}&endTime={OneWebHarness.Iso(interval.AddMinutes(15))}");

        Assert.Equal(HttpStatusCode.Created, status.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, rename.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, lateSample.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("resourceState", listed, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadGateway, hello.StatusCode);
        Assert.NotNull(terminal[0]!["state"]);
        Assert.Empty(traffic.AsArray());

        using var cleared = await admin.DeleteAsync("/_admin/oneweb/faults", ct);
        var (_, afterClear) = await h.GetJsonAsync($"{Reports}?reportType=UserTerminalTraffic&userTerminalId={imei}"
            + $"&startTime={OneWebHarness.Iso(interval)}&endTime={OneWebHarness.Iso(interval.AddMinutes(15))}");
        Assert.Single(afterClear.AsArray());
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        // Real I/O (the request reaching the server) is awaited with a bounded poll, never a fixed sleep.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Yield();
            await Task.Delay(TimeSpan.FromMilliseconds(10), TimeProvider.System, timeout.Token);
        }
    }
}
