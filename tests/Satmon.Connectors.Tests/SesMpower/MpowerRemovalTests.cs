using Satmon.Connectors.SesMpower;
using Satmon.Connectors.Tests.Support;

namespace Satmon.Connectors.Tests.SesMpower;

/// <summary>Removal of silent terminals and the general counts.</summary>
public sealed class MpowerRemovalTests
{
    [Fact]
    public async Task SilentLongerThanRemovalPeriod_RowRemoved_HistoryKept_CountsMatchTable()
    {
        // A fifth of the fleet goes silent 25-35 days after the history start, i.e. around the test's start.
        await using var bed = await MpowerTestBed.CreateAsync(o =>
        {
            o.TerminalCount = 40;
            o.SampleInterval = TimeSpan.FromHours(2);
            o.SilentTerminalPercent = 20;
        });
        var fleet = bed.Simulator.Fleet;
        var id = await bed.CreateElementAsync(
            (SesMpowerSettingKeys.InitialHistory, TimeSpan.FromDays(6).TotalSeconds),
            (SesMpowerSettingKeys.RemovalPeriod, TimeSpan.FromDays(1).TotalSeconds),
            (SesMpowerSettingKeys.PullInterval, TimeSpan.FromHours(5).TotalSeconds),
            (SesMpowerSettingKeys.PageSize, 1000));

        var sawInactive = false;
        // Five-hour steps so the latest samples fall at varying points of the simulator's six-hour offline episodes.
        for (var step = 0; step < 29; step++)
        {
            await bed.AdvanceAsync(id, TimeSpan.FromHours(5));
            sawInactive |= await AssertCountsMatchTableAsync(bed, id);
        }

        Assert.True(sawInactive, "No pull saw an offline terminal: the inactive count was never exercised.");
        var now = bed.Time.GetUtcNow();
        var lastReports = fleet.Terminals.ToDictionary(
            t => t.ObjectName,
            t => fleet.SampleTimesBetween(MpowerTestBed.Start.AddDays(-6), now).Where(t.ReportsAt).Select(s => (DateTimeOffset?)s).LastOrDefault());
        var removed = lastReports.Where(r => r.Value < now.AddDays(-1)).Select(r => r.Key).Order().ToList();
        Assert.NotEmpty(removed);
        var rows = await bed.TerminalsAsync(id);
        Assert.Equal(lastReports.Keys.Except(removed).Order(), rows.Select(r => r.Key).Order());
        foreach (var key in removed)
        {
            Assert.NotEmpty(await bed.HistoryAsync(id, key, "latency", DateTimeOffset.MinValue, DateTimeOffset.MaxValue));
        }
    }

    [Fact]
    public async Task AutoRemovalOff_SilentTerminalsStay()
    {
        await using var bed = await MpowerTestBed.CreateAsync(o =>
        {
            o.TerminalCount = 40;
            o.SampleInterval = TimeSpan.FromHours(2);
            o.SilentTerminalPercent = 20;
        });
        var id = await bed.CreateElementAsync(
            (SesMpowerSettingKeys.InitialHistory, TimeSpan.FromDays(6).TotalSeconds),
            (SesMpowerSettingKeys.RemovalPeriod, TimeSpan.FromDays(1).TotalSeconds),
            (SesMpowerSettingKeys.AutoRemoval, false),
            (SesMpowerSettingKeys.PageSize, 1000));

        await bed.AdvanceAsync(id, TimeSpan.FromHours(1));

        var rows = await bed.TerminalsAsync(id);
        Assert.Equal(40, rows.Count);
        Assert.Contains(rows, r => (DateTimeOffset)r.Values["lastReportTime"]! < bed.Time.GetUtcNow().AddDays(-1));
        Assert.Equal(40d, (await bed.GeneralAsync(id))["totalTerminals"]);
    }

    /// <summary>The general counts equal what the table holds; returns whether some terminal was inactive.</summary>
    private static async Task<bool> AssertCountsMatchTableAsync(MpowerTestBed bed, string id)
    {
        var rows = await bed.TerminalsAsync(id);
        var general = await bed.GeneralAsync(id);
        var active = rows.Count(r => string.Equals(r.Values["terminalStatus"] as string, "ONLINE", StringComparison.OrdinalIgnoreCase));
        Assert.Equal((double)rows.Count, general["totalTerminals"]);
        Assert.Equal((double)active, general["activeTerminals"]);
        Assert.Equal((double)(rows.Count - active), general["inactiveTerminals"]);
        return active < rows.Count;
    }
}
