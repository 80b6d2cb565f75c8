namespace Satmon.Simulators.SesInventory.Model;

/// <summary>Word lists the generated inventory draws its names from (all invented).</summary>
internal static class InventoryNames
{
    public static readonly string[] CustomerPrefixes =
    [
        "Atlas", "Boreal", "Cobalt", "Delta", "Equinox", "Fjord", "Granite", "Horizon", "Ionic", "Juniper", "Keystone",
        "Lumen", "Meridian", "Nautilus", "Orion", "Polaris", "Quantum", "Rigel", "Sirius", "Triton", "Umbra", "Vega",
        "Westwind", "Xenon", "Yukon", "Zephyr",
    ];

    public static readonly string[] CustomerIndustries =
    [
        "Maritime", "Aviation", "Energy", "Telecom", "Mining", "Government", "Media", "Cruises", "Offshore", "Logistics",
    ];

    public static readonly string[] Places =
    [
        "Betzdorf", "Luxembourg", "Manassas", "Woodbine", "Hawaii", "Perth", "Lima", "Dubai", "Madrid", "Lisbon",
        "Singapore", "Sydney", "Johannesburg", "Lagos", "Nairobi", "Santiago", "Bogota", "Houston", "Aberdeen", "Oslo",
        "Reykjavik", "Anchorage", "Manila", "Jakarta", "Mumbai", "Cairo", "Athens", "Marseille", "Rotterdam", "Valletta",
    ];

    public static readonly string[] SiteKinds = ["Teleport", "Office", "Rig", "Mine", "Port", "Base", "Campus", "Plant"];

    public static readonly string[] Gateways =
    [
        "GW-BETZDORF", "GW-MANASSAS", "GW-WOODBINE", "GW-HAWAII", "GW-PERTH", "GW-LIMA", "GW-DUBAI", "GW-MADRID",
        "GW-LISBON", "GW-SINGAPORE", "GW-SYDNEY", "GW-JOHANNESBURG",
    ];

    public static readonly (string Name, string Band)[] Satellites =
    [
        ("SES-17", "Ka"), ("SES-14", "Ku"), ("SES-12", "Ku"), ("SES-15", "Ku"), ("SES-4", "C"), ("NSS-12", "Ku"),
        ("ASTRA 2E", "Ku"), ("ASTRA 3B", "Ka"), ("O3b mPOWER F1", "Ka"), ("O3b mPOWER F3", "Ka"), ("SES-9", "Ku"),
    ];

    public static readonly string[] ServiceTypes = ["Connectivity", "Managed Data", "Video Distribution", "Cloud Access", "Backhaul", "Government Network"];

    public static readonly string[] SlaTiers = ["Gold", "Silver", "Bronze"];

    public static readonly string[] Manufacturers = ["iDirect", "Comtech", "Hughes", "Gilat", "Newtec", "Kymeta", "Intellian", "Cisco", "Juniper"];

    public static readonly string[] Modulations = ["QPSK", "8PSK", "16APSK", "32APSK"];

    public static readonly string[] PartyRoles = ["Reseller", "AccountManager", "TechnicalContact"];
}

/// <summary>Resource types of the generated TMF639 inventory and how often each appears.</summary>
internal static class ResourceCatalog
{
    /// <summary>Types the connector drops before storage (seed 002): the "excluded types" data fault.</summary>
    public static readonly string[] Excluded = ["Card", "BandwidthSegment", "LogicalPort", "Multicast", "Slot", "Port", "Circuit"];

    /// <summary>Types the connector keeps, with relative weights; modems are the most common.</summary>
    public static readonly (string Type, int Weight, bool Logical)[] Kept =
    [
        ("Modem", 30, false), ("Antenna", 10, false), ("BUC", 7, false), ("LNB", 7, false), ("Router", 9, false),
        ("Switch", 6, false), ("Server", 4, false), ("Hub", 3, false), ("Terminal", 8, false), ("Gateway", 2, false),
        ("Satellite", 1, false), ("Transponder", 4, true), ("IPAddressRange", 5, true), ("VirtualNetwork", 4, true),
    ];

    public const string Modem = "Modem";

    private static readonly int TotalWeight = Kept.Sum(k => k.Weight);

    /// <summary>Index into the combined list: 0..Kept.Length-1 for kept types, then the excluded ones.</summary>
    public static int Count => Kept.Length + Excluded.Length;

    public static string Name(int index) => index < Kept.Length ? Kept[index].Type : Excluded[index - Kept.Length];

    public static bool IsLogical(int index) => index >= Kept.Length
        ? Excluded[index - Kept.Length] is "BandwidthSegment" or "LogicalPort" or "Multicast" or "Circuit"
        : Kept[index].Logical;

    public static int ModemIndex { get; } = Array.FindIndex(Kept, k => k.Type == Modem);

    /// <summary>Picks the type of one resource: excluded with the given chance, else a kept type by weight.</summary>
    public static int Pick(double excludedPercent, int seed, long slot)
    {
        if (InventoryHash.Unit(seed, Salt.ResourceType, slot) * 100.0 < excludedPercent)
        {
            return Kept.Length + InventoryHash.Pick(Excluded.Length, seed, Salt.ExcludedType, slot);
        }

        // A second, independent draw: changing the excluded share does not reshuffle the kept types.
        var ticket = InventoryHash.Pick(TotalWeight, seed, Salt.ExcludedType, slot, 1);
        for (var i = 0; i < Kept.Length; i++)
        {
            ticket -= Kept[i].Weight;
            if (ticket < 0)
            {
                return i;
            }
        }

        return 0;
    }
}
