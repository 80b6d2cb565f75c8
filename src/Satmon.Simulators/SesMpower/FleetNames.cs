namespace Satmon.Simulators.SesMpower;

/// <summary>Word lists and home areas for generated terminals. Append only: reordering changes every fleet.</summary>
internal static class FleetNames
{
    /// <summary>A home area: centre and half-size in degrees. mPOWER is a MEO equatorial system, so all lie within ±45°.</summary>
    public readonly record struct Area(string Name, double Latitude, double Longitude, double HalfLatitude, double HalfLongitude);

    public static readonly Area[] SeaAreas =
    [
        new("North Atlantic", 35, -40, 6, 12),
        new("Mediterranean", 36, 18, 2, 10),
        new("Caribbean", 15, -72, 3, 8),
        new("Gulf of Guinea", 2, 3, 3, 4),
        new("Arabian Sea", 15, 63, 4, 6),
        new("Bay of Bengal", 13, 88, 4, 3),
        new("South China Sea", 12, 113, 5, 4),
        new("Coral Sea", -17, 155, 4, 5),
        new("Gulf of Mexico", 25, -90, 2, 5),
        new("South Atlantic", -25, -20, 6, 12),
        new("Indian Ocean", -20, 75, 6, 12),
        new("Eastern Pacific", 5, -120, 6, 15),
    ];

    public static readonly Area[] AirAreas =
    [
        new("Transatlantic", 40, -35, 5, 15),
        new("Gulf hub", 25, 55, 4, 6),
        new("South East Asia", 5, 105, 6, 8),
        new("Africa", 0, 20, 10, 12),
        new("South America", -15, -55, 10, 10),
        new("Pacific", 10, -160, 8, 15),
        new("Australia", -28, 135, 6, 10),
    ];

    public static readonly (string City, double Latitude, double Longitude, double AltitudeMeters)[] Sites =
    [
        ("Lagos", 6.52, 3.38, 40), ("Nairobi", -1.29, 36.82, 1795), ("Kinshasa", -4.44, 15.27, 240),
        ("Luanda", -8.84, 13.23, 70), ("Dakar", 14.72, -17.47, 20), ("Lima", -12.05, -77.04, 150),
        ("Bogota", 4.71, -74.07, 2640), ("Manaus", -3.12, -60.02, 90), ("Quito", -0.18, -78.47, 2850),
        ("Jakarta", -6.21, 106.85, 8), ("Manila", 14.6, 120.98, 16), ("Port Moresby", -9.44, 147.18, 40),
        ("Suva", -18.14, 178.44, 10), ("Dubai", 25.2, 55.27, 5), ("Riyadh", 24.71, 46.68, 610),
        ("Mumbai", 19.08, 72.88, 14), ("Dhaka", 23.81, 90.41, 4), ("Perth", -31.95, 115.86, 30),
        ("Darwin", -12.46, 130.84, 30), ("Houston", 29.76, -95.37, 15), ("Miami", 25.76, -80.19, 2),
        ("Port Louis", -20.16, 57.5, 10), ("Male", 4.18, 73.51, 2), ("Papeete", -17.54, -149.57, 5),
    ];

    public static readonly string[] SiteKinds =
        ["Gateway", "Mine Site", "Oil Platform", "Branch Office", "Base Station", "Clinic", "Field Camp", "Data Centre"];

    public static readonly string[] VesselAdjectives =
        ["Aurora", "Nordic", "Ocean", "Pacific", "Atlantic", "Coral", "Silver", "Golden", "Northern", "Southern",
         "Blue", "Royal", "Star", "Sea", "Polar", "Tropic", "Grand", "Brave", "Swift", "Crimson"];

    public static readonly string[] VesselNouns =
        ["Spirit", "Explorer", "Voyager", "Pioneer", "Horizon", "Navigator", "Mariner", "Endeavour", "Venture",
         "Trader", "Guardian", "Harmony", "Princess", "Carrier", "Express", "Dawn", "Breeze", "Wave", "Pearl",
         "Falcon", "Titan", "Serenity", "Liberty", "Odyssey"];

    public static readonly string[] AircraftRegistrationPrefixes = ["N", "G-", "D-", "F-", "9V-", "A6-", "VH-", "PR-", "5Y-", "HS-"];
}
