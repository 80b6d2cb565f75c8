namespace Satmon.Simulators.SesInventory.Model;

/// <summary>
/// When each item of one entity type is created, updated, retired (and gone), and for modems when it has an outage,
/// as closed-form functions of (seed, slot, epoch): no state is kept, so any time can be computed in O(1) per item.
/// An epoch is one <c>ChangeInterval</c>; epoch 0 starts at the origin and everything visible at a time is what
/// happened up to the start of its epoch.
/// </summary>
internal sealed class Lifecycle
{
    private static readonly TimeSpan OneDay = TimeSpan.FromDays(1);

    // History of the initial items reaches this far back before the origin.
    private static readonly TimeSpan InitialHistory = TimeSpan.FromDays(3 * 365);

    private readonly int seed;
    private readonly long salt;
    private readonly long initialCount;
    private readonly double newPerEpoch;
    private readonly double retireLog;
    private readonly double gonePercent;
    private readonly double initialRetiredPercent;
    private readonly long minPeriod;
    private readonly long maxPeriod;
    private readonly double outagePercent;
    private readonly long intervalTicks;
    private readonly long originTicks;

    public Lifecycle(SesInventorySimulatorOptions options, InventoryEntity entity, long initialCount, DateTimeOffset origin)
    {
        seed = options.Seed;
        salt = (long)entity << 40;
        this.initialCount = initialCount;
        intervalTicks = options.ChangeInterval.Ticks;
        originTicks = origin.UtcTicks;
        var epochsPerDay = (double)OneDay.Ticks / intervalTicks;
        newPerEpoch = initialCount * options.NewItemsPercentPerDay / 100.0 / epochsPerDay;
        var retirePerEpoch = options.RetiredItemsPercentPerDay / 100.0 / epochsPerDay;
        retireLog = retirePerEpoch <= 0 ? 0 : Math.Log(1.0 - Math.Min(retirePerEpoch, 0.999999));
        gonePercent = options.GonePercentOfRetired;
        initialRetiredPercent = options.InitialNonOperationalPercent;
        minPeriod = Math.Max(1, options.MinUpdatePeriod.Ticks / intervalTicks);
        maxPeriod = Math.Max(minPeriod, options.MaxUpdatePeriod.Ticks / intervalTicks);
        outagePercent = options.ModemOutagePercent;
    }

    /// <summary>Slots that exist (in any state) at <paramref name="epoch"/>; new slots are appended.</summary>
    public long SlotCount(long epoch) => initialCount + (long)Math.Floor(epoch * newPerEpoch);

    /// <summary>First epoch at which <paramref name="slot"/> exists.</summary>
    public long CreatedEpoch(long slot)
    {
        if (slot < initialCount)
        {
            return 0;
        }

        var needed = slot - initialCount + 1;
        var epoch = (long)Math.Ceiling(needed / newPerEpoch);

        // Floating point can land one epoch off either way; settle on the exact first epoch.
        while (epoch > 1 && SlotCount(epoch - 1) > slot)
        {
            epoch--;
        }

        while (SlotCount(epoch) <= slot)
        {
            epoch++;
        }

        return epoch;
    }

    /// <summary>When the item was created (initial items: spread over the three years before the origin).</summary>
    public long CreatedTicks(long slot)
    {
        var created = CreatedEpoch(slot);
        if (created == 0)
        {
            return WholeSeconds(originTicks - (long)(InventoryHash.Unit(seed, Salt.Created, salt | slot) * InitialHistory.Ticks));
        }

        return EpochStartTicks(created) - Jitter(Salt.CreatedJitter, slot, created);
    }

    /// <summary>Epoch from which the item is retired; <see cref="long.MinValue"/> = retired before the origin, <see cref="long.MaxValue"/> = never.</summary>
    public long RetireEpoch(long slot)
    {
        if (slot < initialCount && InventoryHash.Unit(seed, Salt.InitialRetired, salt | slot) * 100.0 < initialRetiredPercent)
        {
            return long.MinValue;
        }

        if (retireLog == 0)
        {
            return long.MaxValue;
        }

        // Geometric distribution: the number of epochs an item survives with a fixed chance per epoch.
        var u = InventoryHash.Unit(seed, Salt.Retire, salt | slot);
        var survived = Math.Floor(Math.Log(1.0 - u) / retireLog);
        return survived > int.MaxValue ? long.MaxValue : CreatedEpoch(slot) + 1 + (long)survived;
    }

