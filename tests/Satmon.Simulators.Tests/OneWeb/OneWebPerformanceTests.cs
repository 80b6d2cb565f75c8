using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Satmon.Simulators.Tests.OneWeb;

public sealed class OneWebPerformanceTests
{
    private const string Reports = "/performanceMonitoring/v2/performanceReport";

    [Fact]
    public async Task Sample_BeforeItsDelay_IsAbsent_AndAppearsOnceTheClockPassesIt()
    {
        await using var h = await OneWebHarness.StartAsync();
        var terminal = h.Simulator.Fleet.Terminals[9];
        var start = OneWebHarness.Start.AddMinutes(-30);
        var query = $"{Reports}?reportType=UserTerminalLinkAvailability&userTerminalId={terminal.Imei}"
            + $"&startTime={OneWebHarness.Iso(start)}&endTime={OneWebHarness.Iso(start.AddMinutes(15))}";

        // The interval ends at 11:45 and link availability is delayed 30 minutes: it exists from 12:15.
        var (_, atNoon) = await h.GetJsonAsync(query);
        h.Clock.Advance(TimeSpan.FromMinutes(15) - TimeSpan.FromSeconds(1));
        var (_, justBefore) = await h.GetJsonAsync(query);
        h.Clock.Advance(TimeSpan.FromSeconds(1));
        var (response, after) = await h.GetJsonAsync(query);

        Assert.Empty(atNoon.AsArray());
        Assert.Empty(justBefore.AsArray());
        var item = Assert.Single(after.AsArray())!;
        Assert.Equal(1, OneWebHarness.TotalCount(response));
        Assert.Equal(start, Time(item["measurementTime"]!["measurementStartDate"]));
        Assert.Equal(start.AddMinutes(15), Time(item["measurementTime"]!["measurementEndDate"]));
        Assert.Equal("15 minutes", (string?)item["measurementTime"]!["measurementInterval"]);
        var point = Assert.Single(item["measurementDataPoints"]!.AsArray())!;
        Assert.Equal("UserTerminalLinkAvailability", (string?)point["@type"]);
        Assert.Equal(terminal.Imei, (string?)point["userTerminalId"]);
        Assert.Equal(h.Simulator.Fleet.TerminalSample(terminal, start).LinkAvailabilityPercent, (double)point["linkAvailabilityPercent"]!);
    }

