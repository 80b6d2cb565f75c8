using System.Net;
using Satmon.Simulators.SesMpower;

namespace Satmon.Simulators.Tests.SesMpower;

public sealed class PmReportsTests
{
    private static readonly DateTimeOffset From = MpowerHarness.Start.AddMinutes(-30);
    private static readonly DateTimeOffset To = MpowerHarness.Start.AddMinutes(-5);

    // A short range (4 sample times) for tests that only compare responses.
    private static readonly DateTimeOffset ShortFrom = MpowerHarness.Start.AddMinutes(-10);

    [Fact]
    public async Task PmReports_PagedWithTotalCount_CoversEveryMessageExactlyOnce()
    {
        await using var h = await MpowerHarness.StartAsync();
        var id = await h.LoginAndSubscribeAsync();
        var expected = h.Fleet.MessagesBetween(From, To).ToList();
        const int pageSize = 700;

        var received = new List<MpowerMessage>();
        for (var offset = 0; ; offset += pageSize)
        {
            using var response = await h.GetPmReportsAsync(id, $"{MpowerHarness.Range(From, To)}&offset={offset}&limit={pageSize}");
            var page = await MpowerHarness.ReadMessagesAsync(response);
            Assert.Equal(expected.Count, MpowerHarness.Header(response, "X-Total-Count"));
            Assert.Equal(page.Count, MpowerHarness.Header(response, "X-Result-Count"));
            received.AddRange(page);
            if (page.Count < pageSize)
            {
                break;
            }
        }

        // 24 sample times (both bounds exclusive) × the terminals not yet silent at each.
        var times = h.Fleet.SampleTimesBetween(From, To).ToList();
        Assert.Equal(24, times.Count);
        Assert.Equal(times.Sum(t => h.Fleet.Terminals.Count(x => x.ReportsAt(t))), expected.Count);
        Assert.Equal(expected, received);
        Assert.Equal(received.Count, received.Select(m => m.EventId).Distinct().Count());
        Assert.Equal(received, received.OrderBy(m => m.EventTime).ThenBy(m => m.Event.Key.ObjectName, StringComparer.Ordinal));
    }

    [Fact]
    public async Task PmReports_Message_CarriesEveryIdentifierAndMetric()
    {
        await using var h = await MpowerHarness.StartAsync();
        var id = await h.LoginAndSubscribeAsync();

        using var response = await h.GetPmReportsAsync(id, $"{MpowerHarness.Range(From, To)}&limit=1");

        var message = (await MpowerHarness.ReadArrayAsync(response)).Single()!.AsObject();
        Assert.Equal(["eventId", "eventTime", "eventType", "priority", "event"], message.Select(p => p.Key));
        Assert.Equal("2025-01-10T07:31:00Z", message["eventTime"]!.GetValue<string>());
        Assert.True(Guid.TryParse(message["eventId"]!.GetValue<string>(), out _));
        Assert.Equal(
            ["objectName", "vnoId", "siteName", "platformType", "customerId", "serviceId", "beamId", "contractId"],
            message["event"]!["key"]!.AsObject().Select(p => p.Key));
        Assert.Equal(
            ["latency", "forwardPacketLoss", "returnPacketLoss", "forwardThroughputDelivered", "forwardThroughputUtilization",
             "returnThroughputDelivered", "returnThroughputUtilization", "forwardMir", "forwardCir", "forwardEir", "returnCir", "returnEir",
             "forwardEsNo", "returnEsNo", "maxTxPower", "forwardVolume", "returnVolume", "latitude", "longitude", "altitude", "heading",
             "serviceStatus", "terminalStatus"],
            message["event"]!["metrics"]!.AsObject().Select(p => p.Key));
        Assert.Equal("TERM-000000", message["event"]!["key"]!["objectName"]!.GetValue<string>());
    }