    /// <summary>A retired item that leaves the API (true) or stays with a non-Operational status (false).</summary>
    public bool IsGoneWhenRetired(long slot) =>
        InventoryHash.Unit(seed, Salt.Gone, salt | slot) * 100.0 < gonePercent;

    /// <summary>The non-Operational status a retired item shows.</summary>
    public InventoryStatus RetiredStatus(long slot) => InventoryHash.Pick(3, seed, Salt.RetiredStatus, salt | slot) switch
    {
        0 => InventoryStatus.NonOperational,
        1 => InventoryStatus.Retired,
        _ => InventoryStatus.RepairInProgress,
    };

    /// <summary>When a retired item was retired.</summary>
    public long RetiredTicks(long slot, long retireEpoch)
    {
        if (retireEpoch != long.MinValue)
        {
            return EpochStartTicks(retireEpoch) - Jitter(Salt.Retire, slot, retireEpoch);
        }

        // Retired before the origin: some time in the last 90 days, never before its creation.
        var ago = (long)(InventoryHash.Unit(seed, Salt.Retire, salt | slot, 1) * TimeSpan.FromDays(90).Ticks);
        return Math.Max(CreatedTicks(slot), WholeSeconds(originTicks - ago));
    }

    /// <summary>
    /// The latest regular update at or before <paramref name="epoch"/>: each item is updated every P epochs
    /// (P between the min and max update period) at its own phase, published at an epoch start.
    /// </summary>
    public long LastRegularUpdateTicks(long slot, long epoch)
    {
        var period = InventoryHash.Between(minPeriod, maxPeriod, seed, Salt.UpdatePeriod, salt | slot);
        var phase = InventoryHash.Pick((int)Math.Min(period, int.MaxValue), seed, Salt.UpdatePhase, salt | slot);
        var updateEpoch = phase + (FloorDiv(epoch - phase, period) * period);
        return EpochStartTicks(updateEpoch) - Jitter(Salt.UpdateJitter, slot, updateEpoch);
    }

    /// <summary>
    /// Whether a modem is in an outage at <paramref name="epoch"/>, and when its status last changed (0 if not in
    /// the last few cycles). Each modem has cycles of one to four days; in some cycles it is down for a few hours.
    /// </summary>
    public (bool Down, long LastChangeTicks) ModemState(long slot, long epoch)
    {
        var cycle = Math.Max(2, (long)Math.Round(InventoryHash.Between(24, 96, seed, Salt.ModemCycle, salt | slot) * (double)TimeSpan.TicksPerHour / intervalTicks));
        var phase = InventoryHash.Pick((int)Math.Min(cycle, int.MaxValue), seed, Salt.ModemPhase, salt | slot);
        var k = FloorDiv(epoch - phase, cycle);
        for (var back = 0; back < 8; back++, k--)
        {
            if (InventoryHash.Unit(seed, Salt.ModemOutage, salt | slot, k) * 100.0 >= outagePercent)
            {
                continue;
            }

            var hours = InventoryHash.Between(2, 12, seed, Salt.ModemOutageLength, salt | slot, k);
            var length = Math.Clamp((long)Math.Round(hours * (double)TimeSpan.TicksPerHour / intervalTicks), 1, cycle - 1);
            var start = phase + (k * cycle) + InventoryHash.Pick((int)Math.Min(cycle - length, int.MaxValue), seed, Salt.ModemOutageStart, salt | slot, k);
            var end = start + length;
            if (epoch >= end)
            {
                return (false, EpochStartTicks(end) - Jitter(Salt.ModemJitter, slot, end));
            }

            if (epoch >= start)
            {
                return (true, EpochStartTicks(start) - Jitter(Salt.ModemJitter, slot, start));
            }
        }

        return (false, 0);
    }

    public long EpochStartTicks(long epoch) => originTicks + (epoch * intervalTicks);

    // A change published at the start of an epoch happened during the interval before it.
    private long Jitter(Salt kind, long slot, long epoch) =>
        (long)(InventoryHash.Unit(seed, kind, salt | slot, epoch) * (intervalTicks - TimeSpan.TicksPerSecond)) / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond;

    // API timestamps carry whole seconds, so a client comparing them to ours sees equal values.
    private static long WholeSeconds(long ticks) => ticks - (ticks % TimeSpan.TicksPerSecond);

    private static long FloorDiv(long a, long b) => (a / b) - ((a % b != 0 && (a < 0) != (b < 0)) ? 1 : 0);
}