    [Theory]
    [InlineData("UserTerminalLinkAvailability", 30, "linkAvailabilityPercent")]
    [InlineData("UserTerminalSignalQuality", 15, "sinrAvgDb,sinrMinDb,sinrMaxDb")]
    [InlineData("UserTerminalResourceState", 10, "resourceState,onlineSeconds,offlineSeconds,stateChanges")]
    [InlineData("UserTerminalTraffic", 30, "bytesDownlink,bytesUplink")]
    [InlineData("UserTerminalLinkMetrics", 15, "latencyMsAvg,packetLossPercent")]
    [InlineData("ProductThroughput", 60, "throughputDownlinkMbpsAvg,throughputDownlinkMbpsMax,throughputUplinkMbpsAvg,throughputUplinkMbpsMax")]
    public async Task ReportType_NewestSample_EndsAtTheLastIntervalOlderThanItsDelay(string reportType, int delayMinutes, string metrics)
    {
        await using var h = await OneWebHarness.StartAsync();
        h.Clock.Advance(TimeSpan.FromMinutes(7));
        var now = h.Clock.GetUtcNow();
        var isProduct = reportType == "ProductThroughput";
        var entity = isProduct ? h.Simulator.Fleet.Products[4].Id : h.Simulator.Fleet.Terminals[4].Imei;

        var (_, body) = await h.GetJsonAsync($"{Reports}?reportType={reportType}&{(isProduct ? "productId" : "userTerminalId")}={entity}"
            + $"&startTime={OneWebHarness.Iso(now.AddHours(-3))}&endTime={OneWebHarness.Iso(now)}");

        var items = body.AsArray();
        var newestEnd = items.Max(i => Time(i!["measurementTime"]!["measurementEndDate"]));
        var limit = now.AddMinutes(-delayMinutes);
        var expected = new DateTimeOffset(limit.UtcTicks - (limit.UtcTicks % TimeSpan.FromMinutes(15).Ticks), TimeSpan.Zero);
        Assert.Equal(expected, newestEnd);
        foreach (var item in items)
        {
            var point = item!["measurementDataPoints"]![0]!;
            Assert.Equal(reportType, (string?)point["@type"]);
            var names = point.AsObject().Select(p => p.Key).Where(k => k is not ("@type" or "userTerminalId" or "productId"));
            Assert.Equal(metrics.Split(',').Order(StringComparer.Ordinal), names.Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public async Task AllTerminals_PagedQuery_CoversEveryIntervalAndTerminalOnce()
    {
        await using var h = await OneWebHarness.StartAsync(o => o.MaxPageSize = 500);
        var now = h.Clock.GetUtcNow();
        var from = now.AddHours(-3);

        // Traffic is delayed 30 min: intervals starting 09:00..11:15 (ending by 11:30) = 10 intervals × 150 terminals.
        var items = await h.ReadAllPagesAsync(
            $"{Reports}?reportType=UserTerminalTraffic&startTime={OneWebHarness.Iso(from)}&endTime={OneWebHarness.Iso(now)}", 500);

        var keys = items.Select(i => (Time(i["measurementTime"]!["measurementStartDate"]), (string)i["measurementDataPoints"]![0]!["userTerminalId"]!)).ToList();
        Assert.Equal(10 * 150, keys.Count);
        Assert.Equal(keys.Count, keys.Distinct().Count());
        var fleet = h.Simulator.Fleet;
        foreach (var item in items.Take(300))
        {
            var point = item["measurementDataPoints"]![0]!;
            fleet.TryGetTerminal((string)point["userTerminalId"]!, out var terminal);
            var sample = fleet.TerminalSample(terminal!, Time(item["measurementTime"]!["measurementStartDate"]));
            Assert.Equal(sample.BytesDownlink, (long)point["bytesDownlink"]!);
            Assert.Equal(sample.BytesUplink, (long)point["bytesUplink"]!);
        }
    }

    [Fact]
    public async Task ProductThroughput_MatchesItsTerminalsTraffic()
    {
        await using var h = await OneWebHarness.StartAsync();
        var fleet = h.Simulator.Fleet;
        var at = OneWebHarness.Start.AddHours(-6);
        var online = fleet.Products.First(p => fleet.IsOnline(fleet.Terminals[p.Index], at));

        var (_, body) = await h.GetJsonAsync($"{Reports}?reportType=ProductThroughput&productId={online.Id}"
            + $"&startTime={OneWebHarness.Iso(at)}&endTime={OneWebHarness.Iso(at.AddMinutes(15))}");

        var point = body[0]!["measurementDataPoints"]![0]!;
        var traffic = fleet.TerminalSample(fleet.Terminals[online.Index], at);
        var avg = (double)point["throughputDownlinkMbpsAvg"]!;
        Assert.Equal(online.Id, (string?)point["productId"]);
        Assert.Equal(traffic.BytesDownlink, (long)Math.Round(avg * 1_000_000 / 8 * 900));
        Assert.InRange(avg, 0.001, (double)point["throughputDownlinkMbpsMax"]!);
        Assert.True((double)point["throughputDownlinkMbpsMax"]! <= online.DownlinkMirMbps);
    }

    [Fact]
    public async Task AsyncReport_PostedThenRead_IsAcknowledgedInProgressThenCompletedWithTheSamples()
    {
        await using var h = await OneWebHarness.StartAsync(o => o.ReportProcessingDelay = TimeSpan.FromMinutes(5));
        var terminal = h.Simulator.Fleet.Terminals[2];
        var request = JsonNode.Parse($$"""
            { "description": "UT signal quality",
              "reportingTimeframe": { "reportingStartDate": "{{OneWebHarness.Iso(OneWebHarness.Start.AddHours(-2))}}",
                                      "reportingEndDate": "{{OneWebHarness.Iso(OneWebHarness.Start)}}" },
              "performanceJob": { "@type": "PerformanceJobValue", "granularity": "15 minutes",
                "servicePayloadSpecificAttributes": { "@type": "UserTerminalSignalQuality", "userTerminalId": "{{terminal.Imei}}" } } }
            """);

        using var created = await h.Client.PostAsJsonAsync(h.Url(Reports), request, TestContext.Current.CancellationToken);
        var ack = JsonNode.Parse(await created.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
        var id = (string)ack["id"]!;
        var (_, pending) = await h.GetJsonAsync($"{Reports}/{id}");
        h.Clock.Advance(TimeSpan.FromMinutes(5));
        var (response, done) = await h.GetJsonAsync($"{Reports}/{id}");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("acknowledged", (string?)ack["state"]);
        Assert.Equal($"{Reports}/{id}", created.Headers.Location?.OriginalString);
        Assert.Equal("inProgress", (string?)pending["state"]);
        Assert.Null(pending["reportContent"]);
        Assert.Equal("completed", (string?)done["state"]);

        // Signal quality is delayed 15 min; as of 12:05 the intervals 10:00..11:30 exist (7 of them).
        var content = done["reportContent"]!.AsArray();
        Assert.Equal(7, content.Count);
        Assert.Equal(7, OneWebHarness.TotalCount(response));
        var first = content[0]!["measurementDataPoints"]![0]!;
        Assert.Equal(h.Simulator.Fleet.TerminalSample(terminal, OneWebHarness.Start.AddHours(-2)).SinrAvgDb, (double)first["sinrAvgDb"]!);
    }

    [Theory]
    [InlineData("?reportType=NoSuchReport")]
    [InlineData("?reportType=UserTerminalTraffic&userTerminalId=123")]
    [InlineData("?reportType=UserTerminalTraffic&startTime=yesterday")]
    [InlineData("/PR-unknown")]
    public async Task BadReportQuery_IsRejectedWithTmfError(string suffix)
    {
        await using var h = await OneWebHarness.StartAsync();

        var (response, body) = await h.GetJsonAsync(Reports + suffix);

        Assert.Equal(suffix.StartsWith('/') ? HttpStatusCode.NotFound : HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((string?)body["message"]);
    }

    [Fact]
    public async Task Samples_BeforeTheHistoryStart_DoNotExist()
    {
        await using var h = await OneWebHarness.StartAsync(o => o.SampleHistory = TimeSpan.FromDays(1));
        var historyStart = h.Simulator.Fleet.HistoryStart;
        var imei = h.Simulator.Fleet.Terminals[0].Imei;

        var (_, body) = await h.GetJsonAsync($"{Reports}?reportType=UserTerminalResourceState&userTerminalId={imei}"
            + $"&startTime={OneWebHarness.Iso(historyStart.AddHours(-2))}&endTime={OneWebHarness.Iso(historyStart.AddHours(1))}");

        Assert.Equal(OneWebHarness.Start.AddDays(-1), historyStart);
        Assert.Equal(4, body.AsArray().Count);
        Assert.Equal(historyStart, Time(body[0]!["measurementTime"]!["measurementStartDate"]));
    }

    private static DateTimeOffset Time(JsonNode? node) =>
        DateTimeOffset.Parse((string)node!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);
}
