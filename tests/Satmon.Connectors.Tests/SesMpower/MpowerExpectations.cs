using Satmon.Connectors.Tests.Support;
using Satmon.Simulators.SesMpower;

namespace Satmon.Connectors.Tests.SesMpower;

/// <summary>Compares what an element stored with what the simulator's fleet produced.</summary>
internal static class MpowerExpectations
{
    /// <summary>Columns compared with the fleet, one per kind of metric.</summary>
    public static readonly (string Column, Func<MpowerMetrics, double> Read)[] Columns =
    [
        ("latency", m => m.Latency),
        ("forwardEsNo", m => m.ForwardEsNo),
        ("forwardThroughputDelivered", m => m.ForwardThroughputDelivered),
        ("latitude", m => m.Latitude),
    ];

    /// <summary>
    /// Every sample the fleet produced for the first <paramref name="terminals"/> terminals in (from, to) is in the
    /// history exactly once, with its value, and nothing else is.
    /// </summary>
    public static async Task AssertHistoryMatchesFleetAsync(
        MpowerTestBed bed, string elementId, DateTimeOffset from, DateTimeOffset to, int terminals = 3, ElementHarness? harness = null)
    {
        var fleet = bed.Simulator.Fleet;
        foreach (var terminal in fleet.Terminals.Take(terminals))
        {
            var expected = fleet.SampleTimesBetween(from, to).Where(terminal.ReportsAt).Select(t => fleet.Sample(terminal, t)).ToList();
            Assert.NotEmpty(expected);
            foreach (var (column, read) in Columns)
            {
                var stored = await bed.HistoryAsync(elementId, terminal.ObjectName, column, from.AddTicks(1), to, harness);
                Assert.Equal(expected.Select(m => (m.EventTime, read(m.Event.Metrics))), stored.Select(s => (s.Time, s.Value)));
            }
        }
    }
}
