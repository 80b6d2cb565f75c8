namespace Satmon.Simulators.SesMpower;

/// <summary>
/// One generated terminal: its identifiers, its subscribed rates and the private parameters of its behaviour.
/// Terminal <c>i</c> is the same in every fleet with the same seed, whatever the fleet size.
/// </summary>
public sealed record MpowerTerminal
{
    /// <summary>Maritime platform type.</summary>
    public const string Maritime = "MARITIME";

    /// <summary>Aeronautical platform type.</summary>
    public const string Aero = "AERO";

    /// <summary>Fixed (land) platform type.</summary>
    public const string Fixed = "FIXED";

    /// <summary>Position in the fleet, 0-based; also the order of terminals within one sample time.</summary>
    public required int Index { get; init; }

    /// <summary>The identifiers sent in every message.</summary>
    public required MpowerTerminalKey Key { get; init; }

    /// <summary><c>TERM-000123</c>-style id (same as <see cref="Key"/>.ObjectName).</summary>
    public string ObjectName => Key.ObjectName;

    /// <summary><see cref="Maritime"/>, <see cref="Aero"/> or <see cref="Fixed"/>.</summary>
    public string PlatformType => Key.PlatformType;

    /// <summary>Centre of the area the terminal lives in (fixed terminals stay there).</summary>
    public required double HomeLatitude { get; init; }

    /// <summary>Centre of the area the terminal lives in (fixed terminals stay there).</summary>
    public required double HomeLongitude { get; init; }

    /// <summary>Forward maximum information rate, Mbps.</summary>
    public required double ForwardMirMbps { get; init; }

    /// <summary>Forward committed rate, Mbps.</summary>
    public required double ForwardCirMbps { get; init; }

    /// <summary>Return committed rate, Mbps.</summary>
    public required double ReturnCirMbps { get; init; }

    /// <summary>Return excess rate, Mbps (return MIR = CIR + EIR).</summary>
    public required double ReturnEirMbps { get; init; }

    /// <summary>When the terminal stops reporting for good (no message at or after it); null = never.</summary>
    public DateTimeOffset? SilentFrom { get; init; }

    internal double SpeedKmh { get; init; }

    internal double TrackRadiusKm { get; init; }

    internal double TrackPhase { get; init; }

    internal double TrackDirection { get; init; }

    internal double BaseAltitudeMeters { get; init; }

    internal double BaseLatencyMs { get; init; }

    internal double BaseForwardEsNoDb { get; init; }

    internal double BaseReturnEsNoDb { get; init; }

    internal double BaseTxPowerDbw { get; init; }

    internal double LoadFactor { get; init; }

    internal double OfflinePropensity { get; init; }

    /// <summary>Whether the terminal sends a message for <paramref name="eventTime"/>.</summary>
    public bool ReportsAt(DateTimeOffset eventTime) => SilentFrom is not { } silent || eventTime < silent;
}
