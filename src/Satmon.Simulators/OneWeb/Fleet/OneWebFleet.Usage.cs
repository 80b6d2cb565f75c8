namespace Satmon.Simulators.OneWeb.Fleet;

/// <summary>Usage consumption: a pure function of (seed, product, bill cycle, time).</summary>
public sealed partial class OneWebFleet
{
    /// <summary>Start of the bill cycle holding <paramref name="time"/>: the reference day, 00:00 UTC.</summary>
    public DateTimeOffset BillCycleStart(DateTimeOffset time)
    {
        var utc = time.ToUniversalTime();
        var candidate = new DateTimeOffset(utc.Year, utc.Month, BillCycleReferenceDay, 0, 0, 0, TimeSpan.Zero);
        return candidate > utc ? candidate.AddMonths(-1) : candidate;
    }

    /// <summary>
    /// Usage of <paramref name="product"/> at <paramref name="at"/>: grows monotonically through the cycle
    /// towards 40 %–150 % of the entitlement (drawn per product and cycle), adds an overage block each time use
    /// passes the entitlement plus the blocks so far, and starts again from zero at the next cycle.
    /// </summary>
    public OneWebUsageSnapshot UsageAt(OneWebProduct product, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(product);
        var cycleStart = BillCycleStart(at);
        var cycleEnd = cycleStart.AddMonths(1);
        var cycleKey = cycleStart.UtcTicks / TimeSpan.TicksPerDay;
        var ratio = StableHash.Between(0.4, 1.5, Seed, Salt.UsageRatio, product.Index, cycleKey);
        var phase = 2 * Math.PI * StableHash.Unit(Seed, Salt.UsageShape, product.Index, cycleKey);
        var x = (at - cycleStart) / (cycleEnd - cycleStart);

        // x plus a small wave that is 0 at both ends; its slope never drops below 1 − 0.1π > 0, so use only grows.
        var shape = x + (0.05 * (Math.Sin((2 * Math.PI * x) + phase) - Math.Sin(phase)));

        // Flooring to 0.01 GB keeps the served numbers monotonic too.
        var entitlement = product.MonthlyEntitlementGb;
        var used = Math.Floor(Math.Max(0, entitlement * ratio * shape) * 100) / 100;
        var blocks = used > entitlement ? (int)Math.Ceiling(Math.Round((used - entitlement) / product.OverageBlockGb, 9)) : 0;
        return new OneWebUsageSnapshot(
            product.Id,
            at,
            cycleStart,
            cycleEnd,
            entitlement,
            used,
            Math.Round(Math.Max(0, entitlement - used), 2),
            blocks,
            product.OverageBlockGb,
            Math.Round(entitlement + (blocks * product.OverageBlockGb) - used, 2));
    }
}