    [Fact]
    public async Task PmReports_RangeAboveSevenDays_Returns422TooLargeDataset()
    {
        await using var h = await MpowerHarness.StartAsync();
        var id = await h.LoginAndSubscribeAsync();

        using var tooLarge = await h.GetPmReportsAsync(id, MpowerHarness.Range(To.AddDays(-7).AddSeconds(-1), To));
        using var exactlySeven = await h.GetPmReportsAsync(id, MpowerHarness.Range(To.AddDays(-7), To) + "&limit=1");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooLarge.StatusCode);
        Assert.Equal("tooLargeDataset", Assert.Single(await MpowerHarness.ReadArrayAsync(tooLarge))!["code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, exactlySeven.StatusCode);
        Assert.Equal([422, 200], h.Simulator.PmReportsCalls.Select(c => c.StatusCode));
        Assert.Equal(TimeSpan.FromDays(7), h.Simulator.PmReportsCalls[1].Span);
    }

    [Fact]
    public async Task PmReports_ExpiredSubscription_Returns404()
    {
        await using var h = await MpowerHarness.StartAsync();
        var id = await h.LoginAndSubscribeAsync();
        h.Time.Advance(TimeSpan.FromHours(24));
        await h.LoginAsync();

        using var response = await h.GetPmReportsAsync(id, MpowerHarness.Range(From, To));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("notFound", (await MpowerHarness.ReadObjectAsync(response))["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task PmReports_UnknownSubscription_Returns404()
    {
        await using var h = await MpowerHarness.StartAsync();
        await h.LoginAsync();

        using var response = await h.GetPmReportsAsync(Guid.NewGuid().ToString(), MpowerHarness.Range(From, To));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task PmReports_NoToken_Returns401()
    {
        await using var h = await MpowerHarness.StartAsync();
        var id = await h.LoginAndSubscribeAsync();
        h.UseAccessToken(null);

        using var response = await h.GetPmReportsAsync(id, MpowerHarness.Range(From, To));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("missingCredentials", (await MpowerHarness.ReadObjectAsync(response))["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task PmReports_RangeIntoTheFuture_StopsAtNow()
    {
        await using var h = await MpowerHarness.StartAsync();
        var id = await h.LoginAndSubscribeAsync();
        h.Time.Advance(TimeSpan.FromSeconds(30));

        using var response = await h.GetPmReportsAsync(id, MpowerHarness.Range(MpowerHarness.Start.AddMinutes(-2), MpowerHarness.Start.AddHours(1)));

        var messages = await MpowerHarness.ReadMessagesAsync(response);
        Assert.Equal([MpowerHarness.Start.AddMinutes(-1), MpowerHarness.Start], messages.Select(m => m.EventTime).Distinct());
        Assert.Equal(2 * h.Fleet.Terminals.Count(t => t.ReportsAt(MpowerHarness.Start)), messages.Count);
    }

    [Fact]
    public async Task PmReports_NoRange_ReturnsTheDefaultRangeUpToNow()
    {
        await using var h = await MpowerHarness.StartAsync(o => o.DefaultRange = TimeSpan.FromMinutes(3));
        var id = await h.LoginAndSubscribeAsync();

        using var response = await h.GetPmReportsAsync(id, "limit=10000");

        var messages = await MpowerHarness.ReadMessagesAsync(response);
        Assert.Equal(
            [MpowerHarness.Start.AddMinutes(-2), MpowerHarness.Start.AddMinutes(-1), MpowerHarness.Start],
            messages.Select(m => m.EventTime).Distinct());
    }

    [Fact]
    public async Task PmReports_AliasParameterNames_ReturnTheSameMessages()
    {
        await using var h = await MpowerHarness.StartAsync();
        var id = await h.LoginAndSubscribeAsync();
        var from = Uri.EscapeDataString(ShortFrom.ToString("O"));
        var to = Uri.EscapeDataString(To.ToString("O"));

        using var primary = await h.GetPmReportsAsync(id, MpowerHarness.Range(ShortFrom, To));
        using var startEnd = await h.GetPmReportsAsync(id, $"startDate={from}&endDate={to}");
        using var fromTo = await h.GetPmReportsAsync(id, $"from={from}&to={to}");

        var expected = await MpowerHarness.ReadMessagesAsync(primary);
        Assert.Equal(4, expected.Select(m => m.EventTime).Distinct().Count());
        Assert.Equal(expected, await MpowerHarness.ReadMessagesAsync(startEnd));
        Assert.Equal(expected, await MpowerHarness.ReadMessagesAsync(fromTo));
    }

    [Fact]
    public async Task PmReports_LimitAboveMaxPageSize_IsThrottled()
    {
        await using var h = await MpowerHarness.StartAsync(o => o.MaxPageSize = 500);
        var id = await h.LoginAndSubscribeAsync();

        using var response = await h.GetPmReportsAsync(id, MpowerHarness.Range(From, To) + "&limit=100000");

        Assert.Equal(500, (await MpowerHarness.ReadMessagesAsync(response)).Count);
        Assert.Equal("true", response.Headers.GetValues("X-Pagination-Throttled").Single());
    }

    [Fact]
    public async Task PmReports_InvalidTime_Returns400InvalidQuery()
    {
        await using var h = await MpowerHarness.StartAsync();
        var id = await h.LoginAndSubscribeAsync();

        using var response = await h.GetPmReportsAsync(id, "eventTime.gt=yesterday");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalidQuery", (await MpowerHarness.ReadObjectAsync(response))["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task PmReports_SameSeed_TwoSimulatorsReturnIdenticalMessages()
    {
        await using var a = await MpowerHarness.StartAsync(o => o.Seed = 42);
        await using var b = await MpowerHarness.StartAsync(o => o.Seed = 42);
        await using var other = await MpowerHarness.StartAsync(o => o.Seed = 43);

        async Task<List<MpowerMessage>> PullAsync(MpowerHarness h)
        {
            var id = await h.LoginAndSubscribeAsync();
            using var response = await h.GetPmReportsAsync(id, MpowerHarness.Range(ShortFrom, To));
            return await MpowerHarness.ReadMessagesAsync(response);
        }

        var first = await PullAsync(a);
        Assert.Equal(first, await PullAsync(b));
        var different = await PullAsync(other);
        Assert.NotEqual(first.Select(m => m.EventId), different.Select(m => m.EventId));
        Assert.NotEqual(first.Select(m => m.Event.Metrics), different.Select(m => m.Event.Metrics));
    }
}
