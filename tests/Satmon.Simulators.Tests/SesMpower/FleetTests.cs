using Satmon.Simulators.SesMpower;

namespace Satmon.Simulators.Tests.SesMpower;

public sealed class FleetTests
{
    private static readonly DateTimeOffset HistoryStart = MpowerHarness.Start.AddDays(-30);

    private static SesMpowerFleet Create(int seed = 7, int count = 200, double silentPercent = 3) =>
        new(seed, count, TimeSpan.FromMinutes(1), HistoryStart, silentPercent);

    [Fact]
    public void Fleet_PlatformMix_IsAbout40Maritime20Aero40Fixed()
    {
        var fleet = Create(count: 5000);

        var shares = fleet.Terminals.GroupBy(t => t.PlatformType).ToDictionary(g => g.Key, g => g.Count() / 5000.0);

        Assert.InRange(shares[MpowerTerminal.Maritime], 0.37, 0.43);
        Assert.InRange(shares[MpowerTerminal.Aero], 0.17, 0.23);
        Assert.InRange(shares[MpowerTerminal.Fixed], 0.37, 0.43);
        Assert.Equal("TERM-000123", fleet.Terminals[123].ObjectName);
        Assert.All(fleet.Terminals, t => Assert.DoesNotContain(
            "", new[] { t.Key.VnoId, t.Key.SiteName, t.Key.CustomerId, t.Key.ServiceId, t.Key.BeamId, t.Key.ContractId }));
    }

    [Fact]
    public void Fleet_SameSeedDifferentSize_SharesItsTerminals()
    {
        var small = Create(count: 50);
        var large = Create(count: 500);
        var time = MpowerHarness.Start;

        Assert.Equal(small.Terminals, large.Terminals.Take(50));
        Assert.Equal(small.Sample(small.Terminals[17], time), large.Sample(large.Terminals[17], time));
    }

    [Fact]
    public void Fleet_SilentTerminals_StopReportingForGood()
    {
        var fleet = Create(count: 2000);
        var silent = fleet.Terminals.Where(t => t.SilentFrom is not null).ToList();

        Assert.InRange(silent.Count, 40, 80);
        Assert.All(silent, t => Assert.InRange(t.SilentFrom!.Value, HistoryStart.AddDays(25), HistoryStart.AddDays(35)));
        var terminal = silent[0];
        var silentFrom = terminal.SilentFrom!.Value;
        var around = fleet.MessagesBetween(silentFrom.AddMinutes(-10), silentFrom.AddMinutes(10))
            .Where(m => m.Event.Key.ObjectName == terminal.ObjectName).ToList();
        Assert.NotEmpty(around);
        Assert.All(around, m => Assert.True(m.EventTime < silentFrom));
        Assert.DoesNotContain(fleet.MessagesBetween(silentFrom.AddDays(1), silentFrom.AddDays(1).AddMinutes(5)),
            m => m.Event.Key.ObjectName == terminal.ObjectName);
    }

    [Fact]
    public async Task PmReports_SilentTerminal_HasNoMessagesAfterItStops()
    {
        await using var h = await MpowerHarness.StartAsync(o => o.SilentTerminalPercent = 50);
        var id = await h.LoginAndSubscribeAsync();
        var terminal = h.Fleet.Terminals.First(t => t.SilentFrom < MpowerHarness.Start.AddMinutes(-30));
        var silentFrom = terminal.SilentFrom!.Value;

        using var response = await h.GetPmReportsAsync(id, MpowerHarness.Range(silentFrom.AddMinutes(-5), silentFrom.AddMinutes(5)));

        var times = (await MpowerHarness.ReadMessagesAsync(response))
            .Where(m => m.Event.Key.ObjectName == terminal.ObjectName).Select(m => m.EventTime).ToList();
        Assert.NotEmpty(times);
        Assert.All(times, t => Assert.True(t < silentFrom));
    }

    [Fact]
    public void Fleet_OfflineStretches_CarryNoTrafficAndEnd()
    {
        var fleet = Create(count: 60, silentPercent: 0);
        var day = fleet.MessagesBetween(MpowerHarness.Start.AddDays(-1), MpowerHarness.Start).ToList();

        var offline = day.Where(m => m.Event.Metrics.TerminalStatus == "OFFLINE").ToList();
        Assert.InRange(offline.Count / (double)day.Count, 0.001, 0.1);
        Assert.All(offline, m =>
        {
            Assert.Equal(0, m.Event.Metrics.ForwardThroughputDelivered);
            Assert.Equal(0, m.Event.Metrics.ReturnThroughputDelivered);
            Assert.Equal(0, m.Event.Metrics.ForwardVolume);
            Assert.Contains(m.Event.Metrics.ServiceStatus, new[] { "ACTIVE", "SUSPENDED" });
        });
        Assert.Contains(offline, m => m.Event.Metrics.ServiceStatus == "SUSPENDED");

        // Every terminal that went offline is online again at some later sample of the day.
        var lastOnline = day.Where(m => m.Event.Metrics.TerminalStatus == "ONLINE")
            .GroupBy(m => m.Event.Key.ObjectName).ToDictionary(g => g.Key, g => g.Max(m => m.EventTime));
        Assert.All(offline.GroupBy(m => m.Event.Key.ObjectName), g => Assert.True(lastOnline[g.Key] > g.Min(m => m.EventTime)));
    }

