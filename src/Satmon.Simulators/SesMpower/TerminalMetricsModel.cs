namespace Satmon.Simulators.SesMpower;

/// <summary>
/// Metrics of one terminal at one time, as a pure function of (seed, terminal, time): any range can be regenerated
/// identically, in any order, without state.
/// </summary>
internal static class TerminalMetricsModel
{
    public const string EventType = "TerminalPerformanceStatistics";
    public const string Priority = "low";

    private const double KmPerDegree = 111.32;
    private const long SecondsPerDay = 86_400;
    private const long OfflineEpisodeSeconds = 6 * 3600;

    public static MpowerMessage Sample(int seed, MpowerTerminal terminal, DateTimeOffset eventTime, double intervalSeconds)
    {
        var s = eventTime.ToUnixTimeSeconds();
        var i = terminal.Index;
        var (latitude, longitude, heading) = Position(terminal, s);
        var altitude = Altitude(seed, terminal, s);
        var (offline, suspended) = Offline(seed, terminal, s);

        var metrics = offline
            ? new MpowerMetrics
            {
                // An offline terminal still has a position (the last one the NMS knows) but carries no traffic.
                ForwardMir = terminal.ForwardMirMbps,
                ForwardCir = terminal.ForwardCirMbps,
                ForwardEir = terminal.ForwardMirMbps - terminal.ForwardCirMbps,
                ReturnCir = terminal.ReturnCirMbps,
                ReturnEir = terminal.ReturnEirMbps,
                Latitude = latitude,
                Longitude = longitude,
                Altitude = altitude,
                Heading = heading,
                ServiceStatus = suspended ? "SUSPENDED" : "ACTIVE",
                TerminalStatus = "OFFLINE",
            }
            : Online(seed, terminal, s, intervalSeconds, (latitude, longitude, altitude, heading));

        return new MpowerMessage(
            FleetHash.EventId(seed, i, s),
            eventTime.ToUniversalTime(),
            EventType,
            Priority,
            new MpowerEvent(terminal.Key, metrics));
    }

    private static MpowerMetrics Online(
        int seed, MpowerTerminal t, long s, double intervalSeconds, (double Latitude, double Longitude, double Altitude, double Heading) at)
    {
        var i = t.Index;

        // Traffic follows the local day (by longitude): lowest around 04:00, highest around 16:00.
        var localHour = ((((double)(s % SecondsPerDay) / 3600) + (t.HomeLongitude / 15)) % 24 + 24) % 24;
        var load = 0.5 - (0.5 * Math.Cos(2 * Math.PI * (localHour - 4) / 24));
        var white = FleetHash.Signed(seed, i, Salt.WhiteNoise, s);

        var forwardShare = Math.Clamp(0.08 + (0.7 * load * t.LoadFactor)
            + (0.12 * FleetHash.Smooth(seed, i, Salt.ForwardLoadNoise, s, 7200)) + (0.05 * white), 0.01, 1);
        var returnShare = Math.Clamp(0.05 + (0.5 * load * t.LoadFactor)
            + (0.1 * FleetHash.Smooth(seed, i, Salt.ReturnLoadNoise, s, 5400)) - (0.05 * white), 0.01, 1);

        // Afternoon convective rain on some days fades the link (Ku/Ka-band rain fade).
        var wetDay = FleetHash.Unit(seed, i, Salt.WetDay, Math.DivRem(s, SecondsPerDay, out _)) < 0.3 ? 1.0 : 0.0;
        var rain = wetDay * Math.Pow(Math.Max(0, Math.Cos(2 * Math.PI * (localHour - 16) / 24)), 3);
        var forwardEsNo = t.BaseForwardEsNoDb - (3 * rain) + (0.6 * FleetHash.Smooth(seed, i, Salt.EsNoDrift, s, 10_800)) + (0.2 * white);
        var returnEsNo = t.BaseReturnEsNoDb - (2.5 * rain) + (0.5 * FleetHash.Smooth(seed, i, Salt.ReturnEsNoDrift, s, 10_800)) - (0.2 * white);

        var lossNoise = (FleetHash.Signed(seed, i, Salt.LossNoise, s) + 1) / 2;
        var forwardLoss = 0.01 + (0.03 * lossNoise) + (Math.Max(0, 7 - forwardEsNo) * 0.4);
        var returnLoss = 0.02 + (0.04 * lossNoise) + (Math.Max(0, 4.5 - returnEsNo) * 0.5);

        var returnMir = t.ReturnCirMbps + t.ReturnEirMbps;
        var forwardDelivered = Math.Round(t.ForwardMirMbps * forwardShare, 2);
        var returnDelivered = Math.Round(returnMir * returnShare, 2);
        var latency = t.BaseLatencyMs + (12 * load) + (3 * white)
            + (t.PlatformType == MpowerTerminal.Aero ? 4 : 0) + (forwardLoss > 1 ? 10 : 0);

        return new MpowerMetrics
        {
            Latency = Math.Round(latency, 1),
            ForwardPacketLoss = Math.Round(forwardLoss, 3),
            ReturnPacketLoss = Math.Round(returnLoss, 3),
            ForwardThroughputDelivered = forwardDelivered,
            ForwardThroughputUtilization = Math.Round(100 * forwardDelivered / t.ForwardMirMbps, 1),
            ReturnThroughputDelivered = returnDelivered,
            ReturnThroughputUtilization = Math.Round(100 * returnDelivered / returnMir, 1),
            ForwardMir = t.ForwardMirMbps,
            ForwardCir = t.ForwardCirMbps,
            ForwardEir = t.ForwardMirMbps - t.ForwardCirMbps,
            ReturnCir = t.ReturnCirMbps,
            ReturnEir = t.ReturnEirMbps,
            ForwardEsNo = Math.Round(forwardEsNo, 2),
            ReturnEsNo = Math.Round(returnEsNo, 2),
            MaxTxPower = Math.Round(t.BaseTxPowerDbw + (1.5 * returnShare) + (0.3 * white) + (2 * rain), 1),
            // Volume in MB carried during the sample interval: Mbps × s / 8.
            ForwardVolume = Math.Round(forwardDelivered * intervalSeconds / 8, 2),
            ReturnVolume = Math.Round(returnDelivered * intervalSeconds / 8, 2),
            Latitude = at.Latitude,
            Longitude = at.Longitude,
            Altitude = at.Altitude,
            Heading = at.Heading,
            ServiceStatus = "ACTIVE",
            TerminalStatus = "ONLINE",
        };
    }

