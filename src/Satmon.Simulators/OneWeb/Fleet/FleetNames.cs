namespace Satmon.Simulators.OneWeb.Fleet;

/// <summary>Invented names and real remote places the fleet is dressed in.</summary>
internal static class FleetNames
{
    public static readonly string[] PartnerNames =
    [
        "Aurora Satcom", "Borealis Networks", "Meridian Connect", "Polaris Telecom", "Northstar Distribution",
        "Tundra Link", "Skyward Services", "Latitude Comms", "Highline Networks", "Orbital Reach",
    ];

    public static readonly string[] PartnerSuffixes = ["LLC", "Ltd", "AS", "GmbH", "Inc."];

    public static readonly string[] CustomerPrefixes =
    [
        "ACME", "Fjord", "Glacier", "Ridge", "Harbor", "Summit", "Taiga", "Arctic", "Coastal", "Granite",
        "Polar", "Midnight Sun", "Iron", "Cobalt", "Westwind", "Silverline",
    ];

    public static readonly string[] CustomerIndustries =
    [
        "Mining", "Fisheries", "Logistics", "Energy", "Maritime", "Rail", "Forestry", "Research", "Construction",
        "Telecom", "Health", "Aviation",
    ];

    public static readonly string[] SiteSuffixes = ["North", "South", "Camp", "Depot", "Base", "Yard", "Station", "Quay"];

    public static readonly (string City, string Country, double Latitude, double Longitude)[] Places =
    [
        ("Kiruna", "SE", 67.8558, 20.2253),
        ("Tromso", "NO", 69.6492, 18.9553),
        ("Longyearbyen", "NO", 78.2232, 15.6267),
        ("Alta", "NO", 69.9689, 23.2716),
        ("Bodo", "NO", 67.2804, 14.4049),
        ("Rovaniemi", "FI", 66.5039, 25.7294),
        ("Nuuk", "GL", 64.1814, -51.6941),
        ("Kangerlussuaq", "GL", 67.0086, -50.6892),
        ("Reykjavik", "IS", 64.1466, -21.9426),
        ("Lerwick", "GB", 60.1530, -1.1493),
        ("Anchorage", "US", 61.2181, -149.9003),
        ("Fairbanks", "US", 64.8378, -147.7164),
        ("Nome", "US", 64.5011, -165.4064),
        ("Yellowknife", "CA", 62.4540, -114.3718),
        ("Iqaluit", "CA", 63.7467, -68.5170),
        ("Whitehorse", "CA", 60.7212, -135.0568),
        ("Churchill", "CA", 58.7684, -94.1650),
        ("Ushuaia", "AR", -54.8019, -68.3030),
        ("Punta Arenas", "CL", -53.1638, -70.9171),
        ("Stanley", "FK", -51.6977, -57.8517),
        ("Hobart", "AU", -42.8821, 147.3272),
        ("Darwin", "AU", -12.4634, 130.8456),
        ("Port Hedland", "AU", -20.3107, 118.6060),
        ("Windhoek", "NA", -22.5609, 17.0658),
    ];

    public static readonly (string Manufacturer, string Model, string SerialPrefix, string FirmwarePrefix)[] Hardware =
    [
        ("Hughes", "HL1120W", "HL1120W", "4.2.1"),
        ("Intellian", "OW70L-DH", "OW70L", "1.6.3"),
    ];

    public static readonly string[] ComponentCodes = ["AIM", "CNX", "EGR", "MDM", "MIM", "SSM"];

    public static readonly (string Id, string Name, double CirMbps, double MirMbps, double UplinkMirMbps, double EntitlementGb, double BlockGb)[] Plans =
    [
        ("PS-SC-25-200", "Site Connectivity 25Mbps / 200GB", 5, 25, 5, 200, 25),
        ("PS-SC-50-500", "Site Connectivity 50Mbps / 500GB", 10, 50, 10, 500, 50),
        ("PS-SC-100-1000", "Site Connectivity 100Mbps / 1000GB", 20, 100, 20, 1000, 100),
        ("PS-SC-195-2000", "Site Connectivity 195Mbps / 2000GB", 40, 195, 32, 2000, 200),
    ];
}
