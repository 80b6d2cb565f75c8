using System.Globalization;

namespace Satmon.Simulators.SesMpower;

/// <summary>Derives terminal <c>i</c> of a fleet from (seed, i) alone.</summary>
internal static class TerminalGenerator
{
    private const double KmPerDegree = 111.32;

    // Keeps moving terminals inside mPOWER's equatorial coverage.
    private const double MaxAbsLatitude = 50;

    private static readonly TimeSpan SilentEarliest = TimeSpan.FromDays(25);
    private static readonly TimeSpan SilentSpread = TimeSpan.FromDays(10);

    public static MpowerTerminal Create(int seed, int index, int nameWidth, DateTimeOffset historyStart, double silentPercent)
    {
        var platform = FleetHash.Unit(seed, index, Salt.Platform) switch
        {
            < 0.4 => MpowerTerminal.Maritime,
            < 0.6 => MpowerTerminal.Aero,
            _ => MpowerTerminal.Fixed,
        };

        var (latitude, longitude, siteName, altitude) = platform switch
        {
            MpowerTerminal.Maritime => Sea(seed, index),
            MpowerTerminal.Aero => Air(seed, index),
            _ => Land(seed, index),
        };

        double[] tiers = platform switch
        {
            MpowerTerminal.Maritime => [20, 50, 100, 200],
            MpowerTerminal.Aero => [50, 100, 200],
            _ => [100, 200, 500, 1000],
        };
        var mir = tiers[FleetHash.Pick(seed, index, Salt.Mir, tiers.Length)];
        var cir = mir * (FleetHash.Unit(seed, index, Salt.CirShare) < 0.5 ? 0.3 : 0.5);
        var returnMir = mir * new[] { 0.2, 0.25, 0.5 }[FleetHash.Pick(seed, index, Salt.ReturnShare, 3)];

        var vno = 1 + FleetHash.Pick(seed, index, Salt.Vno, 12);
        var customer = (vno * 100) + FleetHash.Pick(seed, index, Salt.Customer, 25);
        var contractYear = 2022 + FleetHash.Pick(seed, index, Salt.ContractYear, 4);
        var contract = 100 + FleetHash.Pick(seed, index, Salt.Contract, 900);
        var objectName = "TERM-" + index.ToString(CultureInfo.InvariantCulture).PadLeft(nameWidth, '0');
        var key = new MpowerTerminalKey(
            objectName,
            $"VNO-{vno}",
            siteName,
            platform,
            $"CUST-{customer}",
            $"SVC-{100000 + index}",
            $"B-{BeamOf(latitude, longitude)}",
            $"CTR-{contractYear}-{contract}");

        var moving = platform != MpowerTerminal.Fixed;
        var (speed, radius) = platform switch
        {
            MpowerTerminal.Maritime => (FleetHash.Between(seed, index, Salt.Speed, 20, 40), FleetHash.Between(seed, index, Salt.Radius, 200, 800)),
            MpowerTerminal.Aero => (FleetHash.Between(seed, index, Salt.Speed, 750, 900), FleetHash.Between(seed, index, Salt.Radius, 600, 2000)),
            _ => (0.0, 0.0),
        };
        radius = Math.Min(radius, (MaxAbsLatitude - Math.Abs(latitude)) * KmPerDegree);

        DateTimeOffset? silentFrom = null;
        if (FleetHash.Unit(seed, index, Salt.Silent) * 100 < silentPercent)
        {
            var after = SilentEarliest + (SilentSpread * FleetHash.Unit(seed, index, Salt.SilentTime));
            silentFrom = historyStart + TimeSpan.FromSeconds(Math.Floor(after.TotalSeconds));
        }

        return new MpowerTerminal
        {
            Index = index,
            Key = key,
            HomeLatitude = latitude,
            HomeLongitude = longitude,
            ForwardMirMbps = mir,
            ForwardCirMbps = cir,
            ReturnCirMbps = returnMir * 0.5,
            ReturnEirMbps = returnMir * 0.5,
            SilentFrom = silentFrom,
            SpeedKmh = speed,
            TrackRadiusKm = moving ? radius : 0,
            TrackPhase = FleetHash.Between(seed, index, Salt.Phase, 0, 2 * Math.PI),
            TrackDirection = FleetHash.Unit(seed, index, Salt.Direction) < 0.5 ? -1 : 1,
            BaseAltitudeMeters = altitude,
            BaseLatencyMs = FleetHash.Between(seed, index, Salt.Latency, 125, 145),
            BaseForwardEsNoDb = FleetHash.Between(seed, index, Salt.ForwardEsNo, 9, 13),
            BaseReturnEsNoDb = FleetHash.Between(seed, index, Salt.ReturnEsNo, 6, 9),
            BaseTxPowerDbw = FleetHash.Between(seed, index, Salt.TxPower, 8, 16),
            LoadFactor = FleetHash.Between(seed, index, Salt.Load, 0.5, 1.2),
            OfflinePropensity = platform switch
            {
                MpowerTerminal.Maritime => FleetHash.Between(seed, index, Salt.OfflinePropensity, 0.04, 0.12),
                MpowerTerminal.Aero => FleetHash.Between(seed, index, Salt.OfflinePropensity, 0.06, 0.15),
                _ => FleetHash.Between(seed, index, Salt.OfflinePropensity, 0.02, 0.06),
            },
        };
    }