    /// <summary>
    /// Moving terminals circle their home point on a track of fixed radius at constant speed, so positions are
    /// continuous and the heading is the true direction of motion.
    /// </summary>
    internal static (double Latitude, double Longitude, double Heading) Position(MpowerTerminal t, long s)
    {
        if (t.TrackRadiusKm <= 0)
        {
            return (t.HomeLatitude, t.HomeLongitude, 0);
        }

        var angle = t.TrackPhase + (t.TrackDirection * (t.SpeedKmh / t.TrackRadiusKm) * (s / 3600.0));
        var (sin, cos) = Math.SinCos(angle);
        var north = t.TrackRadiusKm * sin;
        var east = t.TrackRadiusKm * cos;
        var latitude = t.HomeLatitude + (north / KmPerDegree);
        var longitude = t.HomeLongitude + (east / (KmPerDegree * Math.Cos(t.HomeLatitude * Math.PI / 180)));
        longitude = ((longitude + 540) % 360) - 180;

        // Velocity is the derivative of (east, north) along the track.
        var velocityEast = -t.TrackDirection * sin;
        var velocityNorth = t.TrackDirection * cos;
        var heading = Math.Atan2(velocityEast, velocityNorth) * 180 / Math.PI;
        heading = Math.Round((heading + 360) % 360, 1) % 360;
        return (Math.Round(latitude, 5), Math.Round(longitude, 5), heading);
    }

    private static double Altitude(int seed, MpowerTerminal t, long s) => t.PlatformType switch
    {
        // Antenna height above the sea, with swell.
        MpowerTerminal.Maritime => Math.Round(Math.Max(0, t.BaseAltitudeMeters + FleetHash.Signed(seed, t.Index, Salt.AltitudeDrift, s)), 1),
        // Cruise level changes slowly (step climbs).
        MpowerTerminal.Aero => Math.Round(t.BaseAltitudeMeters + (400 * FleetHash.Smooth(seed, t.Index, Salt.AltitudeDrift, s, 5400)), 0),
        _ => t.BaseAltitudeMeters,
    };

    /// <summary>
    /// Time is cut into 6-hour episodes; in some of them (per the terminal's propensity) the terminal is offline
    /// for a stretch of 10 minutes to 3 hours, and in a quarter of those its service is also suspended.
    /// </summary>
    internal static (bool Offline, bool Suspended) Offline(int seed, MpowerTerminal t, long s)
    {
        var episode = Math.DivRem(s, OfflineEpisodeSeconds, out var into);
        if (into < 0)
        {
            episode--;
            into += OfflineEpisodeSeconds;
        }

        if (FleetHash.Unit(seed, t.Index, Salt.OfflineEpisode, episode) >= t.OfflinePropensity)
        {
            return (false, false);
        }

        var start = (long)(FleetHash.Unit(seed, t.Index, Salt.OfflineStart, episode) * 5 * 3600);
        var length = 600 + (long)(FleetHash.Unit(seed, t.Index, Salt.OfflineLength, episode) * 170 * 60);
        var offline = into >= start && into < start + length;
        return (offline, offline && FleetHash.Unit(seed, t.Index, Salt.Suspended, episode) < 0.25);
    }
}
