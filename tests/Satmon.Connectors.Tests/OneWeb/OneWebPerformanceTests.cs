using Satmon.Connectors.OneWeb;
using Satmon.Core.History;
using Satmon.Simulators.OneWeb;
using Satmon.Simulators.OneWeb.Fleet;

namespace Satmon.Connectors.Tests.OneWeb;

public sealed class OneWebPerformanceTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(15);

    /// <summary>Every trended terminal column, the report type it comes from and its value in the simulator's sample.</summary>
    private static readonly (string Column, OneWebReportType Type, Func<OneWebTerminalSample, double> Value)[] TerminalColumns =
    [
        ("linkAvailability", OneWebReportType.UserTerminalLinkAvailability, s => s.LinkAvailabilityPercent),
        ("signalQuality", OneWebReportType.UserTerminalSignalQuality, s => s.SinrAvgDb),
        ("signalQualityMin", OneWebReportType.UserTerminalSignalQuality, s => s.SinrMinDb),
        ("signalQualityMax", OneWebReportType.UserTerminalSignalQuality, s => s.SinrMaxDb),
        ("onlineTime", OneWebReportType.UserTerminalResourceState, s => s.OnlineSeconds),
        ("trafficDown", OneWebReportType.UserTerminalTraffic, s => s.BytesDownlink / 1_000_000d),
        ("trafficUp", OneWebReportType.UserTerminalTraffic, s => s.BytesUplink / 1_000_000d),
        ("latency", OneWebReportType.UserTerminalLinkMetrics, s => s.LatencyMsAvg),
        ("packetLoss", OneWebReportType.UserTerminalLinkMetrics, s => s.PacketLossPercent),
    ];

    private static readonly (string Column, Func<OneWebProductSample, double> Value)[] ProductColumns =
    [
        ("throughputDownAvg", s => s.ThroughputDownlinkMbpsAvg),
        ("throughputDownMax", s => s.ThroughputDownlinkMbpsMax),
        ("throughputUpAvg", s => s.ThroughputUplinkMbpsAvg),
        ("throughputUpMax", s => s.ThroughputUplinkMbpsMax),
    ];

    [Fact]
    public async Task Performance_ClockMovesThroughADayWithALateSample_HistoryEqualsSimulatorEachSampleOnce()
    {
        await using var harness = await OneWebHarness.StartAsync(o => o.TerminalCount = 6);
        var start = harness.Time.GetUtcNow();
        var fleet = harness.Simulator.Fleet;
        var lateTerminal = fleet.Terminals[2];
        var lateStart = fleet.AlignToInterval(start) + TimeSpan.FromHours(3);
        // Link availability normally comes 30 min after its interval; this one comes after 100 min, by when newer
        // samples of the same terminal have moved the cursor past it.
        harness.Simulator.Faults.DelaySamples(
            OneWebReportType.UserTerminalLinkAvailability, TimeSpan.FromMinutes(100), lateTerminal.Imei, lateStart, lateStart + Interval);
        await harness.CreateElementAsync();
        await DisableAllButPerformanceAsync(harness);

        var checkedWhileLate = false;
        for (var step = 0; step < 96; step++)
        {
            await harness.AdvanceAsync(Interval);
            var now = harness.Time.GetUtcNow();
            if (now == lateStart + Interval + TimeSpan.FromMinutes(60))
            {
                // Samples after the late one are stored; the late one is not there yet.
                var series = await harness.HistoryAsync(OneWebTables.TerminalPerformance, lateTerminal.Imei, "linkAvailability", lateStart, now);
                Assert.DoesNotContain(series, s => s.Time == lateStart);
                Assert.Contains(series, s => s.Time == lateStart + Interval);
                checkedWhileLate = true;
            }
        }

        Assert.True(checkedWhileLate);
        var end = harness.Time.GetUtcNow();
        // The first report reached back one day (reportInitialHistorySeconds) from the element's start.
        var from = fleet.AlignToInterval(start - TimeSpan.FromDays(1));
        foreach (var terminal in fleet.Terminals)
        {
            foreach (var (column, type, value) in TerminalColumns)
            {
                var expected = Starts(from, end)
                    .Where(s => harness.Simulator.IsSampleVisible(type, terminal.Imei, s))
                    .Select(s => new HistorySample(s, value(fleet.TerminalSample(terminal, s))))
                    .ToList();
                var stored = await harness.HistoryAsync(OneWebTables.TerminalPerformance, terminal.Imei, column, from, end);
                Assert.True(expected.Count > 90, $"{column}: only {expected.Count} samples expected");
                Assert.Equal(expected, stored);
            }
        }

        Assert.Contains(await harness.HistoryAsync(OneWebTables.TerminalPerformance, lateTerminal.Imei, "linkAvailability", lateStart, lateStart + Interval),
            s => s.Time == lateStart);
        foreach (var product in fleet.Products)
        {
            foreach (var (column, value) in ProductColumns)
            {
                var expected = Starts(from, end)
                    .Where(s => harness.Simulator.IsSampleVisible(OneWebReportType.ProductThroughput, product.Id, s))
                    .Select(s => new HistorySample(s, value(fleet.ProductSample(product, s))))
                    .ToList();
                Assert.Equal(expected, await harness.HistoryAsync(OneWebTables.ProductPerformance, product.Id, column, from, end));
            }
        }
    }

    [Fact]
    public async Task TerminalPerformance_Row_ShowsNewestSampleOfEachReportType()
    {
        await using var harness = await OneWebHarness.StartAsync(o => o.TerminalCount = 3);
        await harness.CreateElementAsync();
        var fleet = harness.Simulator.Fleet;
        var now = harness.Time.GetUtcNow();

        foreach (var terminal in fleet.Terminals)
        {
            var row = (await harness.RowAsync(OneWebTables.TerminalPerformance, terminal.Imei))!.Values;
            var newestLatency = Newest(harness, OneWebReportType.UserTerminalLinkMetrics, terminal.Imei, now);
            var newestAvailability = Newest(harness, OneWebReportType.UserTerminalLinkAvailability, terminal.Imei, now);
            Assert.Equal(fleet.TerminalSample(terminal, newestLatency).LatencyMsAvg, row["latency"]);
            Assert.Equal(fleet.TerminalSample(terminal, newestAvailability).LinkAvailabilityPercent, row["linkAvailability"]);
            Assert.Equal(terminal.Imei, row["terminal"]);
            Assert.True((DateTimeOffset)row["intervalEnd"]! >= newestLatency + Interval);

            // The fleet view's latency sits on the terminal row.
            var terminalRow = (await harness.RowAsync(OneWebTables.UserTerminals, terminal.Imei))!.Values;
            Assert.Equal(row["latency"], terminalRow["latency"]);
        }
    }

    [Fact]
    public async Task TerminalPerformance_FieldMissingInReport_FailsNamingItAndStoresNothingUntilFixed()
    {
        await using var harness = await OneWebHarness.StartAsync(o => o.TerminalCount = 3);
        await harness.CreateElementAsync();
        var imei = harness.Simulator.Fleet.Terminals[0].Imei;
        var before = await harness.RowAsync(OneWebTables.TerminalPerformance, imei);
        var day = (From: harness.Time.GetUtcNow() - TimeSpan.FromDays(2), To: harness.Time.GetUtcNow() + TimeSpan.FromDays(1));
        var latencies = (await harness.HistoryAsync(OneWebTables.TerminalPerformance, imei, "latency", day.From, day.To)).Count;
        harness.Simulator.Faults.DropFieldNext("latencyMsAvg", count: 1_000, pathPrefix: "/performanceMonitoring");

        await harness.AdvanceAsync(TimeSpan.FromMinutes(15));

        var task = await harness.TaskAsync(OneWebTasks.TerminalPerformance);
        Assert.Equal(Core.Polling.PollStatus.Failed, task.State.Status);
        Assert.Contains("'latencyMsAvg'", task.State.Reason, StringComparison.Ordinal);
        Assert.Equal(before!.Values, (await harness.RowAsync(OneWebTables.TerminalPerformance, imei))!.Values);
        Assert.Equal(latencies, (await harness.HistoryAsync(OneWebTables.TerminalPerformance, imei, "latency", day.From, day.To)).Count);

        harness.Simulator.Faults.Clear();
        await harness.AdvanceAsync(TimeSpan.FromMinutes(15));

        // The cursor did not move on the failed report, so the next one brings the missed samples too.
        Assert.Equal(Core.Polling.PollStatus.Succeeded, (await harness.TaskAsync(OneWebTasks.TerminalPerformance)).State.Status);
        Assert.Equal(latencies + 2, (await harness.HistoryAsync(OneWebTables.TerminalPerformance, imei, "latency", day.From, day.To)).Count);
    }

    private static DateTimeOffset Newest(OneWebHarness harness, OneWebReportType type, string id, DateTimeOffset now)
    {
        var start = harness.Simulator.Fleet.AlignToInterval(now);
        while (!harness.Simulator.IsSampleVisible(type, id, start))
        {
            start -= Interval;
        }

        return start;
    }

    private static IEnumerable<DateTimeOffset> Starts(DateTimeOffset from, DateTimeOffset to)
    {
        for (var s = from; s < to; s += Interval)
        {
            yield return s;
        }
    }

    private static async Task DisableAllButPerformanceAsync(OneWebHarness harness)
    {
        foreach (var task in new[] { OneWebTasks.UserTerminals, OneWebTasks.Products, OneWebTasks.Organizations, OneWebTasks.Sites, OneWebTasks.UsageConsumption })
        {
            await harness.Manager.UpdatePollingAsync(harness.ElementId, task, false, null, false, TestContext.Current.CancellationToken);
        }
    }
}