    [Fact]
    public void Fleet_MovingTerminals_HeadingFollowsTheTrackAndAltitudeFitsThePlatform()
    {
        var fleet = Create(count: 60);
        var t0 = MpowerHarness.Start;

        foreach (var terminal in fleet.Terminals)
        {
            var a = fleet.Sample(terminal, t0).Event.Metrics;
            var b = fleet.Sample(terminal, t0.AddMinutes(1)).Event.Metrics;
            switch (terminal.PlatformType)
            {
                case MpowerTerminal.Fixed:
                    Assert.Equal((a.Latitude, a.Longitude), (b.Latitude, b.Longitude));
                    break;
                default:
                    var north = b.Latitude - a.Latitude;
                    var east = (b.Longitude - a.Longitude) * Math.Cos(terminal.HomeLatitude * Math.PI / 180);
                    var bearing = (Math.Atan2(east, north) * 180 / Math.PI + 360) % 360;
                    var difference = Math.Abs(((bearing - a.Heading + 540) % 360) - 180);
                    Assert.True(difference < 5, $"{terminal.ObjectName}: moved towards {bearing:F1}° but reports heading {a.Heading}°");
                    Assert.InRange(a.Latitude, -50.5, 50.5);
                    break;
            }

            if (terminal.PlatformType == MpowerTerminal.Aero)
            {
                Assert.InRange(a.Altitude, 9_000, 12_500);
            }
            else if (terminal.PlatformType == MpowerTerminal.Maritime)
            {
                Assert.InRange(a.Altitude, 0, 30);
            }
        }
    }

    [Fact]
    public void Fleet_Metrics_FollowTheDailyPatternAndStayConsistent()
    {
        var fleet = Create(count: 300, silentPercent: 0);
        // Local time follows longitude: compare each terminal's local afternoon with its local early morning.
        double Utilization(MpowerTerminal t, double localHour)
        {
            var utcHour = ((localHour - (t.HomeLongitude / 15)) % 24 + 24) % 24;
            return fleet.Sample(t, MpowerHarness.Start.AddHours(-8 + utcHour)).Event.Metrics.ForwardThroughputUtilization;
        }

        var fixedTerminals = fleet.Terminals.Where(t => t.PlatformType == MpowerTerminal.Fixed).ToList();
        Assert.True(fixedTerminals.Average(t => Utilization(t, 15)) > fixedTerminals.Average(t => Utilization(t, 4)) + 20);

        var online = fleet.MessagesBetween(MpowerHarness.Start.AddHours(-2), MpowerHarness.Start)
            .Where(m => m.Event.Metrics.TerminalStatus == "ONLINE").Select(m => m.Event.Metrics).ToList();
        Assert.All(online, m =>
        {
            Assert.Equal(m.ForwardThroughputDelivered * 60 / 8, m.ForwardVolume, 0.01);
            Assert.Equal(100 * m.ForwardThroughputDelivered / m.ForwardMir, m.ForwardThroughputUtilization, 0.1);
            Assert.Equal(m.ForwardMir, m.ForwardCir + m.ForwardEir, 1e-9);
            Assert.InRange(m.ForwardThroughputUtilization, 0, 100);
            Assert.InRange(m.Latency, 100, 200);
            Assert.InRange(m.ForwardEsNo, 3, 16);
        });
    }

    [Fact]
    public void Fleet_EventIds_AreStablePerSampleAndUnique()
    {
        var fleet = Create(count: 50);
        var window = fleet.MessagesBetween(MpowerHarness.Start.AddHours(-1), MpowerHarness.Start).ToList();

        Assert.Equal(window.Count, window.Select(m => m.EventId).Distinct().Count());
        Assert.Equal(window.Select(m => m.EventId), Create(count: 50).MessagesBetween(MpowerHarness.Start.AddHours(-1), MpowerHarness.Start).Select(m => m.EventId));
    }

    [Fact]
    public void Fleet_CountAndOffset_AgreeWithFullEnumeration()
    {
        var fleet = Create(count: 40, silentPercent: 30);
        var from = HistoryStart.AddDays(25);
        var to = HistoryStart.AddDays(25).AddHours(12);
        var all = fleet.MessagesBetween(from, to).ToList();

        Assert.Equal(all.Count, fleet.CountBetween(from, to));
        Assert.Equal(all.Skip(9_001).Take(250), fleet.MessagesBetween(from, to, 9_001, 250));
        Assert.Empty(fleet.MessagesBetween(HistoryStart.AddDays(-2), HistoryStart.AddMinutes(-1)));
        Assert.Equal(fleet.Terminals.Count, fleet.CountBetween(HistoryStart.AddTicks(-1), HistoryStart.AddTicks(1)));
    }
}
