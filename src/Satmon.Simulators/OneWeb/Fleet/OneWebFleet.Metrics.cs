namespace Satmon.Simulators.OneWeb.Fleet;

/// <summary>Performance metrics and terminal state: pure functions of (seed, terminal, interval).</summary>
public sealed partial class OneWebFleet
{
    // Outages come in whole two-hour blocks so that a terminal stays offline for a while and comes back.
    private static readonly TimeSpan OutageBlock = TimeSpan.FromHours(2);
    private const int LastSeenSearchBlocks = 84;

    /// <summary>Whether the terminal is online at <paramref name="time"/>.</summary>
    public bool IsOnline(OneWebTerminal terminal, DateTimeOffset time)
    {
        ArgumentNullException.ThrowIfNull(terminal);
        return IsOnlineInBlock(terminal.Index, BlockOf(time));
    }

    /// <summary>Current resource state and last-seen time of a terminal as the inventory reports them.</summary>
    public OneWebTerminalState StateAt(OneWebTerminal terminal, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(terminal);
        var block = BlockOf(now);
        if (IsOnlineInBlock(terminal.Index, block))
        {
            var minute = now.UtcTicks / TimeSpan.TicksPerMinute;
            var ago = TimeSpan.FromSeconds(Math.Floor(StableHash.Between(0, 60, Seed, Salt.LastSeen, terminal.Index, minute)));
            return new OneWebTerminalState(true, Max(terminal.FirstSeen, TruncateToSecond(now - ago)));
        }

        // Offline: last seen when the current outage began (searching back a bounded number of blocks).
        var first = block;
        while (first > block - LastSeenSearchBlocks && !IsOnlineInBlock(terminal.Index, first - 1))
        {
            first--;
        }

        return new OneWebTerminalState(false, Max(terminal.FirstSeen, new DateTimeOffset(first * OutageBlock.Ticks, TimeSpan.Zero)));
    }

    /// <summary>Every metric of one terminal in the interval that holds <paramref name="intervalStart"/>.</summary>
    public OneWebTerminalSample TerminalSample(OneWebTerminal terminal, DateTimeOffset intervalStart)
    {
        ArgumentNullException.ThrowIfNull(terminal);
        var start = AlignToInterval(intervalStart);
        var end = start + Granularity;
        var i = terminal.Index;
        var k = start.UtcTicks / Granularity.Ticks;
        var seconds = (int)Granularity.TotalSeconds;
        var online = IsOnline(terminal, start);
        var changes = online == IsOnline(terminal, start - Granularity) ? 0 : 1;
        if (!online)
        {
            return new OneWebTerminalSample(
                terminal.Imei, start, end, false, 0, -10, -10, -10, 0, seconds, changes, 0, 0, 0, 100, 0, 0, 0, 0);
        }

        var product = Products[i];
        var (dlAvg, dlMax, ulAvg, ulMax) = Throughput(terminal, product, start, k);
        var sinrBase = StableHash.Between(6, 14, Seed, Salt.SignalBase, i);
        var sinrAvg = sinrBase + (2 * Math.Sin(2 * Math.PI * (k % 96) / 96.0)) + StableHash.Between(-1.5, 1.5, Seed, Salt.Signal, i, k);
        var load = StableHash.Between(0.3, 1.0, Seed, Salt.Load, i);
        var latency = 32 + (10 * Diurnal(terminal, start) * load) + StableHash.Between(0, 25, Seed, Salt.Latency, i, k);
        var loss = 2.0 * Math.Pow(StableHash.Unit(Seed, Salt.Loss, i, k), 4);
        var availability = 100 - (3 * Math.Pow(StableHash.Unit(Seed, Salt.Availability, i, k), 3));
        return new OneWebTerminalSample(
            terminal.Imei, start, end, true,
            Math.Round(availability, 2),
            Math.Round(sinrAvg, 2),
            Math.Round(sinrAvg - StableHash.Between(1, 4, Seed, Salt.SignalBase, i, k), 2),
            Math.Round(sinrAvg + StableHash.Between(1, 3, Seed, Salt.Signal, i, -k), 2),
            seconds, 0, changes,
            (long)Math.Round(dlAvg * 1_000_000 / 8 * seconds),
            (long)Math.Round(ulAvg * 1_000_000 / 8 * seconds),
            Math.Round(latency, 1),
            Math.Round(loss, 3),
            dlAvg, dlMax, ulAvg, ulMax);
    }

    /// <summary>Throughput of one product in the interval that holds <paramref name="intervalStart"/>.</summary>
    public OneWebProductSample ProductSample(OneWebProduct product, DateTimeOffset intervalStart)
    {
        ArgumentNullException.ThrowIfNull(product);
        var t = TerminalSample(Terminals[product.Index], intervalStart);
        return new OneWebProductSample(
            product.Id, t.IntervalStart, t.IntervalEnd,
            t.ThroughputDownlinkMbpsAvg, t.ThroughputDownlinkMbpsMax, t.ThroughputUplinkMbpsAvg, t.ThroughputUplinkMbpsMax);
    }

    private (double DlAvg, double DlMax, double UlAvg, double UlMax) Throughput(
        OneWebTerminal terminal, OneWebProduct product, DateTimeOffset start, long k)
    {
        var i = terminal.Index;
        var load = StableHash.Between(0.3, 1.0, Seed, Salt.Load, i);
        var noise = StableHash.Between(0.8, 1.2, Seed, Salt.Load, i, k);
        var peak = StableHash.Between(1.2, 2.0, Seed, Salt.Peak, i, k);
        var dlAvg = product.DownlinkMirMbps * (0.05 + (0.55 * Diurnal(terminal, start) * load)) * noise;
        var dlMax = Math.Min(product.DownlinkMirMbps, dlAvg * peak);
        var ulAvg = Math.Min(product.UplinkMirMbps * 0.9, dlAvg * StableHash.Between(0.1, 0.25, Seed, Salt.Uplink, i, k));
        var ulMax = Math.Min(product.UplinkMirMbps, ulAvg * peak);
        return (Math.Round(dlAvg, 3), Math.Round(dlMax, 3), Math.Round(ulAvg, 3), Math.Round(ulMax, 3));
    }

    // 0 at 02:00 local solar time, 1 at 14:00: traffic follows the working day of the site.
    private static double Diurnal(OneWebTerminal terminal, DateTimeOffset start)
    {
        var localHours = start.UtcDateTime.TimeOfDay.TotalHours + (terminal.Longitude / 15.0);
        localHours = ((localHours % 24) + 24) % 24;
        return 0.5 + (0.5 * Math.Sin(2 * Math.PI * (localHours - 8) / 24.0));
    }

    private bool IsOnlineInBlock(int index, long block)
    {
        // A tenth of the fleet is flaky; the rest drops out rarely.
        var probability = StableHash.Unit(Seed, Salt.Offline, index, -1) < 0.1 ? 0.15 : 0.02;
        return StableHash.Unit(Seed, Salt.Offline, index, block) >= probability;
    }

    private static long BlockOf(DateTimeOffset time) => time.UtcTicks / OutageBlock.Ticks;

    private static DateTimeOffset TruncateToSecond(DateTimeOffset t) =>
        new(t.UtcTicks - (t.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