    private static (double Latitude, double Longitude, string Name, double Altitude) Sea(int seed, int index)
    {
        var area = FleetNames.SeaAreas[FleetHash.Pick(seed, index, Salt.Region, FleetNames.SeaAreas.Length)];
        var (latitude, longitude) = InArea(seed, index, area);
        var name = $"MV {FleetNames.VesselAdjectives[FleetHash.Pick(seed, index, Salt.NameA, FleetNames.VesselAdjectives.Length)]} "
            + FleetNames.VesselNouns[FleetHash.Pick(seed, index, Salt.NameB, FleetNames.VesselNouns.Length)];
        return (latitude, longitude, name, FleetHash.Between(seed, index, Salt.Altitude, 5, 25));
    }

    private static (double Latitude, double Longitude, string Name, double Altitude) Air(int seed, int index)
    {
        var area = FleetNames.AirAreas[FleetHash.Pick(seed, index, Salt.Region, FleetNames.AirAreas.Length)];
        var (latitude, longitude) = InArea(seed, index, area);
        var prefix = FleetNames.AircraftRegistrationPrefixes[FleetHash.Pick(seed, index, Salt.NameA, FleetNames.AircraftRegistrationPrefixes.Length)];
        var letters = FleetHash.Of(seed, index, Salt.NameB, 0);
        Span<char> tail = stackalloc char[3];
        for (var i = 0; i < tail.Length; i++)
        {
            tail[i] = (char)('A' + (int)(letters % 26));
            letters /= 26;
        }

        return (latitude, longitude, $"Aircraft {prefix}{tail}", FleetHash.Between(seed, index, Salt.Altitude, 10_000, 11_500));
    }

    private static (double Latitude, double Longitude, string Name, double Altitude) Land(int seed, int index)
    {
        var site = FleetNames.Sites[FleetHash.Pick(seed, index, Salt.Region, FleetNames.Sites.Length)];
        var kind = FleetNames.SiteKinds[FleetHash.Pick(seed, index, Salt.NameA, FleetNames.SiteKinds.Length)];
        var latitude = Math.Round(site.Latitude + (0.5 * FleetHash.Signed(seed, index, Salt.RegionLatitude, 0)), 5);
        var longitude = Math.Round(site.Longitude + (0.5 * FleetHash.Signed(seed, index, Salt.RegionLongitude, 0)), 5);
        return (latitude, longitude, $"{site.City} {kind}", site.AltitudeMeters);
    }

    private static (double Latitude, double Longitude) InArea(int seed, int index, FleetNames.Area area) =>
        (area.Latitude + (area.HalfLatitude * FleetHash.Signed(seed, index, Salt.RegionLatitude, 0)),
         area.Longitude + (area.HalfLongitude * FleetHash.Signed(seed, index, Salt.RegionLongitude, 0)));

    // Beams on a 6° grid: a stable id per home cell (the real beam plan is unknown).
    private static int BeamOf(double latitude, double longitude) =>
        1000 + ((int)Math.Floor((latitude + 90) / 6) * 60) + (int)Math.Floor((longitude + 180) / 6);
}
