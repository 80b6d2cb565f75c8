using System.Globalization;
using Satmon.Simulators.SesInventory.Model;

namespace Satmon.Simulators.SesInventory;

/// <summary>
/// The deterministic inventory behind the simulator: a pure function of (options, origin, data faults, time).
/// Items live in slots (list order = creation order, new items appended); at the origin each list holds exactly the
/// configured count, afterwards items are updated, created and retired every <see cref="ChangeInterval"/>.
/// Tests use it to compute what a page must hold; nothing here is precomputed beyond one snapshot per list.
/// </summary>
public sealed class InventoryGenerator
{
    // Odd multiplier: multiplication modulo 2^64 is then a bijection, so an id can be decoded back to its slot.
    private const ulong IdMultiplier = 0x9E3779B97F4A7C15UL;
    private static readonly ulong IdInverse = Inverse(IdMultiplier);

    private readonly int seed;
    private readonly Lifecycle[] lifecycles;
    private readonly Lock[] gates = [new(), new(), new()];
    private readonly Snapshot?[] snapshots = new Snapshot?[3];
    private readonly MatchCache?[] matches = new MatchCache?[3];
    private readonly Lock faultGate = new();
    private InventoryDataFaults dataFaults;
    private int dataVersion;

    /// <param name="options">Seed, sizes and rates (validated by the simulator).</param>
    /// <param name="origin">Start of the timeline (kept to whole seconds).</param>
    public InventoryGenerator(SesInventorySimulatorOptions options, DateTimeOffset origin)
    {
        ArgumentNullException.ThrowIfNull(options);
        seed = options.Seed;
        Origin = new DateTimeOffset(origin.UtcTicks - (origin.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        ChangeInterval = options.ChangeInterval;
        StatusFilterKeepsModems = options.StatusFilterKeepsModems;
        lifecycles =
        [
            new Lifecycle(options, InventoryEntity.Services, options.ServiceCount, Origin),
            new Lifecycle(options, InventoryEntity.Carriers, options.CarrierCount, Origin),
            new Lifecycle(options, InventoryEntity.Resources, options.ResourceCount, Origin),
        ];
        dataFaults = InventoryDataFaults.From(options);
        dataFaults.Validate();
    }

    /// <summary>Resource types the connector must drop before storage.</summary>
    public static IReadOnlyList<string> ExcludedResourceTypes { get; } = ResourceCatalog.Excluded;

    /// <summary>Start of the timeline: the lists hold exactly the configured counts in the first interval.</summary>
    public DateTimeOffset Origin { get; }

    /// <summary>The data are constant within one interval and change at its end.</summary>
    public TimeSpan ChangeInterval { get; }

    /// <summary>Whether <c>status=1</c> returns modems whatever their status (option <c>StatusFilterKeepsModems</c>).</summary>
    public bool StatusFilterKeepsModems { get; }

    /// <summary>The data faults in force; setting them changes the lists from the next request on.</summary>
    public InventoryDataFaults DataFaults
    {
        get => Volatile.Read(ref dataFaults);
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            value.Validate();
            lock (faultGate)
            {
                Volatile.Write(ref dataFaults, value);

                // Resource types (hence which slots are modems) depend on the excluded share: snapshots are rebuilt.
                Interlocked.Increment(ref dataVersion);
            }
        }
    }

    /// <summary>Number of the change interval <paramref name="at"/> falls in (0 before and in the first one).</summary>
    public long EpochAt(DateTimeOffset at) =>
        at <= Origin ? 0 : (at - Origin).Ticks / ChangeInterval.Ticks;

    /// <summary>The items a list call with <paramref name="filter"/> returns at <paramref name="at"/>, in API order.</summary>
    public IReadOnlyList<InventoryItem> List(InventoryEntity entity, DateTimeOffset at, InventoryFilter? filter = null)
    {
        var (snapshot, slots) = Match(entity, at, filter ?? InventoryFilter.None);
        var items = new InventoryItem[slots.Length];
        for (var i = 0; i < slots.Length; i++)
        {
            items[i] = ItemOf(entity, slots[i], snapshot);
        }

        return items;
    }

    /// <summary>How many items a list call with <paramref name="filter"/> returns at <paramref name="at"/>.</summary>
    public int Count(InventoryEntity entity, DateTimeOffset at, InventoryFilter? filter = null) =>
        Match(entity, at, filter ?? InventoryFilter.None).Slots.Length;

    /// <summary>The item with TMF <paramref name="id"/> at <paramref name="at"/>, or null if it does not exist (then).</summary>
    public InventoryItem? Find(InventoryEntity entity, string id, DateTimeOffset at)
    {
        if (!TryDecodeId(entity, id, out var slot))
        {
            return null;
        }

        var snapshot = SnapshotAt(entity, at);
        return slot < snapshot.SlotCount && snapshot.Status[slot] != InventoryStatus.Absent ? ItemOf(entity, slot, snapshot) : null;
    }

    /// <summary>Slots created up to <paramref name="at"/> (existing, retired or gone).</summary>
    public long SlotCount(InventoryEntity entity, DateTimeOffset at) => lifecycles[(int)entity].SlotCount(EpochAt(at));

    /// <summary>The item in <paramref name="slot"/> at <paramref name="at"/>; its status is Absent when it is not listed.</summary>
    public InventoryItem Item(InventoryEntity entity, long slot, DateTimeOffset at)
    {
        var snapshot = SnapshotAt(entity, at);
        ArgumentOutOfRangeException.ThrowIfNegative(slot);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(slot, snapshot.SlotCount);
        return ItemOf(entity, slot, snapshot);
    }

    /// <summary>The TMF id of a slot: 32 hex digits, decodable back to the slot.</summary>
    public string IdOf(InventoryEntity entity, long slot)
    {
        var high = InventoryHash.Of(seed, Salt.Identity, SaltOf(entity) | slot);
        var low = ((ulong)slot ^ IdMask(entity)) * IdMultiplier;
        return string.Create(CultureInfo.InvariantCulture, $"{high:x16}{low:x16}");
    }

    /// <summary>The externalId as the API writes it, data faults applied (services and carriers only).</summary>
    public string? ExternalIdOf(InventoryEntity entity, long slot)
    {
        if (entity == InventoryEntity.Resources)
        {
            return BaseExternalId(entity, slot);
        }

        var faults = DataFaults;
        var u = InventoryHash.Unit(seed, Salt.ExternalIdFault, SaltOf(entity) | slot) * 100.0;
        if (u < faults.NullExternalIdPercent)
        {
            return null;
        }

        if (u < faults.NullExternalIdPercent + faults.EmptyExternalIdPercent)
        {
            return "";
        }

        if (u < faults.NullExternalIdPercent + faults.EmptyExternalIdPercent + faults.DuplicateExternalIdPercent)
        {
            var distance = 1 + InventoryHash.Pick(60, seed, Salt.DuplicateDistance, SaltOf(entity) | slot);
            return BaseExternalId(entity, slot >= distance ? slot - distance : slot);
        }

        return BaseExternalId(entity, slot);
    }

    internal int Seed => seed;

    internal Lifecycle LifecycleOf(InventoryEntity entity) => lifecycles[(int)entity];

    internal static long SaltOf(InventoryEntity entity) => (long)entity << 40;

    internal static string BaseExternalId(InventoryEntity entity, long slot) => entity switch
    {
        InventoryEntity.Services => string.Create(CultureInfo.InvariantCulture, $"CFS-{slot + 1:D6}"),
        InventoryEntity.Carriers => string.Create(CultureInfo.InvariantCulture, $"CAR-{slot + 1:D6}"),
        _ => string.Create(CultureInfo.InvariantCulture, $"RES-{slot + 1:D7}"),
    };

    internal string NameOf(InventoryEntity entity, long slot, Snapshot snapshot) => entity switch
    {
        InventoryEntity.Services => string.Create(CultureInfo.InvariantCulture, $"SES-CFS-{slot + 1:D6}"),
        InventoryEntity.Carriers => BaseExternalId(entity, slot),
        _ => string.Create(CultureInfo.InvariantCulture, $"{ResourceCatalog.Name(ResourceTypeIndex(slot, snapshot)).ToUpperInvariant()}-{slot + 1:D6}"),
    };

    internal static int ResourceTypeIndex(long slot, Snapshot snapshot) => snapshot.ResourceTypes![slot];

    /// <summary>The resource type index of <paramref name="slot"/> under the current data faults (any slot, existing or not).</summary>
    internal int ResourceTypeOf(long slot) => ResourceCatalog.Pick(DataFaults.ExcludedTypePercent, seed, slot);

    internal Snapshot SnapshotAt(InventoryEntity entity, DateTimeOffset at)
    {
        var epoch = EpochAt(at);
        var version = Volatile.Read(ref dataVersion);
        var index = (int)entity;
        var current = Volatile.Read(ref snapshots[index]);
        if (current is not null && current.Epoch == epoch && current.DataVersion == version)
        {
            return current;
        }

        // One build per (list, epoch): concurrent page requests wait for it instead of building their own.
        lock (gates[index])
        {
            current = snapshots[index];
            if (current is null || current.Epoch != epoch || current.DataVersion != version)
            {
                var excluded = DataFaults.ExcludedTypePercent;
                Func<long, int>? type = entity == InventoryEntity.Resources ? slot => ResourceCatalog.Pick(excluded, seed, slot) : null;
                current = Snapshot.Build(lifecycles[index], epoch, version, type);
                Volatile.Write(ref snapshots[index], current);
            }

            return current;
        }
    }

    /// <summary>Slots a list call returns, in order; the last answer per list is cached (paging repeats the same call).</summary>
    internal (Snapshot Snapshot, int[] Slots) Match(InventoryEntity entity, DateTimeOffset at, InventoryFilter filter)
    {
        var snapshot = SnapshotAt(entity, at);
        // lastUpdate values are whole seconds, so rounding the bound up to a second selects exactly the same items
        // while letting every call within that second reuse the cached answer.
        var since = filter.UpdatedSince(at) is { } bound ? CeilingToSecond(bound.UtcTicks) : long.MinValue;
        var keepModems = StatusFilterKeepsModems && entity == InventoryEntity.Resources;
        var key = new MatchKey(snapshot, filter.OperationalOnly, since);
        var cached = Volatile.Read(ref matches[(int)entity]);
        if (cached is not null && cached.Key == key)
        {
            return (snapshot, cached.Slots);
        }

        var result = new List<int>(Math.Min(snapshot.SlotCount, 4096));
        for (var slot = 0; slot < snapshot.SlotCount; slot++)
        {
            var status = snapshot.Status[slot];
            if (status == InventoryStatus.Absent
                || (filter.OperationalOnly && status != InventoryStatus.Operational && !(keepModems && snapshot.IsModem(slot)))
                || snapshot.LastUpdateTicks[slot] < since)
            {
                continue;
            }

            result.Add(slot);
        }

        var slots = result.ToArray();
        Volatile.Write(ref matches[(int)entity], new MatchCache(key, slots));
        return (snapshot, slots);
    }

    internal InventoryItem ItemOf(InventoryEntity entity, long slot, Snapshot snapshot)
    {
        var type = entity switch
        {
            InventoryEntity.Services => "CFS",
            InventoryEntity.Carriers => "element",
            _ => ResourceCatalog.Name(ResourceTypeIndex(slot, snapshot)),
        };
        return new InventoryItem(
            entity,
            slot,
            IdOf(entity, slot),
            ExternalIdOf(entity, slot),
            NameOf(entity, slot, snapshot),
            snapshot.Status[slot],
            new DateTimeOffset(snapshot.LastUpdateTicks[slot], TimeSpan.Zero),
            type);
    }

    internal bool TryDecodeId(InventoryEntity entity, string id, out long slot)
    {
        slot = -1;
        if (id is not { Length: 32 }
            || !ulong.TryParse(id.AsSpan(16), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var low))
        {
            return false;
        }

        var candidate = (low * IdInverse) ^ IdMask(entity);
        if (candidate > int.MaxValue || !string.Equals(IdOf(entity, (long)candidate), id, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        slot = (long)candidate;
        return true;
    }

    private static long CeilingToSecond(long ticks) =>
        ticks % TimeSpan.TicksPerSecond == 0 ? ticks : ticks - (ticks % TimeSpan.TicksPerSecond) + TimeSpan.TicksPerSecond;

    private ulong IdMask(InventoryEntity entity) => InventoryHash.Of(seed, Salt.Identity, SaltOf(entity), -1);

    // Newton's iteration for the inverse of an odd number modulo 2^64 (each step doubles the correct bits).
    private static ulong Inverse(ulong odd)
    {
        var inverse = odd;
        for (var i = 0; i < 5; i++)
        {
            inverse *= 2 - (odd * inverse);
        }

        return inverse;
    }

    private sealed record MatchKey(Snapshot Snapshot, bool OperationalOnly, long SinceTicks);

    private sealed record MatchCache(MatchKey Key, int[] Slots);
}
