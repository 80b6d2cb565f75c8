using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Satmon.Simulators.Tests.SesMpower;

public sealed class MpowerFaultTests
{
    private static readonly DateTimeOffset From = MpowerHarness.Start.AddMinutes(-10);
    private static readonly DateTimeOffset To = MpowerHarness.Start.AddMinutes(-5);

    [Fact]
    public async Task TooManyRequests_NextCall_Returns429WithRetryAfterThenRecovers()
    {
        await using var h = await MpowerHarness.StartAsync();
        var id = await h.LoginAndSubscribeAsync();
        h.Simulator.Faults.TooManyRequests(TimeSpan.FromSeconds(30));

        using var limited = await h.GetPmReportsAsync(id, MpowerHarness.Range(From, To));
        using var next = await h.GetPmReportsAsync(id, MpowerHarness.Range(From, To));

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(30), limited.Headers.RetryAfter?.Delta);
        Assert.Equal("tooManyRequests", (await MpowerHarness.ReadObjectAsync(limited))["code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task InternalError_TwoCalls_FailThenRecover()
    {
        await using var h = await MpowerHarness.StartAsync();
        await h.LoginAsync();
        h.Simulator.Faults.RespondWithStatus(500, count: 2);
        var path = h.Simulator.StreamingManagementPath + "/topic";
        var ct = TestContext.Current.CancellationToken;

        using var first = await h.Client.GetAsync(path, ct);
        using var second = await h.Client.GetAsync(path, ct);
        using var third = await h.Client.GetAsync(path, ct);

        Assert.Equal(HttpStatusCode.InternalServerError, first.StatusCode);
        Assert.Equal("internalError", (await MpowerHarness.ReadObjectAsync(first))["code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.InternalServerError, second.StatusCode);
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
        Assert.Empty(h.Simulator.Faults.Queue.Pending);
    }

    [Fact]
    public async Task StatusFault_WithPathPrefix_OnlyHitsMatchingPaths()
    {
        await using var h = await MpowerHarness.StartAsync();
        var id = await h.LoginAndSubscribeAsync();
        h.Simulator.Faults.RespondWithStatus(503, pathPrefix: h.Simulator.PmReportsPath);

        using var other = await h.Client.GetAsync(h.Simulator.StreamingManagementPath + "/subscription", TestContext.Current.CancellationToken);
        using var token = await h.PasswordGrantAsync();
        using var reports = await h.GetPmReportsAsync(id, MpowerHarness.Range(From, To));

        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, reports.StatusCode);
    }

    [Fact]
    public async Task StatusFault_WithoutPrefix_LeavesTheTokenEndpointAlone()
    {
        await using var h = await MpowerHarness.StartAsync();
        h.Simulator.Faults.RespondWithStatus(500);

        using var token = await h.PasswordGrantAsync();

        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        Assert.Single(h.Simulator.Faults.Queue.Pending);
    }

    [Fact]
    public async Task MalformedPmReports_NextCall_IsTruncatedJson()
    {
        await using var h = await MpowerHarness.StartAsync();
        var id = await h.LoginAndSubscribeAsync();
        h.Simulator.Faults.MalformedPmReports();

        using var broken = await h.GetPmReportsAsync(id, MpowerHarness.Range(From, To));
        using var healthy = await h.GetPmReportsAsync(id, MpowerHarness.Range(From, To));

        Assert.Equal(HttpStatusCode.OK, broken.StatusCode);
        var text = await broken.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.StartsWith("[{\"eventId\"", text, StringComparison.Ordinal);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(text));
        Assert.NotEmpty(await MpowerHarness.ReadMessagesAsync(healthy));
    }

    [Fact]
    public async Task DuplicateAcrossPages_NextPage_StartsWithLastMessagesOfPreviousPage()
    {
        await using var h = await MpowerHarness.StartAsync();
        var id = await h.LoginAndSubscribeAsync();
        h.Simulator.Faults.DuplicateAcrossPages(messages: 2);

        using var firstResponse = await h.GetPmReportsAsync(id, MpowerHarness.Range(From, To) + "&offset=0&limit=100");
        using var secondResponse = await h.GetPmReportsAsync(id, MpowerHarness.Range(From, To) + "&offset=100&limit=100");
        using var thirdResponse = await h.GetPmReportsAsync(id, MpowerHarness.Range(From, To) + "&offset=200&limit=100");
        var first = await MpowerHarness.ReadMessagesAsync(firstResponse);
        var second = await MpowerHarness.ReadMessagesAsync(secondResponse);
        var third = await MpowerHarness.ReadMessagesAsync(thirdResponse);

        Assert.Equal(100, first.Count);
        Assert.Equal(102, second.Count);
        Assert.Equal(102, MpowerHarness.Header(secondResponse, "X-Result-Count"));
        Assert.Equal(first[^2..], second[..2]);
        Assert.Equal(h.Fleet.MessagesBetween(From, To, 100, 100), second[2..]);
        Assert.Equal(100, third.Count);
    }

    [Fact]
    public async Task ExpireAccessTokensNow_NextCall_Returns401UntilNewLogin()
    {
        await using var h = await MpowerHarness.StartAsync();
        var id = await h.LoginAndSubscribeAsync();
        h.Simulator.Faults.ExpireAccessTokensNow();

        using var rejected = await h.GetPmReportsAsync(id, MpowerHarness.Range(From, To));
        await h.LoginAsync();
        using var accepted = await h.GetPmReportsAsync(id, MpowerHarness.Range(From, To));

        Assert.Equal(HttpStatusCode.Unauthorized, rejected.StatusCode);
        Assert.Equal("invalidCredentials", (await MpowerHarness.ReadObjectAsync(rejected))["code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    [Fact]
    public async Task RevokeSessions_RefreshGrant_Returns400InvalidGrant()
    {
        await using var h = await MpowerHarness.StartAsync();
        var refresh = (await h.LoginAsync())["refresh_token"]!.GetValue<string>();
        h.Simulator.Faults.RevokeSessions();

        using var response = await h.RefreshGrantAsync(refresh);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_grant", (await MpowerHarness.ReadObjectAsync(response))["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task ExpireSubscriptionsNow_PmReports_Returns404AndStatusIsExpired()
    {
        await using var h = await MpowerHarness.StartAsync();
        var id = await h.LoginAndSubscribeAsync();

        Assert.Equal(1, h.Simulator.Faults.ExpireSubscriptionsNow());
        using var reports = await h.GetPmReportsAsync(id, MpowerHarness.Range(From, To));
        using var subscription = await h.Client.GetAsync($"{h.Simulator.StreamingManagementPath}/subscription/{id}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, reports.StatusCode);
        Assert.Equal("EXPIRED", (await MpowerHarness.ReadObjectAsync(subscription))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Slow_WithFakeClock_CompletesOnlyAfterTheClockAdvances()
    {
        await using var h = await MpowerHarness.StartAsync();
        await h.LoginAsync();
        h.Simulator.Faults.Slow(TimeSpan.FromSeconds(20));

        var pending = h.Client.GetAsync(h.Simulator.StreamingManagementPath + "/topic", TestContext.Current.CancellationToken);
        await WaitUntilAsync(() => h.Simulator.Faults.DelaysInProgress == 1);
        h.Time.Advance(TimeSpan.FromSeconds(19));
        Assert.False(pending.IsCompleted);
        h.Time.Advance(TimeSpan.FromSeconds(1));
        using var response = await pending.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, h.Simulator.Faults.DelaysInProgress);
    }

    [Fact]
    public async Task Dispose_RequestHeldInDelay_FailsInsteadOfHoldingShutdown()
    {
        var h = await MpowerHarness.StartAsync();
        await h.LoginAsync();
        h.Simulator.Faults.Slow(TimeSpan.FromHours(1));
        var pending = h.Client.GetAsync(h.Simulator.StreamingManagementPath + "/topic", TestContext.Current.CancellationToken);
        await WaitUntilAsync(() => h.Simulator.Faults.DelaysInProgress == 1);

        // Bounds against hanging, not timing assertions: without cancellation the fake clock never moves and
        // graceful shutdown would wait for its 30 s timeout.
        await h.Simulator.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
        try
        {
            using var response = await pending.WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        }
        catch (HttpRequestException)
        {
            // The shutdown closed the connection: the request was released as well.
        }

        Assert.Equal(0, h.Simulator.Faults.DelaysInProgress);
        await h.DisposeAsync();
    }

    [Fact]
    public async Task AdminEndpoints_QueueFaultsAndExpireTokens_OverHttp()
    {
        await using var h = await MpowerHarness.StartAsync();
        var id = await h.LoginAndSubscribeAsync();
        var ct = TestContext.Current.CancellationToken;

        using var added = await h.Client.PostAsJsonAsync("/_admin/faults",
            new { kind = "status", statusCode = 502, count = 1, pathPrefix = h.Simulator.PmReportsPath }, ct);
        using var badKind = await h.Client.PostAsJsonAsync("/_admin/faults", new { kind = "explode" }, ct);
        using var failed = await h.GetPmReportsAsync(id, MpowerHarness.Range(From, To));
        using var expired = await h.Client.PostAsync("/_admin/tokens/expire", null, ct);
        using var unauthorized = await h.GetPmReportsAsync(id, MpowerHarness.Range(From, To));
        using var requests = await h.Client.GetAsync("/_admin/requests", ct);
        using var calls = await h.Client.GetAsync("/_admin/pm-reports/calls", ct);

        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badKind.StatusCode);
        Assert.Equal(HttpStatusCode.BadGateway, failed.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, expired.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        var counts = (await MpowerHarness.ReadObjectAsync(requests))["counts"]!;
        Assert.Equal(2, counts[$"{h.Simulator.PmReportsPath}/{id}"]!.GetValue<int>());
        Assert.Equal(1, counts[h.Simulator.TokenPath]!.GetValue<int>());
        Assert.Null(counts["/_admin/faults"]);
        // Both calls were answered before the endpoint ran (injected fault, then auth), so pm-reports logged none.
        Assert.Empty((await MpowerHarness.ReadObjectAsync(calls))["calls"]!.AsArray());
    }

    [Fact]
    public async Task PmReportsCalls_RecordTheRangeOfEachCall()
    {
        await using var h = await MpowerHarness.StartAsync();
        var id = await h.LoginAndSubscribeAsync();

        using var ranged = await h.GetPmReportsAsync(id, MpowerHarness.Range(From, To) + "&offset=5&limit=7");
        using var open = await h.GetPmReportsAsync(id, "");

        var calls = h.Simulator.PmReportsCalls;
        Assert.Equal(2, calls.Count);
        Assert.Equal((From, To, 5L, (int?)7), (calls[0].From!.Value, calls[0].To!.Value, calls[0].Offset, calls[0].Limit));
        Assert.Null(calls[1].RequestedFrom);
        Assert.Equal(MpowerHarness.Start, calls[1].To);
        Assert.Equal(TimeSpan.FromMinutes(5), calls[1].Span);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        // Real I/O: poll with a bound, never sleep on the fake clock.
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        Assert.True(condition());
    }
}
