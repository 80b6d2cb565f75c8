namespace Satmon.Simulators.SesInventory.Model;

/// <summary>
/// A hash that is the same in every process and on every run (unlike <see cref="HashCode"/>, which is seeded per
/// process), so the inventory is a pure function of (seed, entity, slot, time).
/// </summary>
internal static class InventoryHash
{
    // SplitMix64 finaliser: cheap and well mixed, enough for simulated data (not for security).
    public static ulong Mix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }

    public static ulong Of(int seed, Salt salt, long a, long b = 0)
    {
        var h = Mix((ulong)(uint)seed ^ ((ulong)salt << 32));
        h = Mix(h ^ (ulong)a);
        return Mix(h ^ (ulong)b);
    }

    /// <summary>A number in [0, 1).</summary>
    public static double Unit(int seed, Salt salt, long a, long b = 0) =>
        (Of(seed, salt, a, b) >> 11) * (1.0 / (1UL << 53));

    /// <summary>An index in [0, count).</summary>
    public static int Pick(int count, int seed, Salt salt, long a, long b = 0) =>
        (int)(Of(seed, salt, a, b) % (ulong)count);

    /// <summary>A whole number in [min, max].</summary>
    public static long Between(long min, long max, int seed, Salt salt, long a, long b = 0) =>
        min + (long)(Of(seed, salt, a, b) % (ulong)(max - min + 1));
}

/// <summary>One value per generated quantity, so two quantities of one item never share a random stream.</summary>
internal enum Salt
{
    Identity = 1,
    Created,
    CreatedJitter,
    Retire,
    Gone,
    InitialRetired,
    RetiredStatus,
    UpdatePeriod,
    UpdatePhase,
    UpdateJitter,
    ModemCycle,
    ModemPhase,
    ModemOutage,
    ModemOutageStart,
    ModemOutageLength,
    ModemJitter,
    ExternalIdFault,
    DuplicateDistance,
    ResourceType,
    ExcludedType,
    Customer,
    Site,
    Gateway,
    Satellite,
    Detail,
    Place,
    Characteristic,
    Party,
    Relationship,
    SupportingResource,
    SupportingService,
}
