using Satmon.Connectors.SesMpower;
using Satmon.Connectors.Tests.Support;
using Satmon.Core.Polling;

namespace Satmon.Connectors.Tests.SesMpower;

/// <summary>Catching up after downtime: windows no longer than the maximum range, and the same data as never being down.</summary>
public sealed class MpowerCatchUpTests
{
    [Fact]
    public async Task TenDaysDown_CatchUp_NoRequestOverSevenDaysAndSameHistoryAsContinuous()
    {
        await using var bed = await MpowerTestBed.CreateAsync(o =>
        {
            o.TerminalCount = 10;
            o.SampleInterval = TimeSpan.FromHours(2);
        });
        var interval = TimeSpan.FromHours(12);
        var continuous = await bed.CreateElementAsync((SesMpowerSettingKeys.PullInterval, interval.TotalSeconds), (SesMpowerSettingKeys.PageSize, 200));
        var other = await bed.CreateSecondHarnessAsync();
        var downtime = await bed.CreateElementAsync(other, "mPOWER down", (SesMpowerSettingKeys.PullInterval, interval.TotalSeconds), (SesMpowerSettingKeys.PageSize, 200));
        await other.Manager.StopAsync(downtime, CancellationToken.None);

        await bed.AdvanceAsync(continuous, interval, steps: 20);
        var callsBefore = bed.Simulator.PmReportsCalls.Count;
        await other.Manager.StartAsync(downtime, CancellationToken.None);
        await other.Manager.WhenIdleAsync(downtime);
        var catchUp = bed.Simulator.PmReportsCalls.Skip(callsBefore).ToList();

        var spans = bed.Simulator.PmReportsCalls.Select(c => c.RequestedTo!.Value - c.RequestedFrom!.Value).ToList();
        Assert.All(spans, span => Assert.True(span <= TimeSpan.FromDays(7), $"A request spans {span}."));
        Assert.Contains(catchUp, c => c.RequestedTo - c.RequestedFrom == TimeSpan.FromDays(7));
        Assert.True(catchUp.Select(c => c.RequestedFrom).Distinct().Count() >= 2, "The catch-up was not split into windows.");
        Assert.Equal(PollStatus.Succeeded, (await bed.TaskStateAsync(downtime, SesMpowerConnector.PullMetricsTask, other)).Status);

        var from = MpowerTestBed.Start.AddHours(-1);
        var to = bed.Time.GetUtcNow();
        await MpowerExpectations.AssertHistoryMatchesFleetAsync(bed, continuous, from, to, terminals: 10);
        foreach (var terminal in bed.Simulator.Fleet.Terminals)
        {
            foreach (var (column, _) in MpowerExpectations.Columns)
            {
                Assert.Equal(
                    await bed.HistoryAsync(continuous, terminal.ObjectName, column, from, to),
                    await bed.HistoryAsync(downtime, terminal.ObjectName, column, from, to, other));
            }
        }

        Assert.Equal(
            (await bed.TerminalsAsync(continuous)).Select(r => (r.Key, r.Values["lastReportTime"], r.Values["latency"])),
            (await bed.TerminalsAsync(downtime, other)).Select(r => (r.Key, r.Values["lastReportTime"], r.Values["latency"])));
    }
}
