namespace Satmon.Simulators.SesMpower;

/// <summary>
/// One pm-reports message, candidate A of the reference (§6.3): a MEF W147 Message whose <c>event</c> holds the
/// terminal's identifiers (<c>key</c>) and one sample of its metrics. Serialized camelCase.
/// </summary>
/// <param name="EventId">Deterministic UUID (version 8, name-based on seed, terminal and time): the same sample always has the same id.</param>
/// <param name="EventTime">Sample time (UTC), written with a <c>Z</c> suffix.</param>
/// <param name="EventType">Always <c>TerminalPerformanceStatistics</c>.</param>
/// <param name="Priority">Always <c>low</c>.</param>
/// <param name="Event">Identifiers and metrics.</param>
public sealed record MpowerMessage(string EventId, DateTimeOffset EventTime, string EventType, string Priority, MpowerEvent Event);

/// <summary>The <c>event</c> object of a message.</summary>
public sealed record MpowerEvent(MpowerTerminalKey Key, MpowerMetrics Metrics);

/// <summary>The identifiers of a terminal (<c>event.key</c>); <see cref="ObjectName"/> is the terminal id.</summary>
public sealed record MpowerTerminalKey(
    string ObjectName, string VnoId, string SiteName, string PlatformType, string CustomerId, string ServiceId, string BeamId, string ContractId);

/// <summary>
/// One sample (<c>event.metrics</c>). Units are the simulator's assumption (the real ones are unknown, reference
/// §6.4): latency ms; packet loss %; throughput and MIR/CIR/EIR Mbps; utilization %; Es/No dB; Tx power dBW;
/// volume MB per sample interval; latitude/longitude degrees; altitude m; heading degrees from north.
/// </summary>
public sealed record MpowerMetrics
{
    public double Latency { get; init; }

    public double ForwardPacketLoss { get; init; }

    public double ReturnPacketLoss { get; init; }

    public double ForwardThroughputDelivered { get; init; }

    public double ForwardThroughputUtilization { get; init; }

    public double ReturnThroughputDelivered { get; init; }

    public double ReturnThroughputUtilization { get; init; }

    public double ForwardMir { get; init; }

    public double ForwardCir { get; init; }

    public double ForwardEir { get; init; }

    public double ReturnCir { get; init; }

    public double ReturnEir { get; init; }

    public double ForwardEsNo { get; init; }

    public double ReturnEsNo { get; init; }

    public double MaxTxPower { get; init; }

    public double ForwardVolume { get; init; }

    public double ReturnVolume { get; init; }

    public double Latitude { get; init; }

    public double Longitude { get; init; }

    public double Altitude { get; init; }

    public double Heading { get; init; }

    /// <summary><c>ACTIVE</c> or <c>SUSPENDED</c>.</summary>
    public string ServiceStatus { get; init; } = "";

    /// <summary><c>ONLINE</c> or <c>OFFLINE</c>.</summary>
    public string TerminalStatus { get; init; } = "";
}
