using Satmon.Core.Connectors;
using Satmon.Core.Tables;

namespace Satmon.Connectors.SesMpower;

/// <summary>The tables of an mPOWER element: terminals (the seed's "Terminals Metrics" page) and general.</summary>
internal static class MpowerTables
{
    public const string Terminals = "terminals";
    public const string General = "general";
    public const string GeneralKey = "general";
    public const string TerminalStatus = "terminalStatus";
    public const string LastReportTime = "lastReportTime";

    /// <summary>Every numeric metric of a message: its column (trended, with unit) and how to read it.</summary>
    public static IReadOnlyList<(ColumnDefinition Column, Func<PmMetrics, double?> Read)> Metrics { get; } =
    [
        (Number("latency", "ms", "Latency"), m => m.Latency),
        (Number("forwardPacketLoss", "%", "Forward packet loss"), m => m.ForwardPacketLoss),
        (Number("returnPacketLoss", "%", "Return packet loss"), m => m.ReturnPacketLoss),
        (Number("forwardThroughputDelivered", "Mbps", "Forward throughput delivered"), m => m.ForwardThroughputDelivered),
        (Number("returnThroughputDelivered", "Mbps", "Return throughput delivered"), m => m.ReturnThroughputDelivered),
        (Number("forwardThroughputUtilization", "%", "Forward throughput utilization"), m => m.ForwardThroughputUtilization),
        (Number("returnThroughputUtilization", "%", "Return throughput utilization"), m => m.ReturnThroughputUtilization),
        (Number("forwardMir", "Mbps", "Forward MIR"), m => m.ForwardMir),
        (Number("forwardCir", "Mbps", "Forward CIR"), m => m.ForwardCir),
        (Number("forwardEir", "Mbps", "Forward EIR"), m => m.ForwardEir),
        (Number("returnCir", "Mbps", "Return CIR"), m => m.ReturnCir),
        (Number("returnEir", "Mbps", "Return EIR"), m => m.ReturnEir),
        (Number("forwardEsNo", "dB", "Forward Es/No"), m => m.ForwardEsNo),
        (Number("returnEsNo", "dB", "Return Es/No"), m => m.ReturnEsNo),
        (Number("maxTxPower", "dBm", "Max Tx power"), m => m.MaxTxPower),
        (Number("forwardVolume", "MB", "Forward volume"), m => m.ForwardVolume),
        (Number("returnVolume", "MB", "Return volume"), m => m.ReturnVolume),
        (Number("latitude", "°", "Latitude"), m => m.Latitude),
        (Number("longitude", "°", "Longitude"), m => m.Longitude),
        (Number("altitude", "m", "Altitude"), m => m.Altitude),
        (Number("heading", "°", "Heading"), m => m.Heading),
    ];

    /// <summary>The identifiers of a message (the row key is the object name).</summary>
    public static IReadOnlyList<(ColumnDefinition Column, Func<PmKey, string?> Read)> Identifiers { get; } =
    [
        (Text("vnoId", "VNO ID"), k => k.VnoId),
        (Text("siteName", "Site name"), k => k.SiteName),
        (Text("platformType", "Platform type"), k => k.PlatformType),
        (Text("customerId", "Customer ID"), k => k.CustomerId),
        (Text("serviceId", "Service ID"), k => k.ServiceId),
        (Text("beamId", "Beam ID"), k => k.BeamId),
        (Text("contractId", "Contract ID"), k => k.ContractId),
        (Text("objectName", "Object name"), k => k.ObjectName),
    ];

    public static TableDefinition TerminalsTable { get; } = new(
        Terminals,
        "Terminal metrics",
        "Object Name",
        [
            .. Identifiers.Select(i => i.Column),
            .. Metrics.Select(m => m.Column),
            new ColumnDefinition("serviceStatus", ColumnType.Enum) { Label = "Service status" },
            new ColumnDefinition(TerminalStatus, ColumnType.Enum) { Label = "Terminal status" },
            new ColumnDefinition(LastReportTime, ColumnType.Timestamp) { Label = "Last report time" },
        ])
    {
        Fleet = new FleetMapping("SES O3b mPOWER")
        {
            NameColumn = "siteName",
            StatusColumn = TerminalStatus,
            OnlineValues = [MpowerMapper.Online],
            LatitudeColumn = "latitude",
            LongitudeColumn = "longitude",
            LatencyColumn = "latency",
            ThroughputColumn = "forwardThroughputDelivered",
            LastSeenColumn = LastReportTime,
        },
    };

    public static TableDefinition GeneralTable { get; } = new(
        General,
        "General",
        "Key",
        [
            new ColumnDefinition(GeneralColumns.TotalTerminals, ColumnType.Number, Trended: true) { Label = "Total terminals" },
            new ColumnDefinition(GeneralColumns.ActiveTerminals, ColumnType.Number, Trended: true) { Label = "Active terminals" },
            new ColumnDefinition(GeneralColumns.InactiveTerminals, ColumnType.Number, Trended: true) { Label = "Inactive terminals" },
            new ColumnDefinition(GeneralColumns.AuthStatus, ColumnType.Enum) { Label = "Authentication status" },
            new ColumnDefinition(GeneralColumns.AccessTokenExpiry, ColumnType.Timestamp) { Label = "Access token expiration" },
            new ColumnDefinition(GeneralColumns.RefreshTokenExpiry, ColumnType.Timestamp) { Label = "Refresh token expiration" },
            new ColumnDefinition(GeneralColumns.SubscriptionId, ColumnType.String) { Label = "Subscription ID" },
            new ColumnDefinition(GeneralColumns.SubscriptionStatus, ColumnType.Enum) { Label = "Subscription status" },
            new ColumnDefinition(GeneralColumns.SubscriptionExpiry, ColumnType.Timestamp) { Label = "Subscription expiration" },
            new ColumnDefinition(GeneralColumns.LastPullTime, ColumnType.Timestamp) { Label = "Last pull time" },
            new ColumnDefinition(GeneralColumns.LastPullStatus, ColumnType.String) { Label = "Pull live metrics status" },
            new ColumnDefinition(GeneralColumns.LastPullMessages, ColumnType.Number) { Label = "Messages in last pull" },
            new ColumnDefinition(GeneralColumns.LastPullValues, ColumnType.Number) { Label = "Values stored by last pull" },
            new ColumnDefinition(GeneralColumns.LastSampleTime, ColumnType.Timestamp) { Label = "Last sample time" },
        ]);

    /// <summary>Writes some columns of the single general row; the others keep their values.</summary>
    public static Task UpdateGeneralAsync(IElementContext context, CancellationToken cancellationToken, params (string Column, object? Value)[] values) =>
        context.Tables.UpsertAsync(
            General, [new TableRow(GeneralKey, values.ToDictionary(v => v.Column, v => v.Value, StringComparer.Ordinal))], cancellationToken);

    private static ColumnDefinition Number(string name, string unit, string label) =>
        new(name, ColumnType.Number, unit, Trended: true) { Label = label };

    private static ColumnDefinition Text(string name, string label) => new(name, ColumnType.String) { Label = label };
}

/// <summary>Column names of the general table.</summary>
internal static class GeneralColumns
{
    public const string TotalTerminals = "totalTerminals";
    public const string ActiveTerminals = "activeTerminals";
    public const string InactiveTerminals = "inactiveTerminals";
    public const string AuthStatus = "authStatus";
    public const string AccessTokenExpiry = "accessTokenExpiry";
    public const string RefreshTokenExpiry = "refreshTokenExpiry";
    public const string SubscriptionId = "subscriptionId";
    public const string SubscriptionStatus = "subscriptionStatus";
    public const string SubscriptionExpiry = "subscriptionExpiry";
    public const string LastPullTime = "lastPullTime";
    public const string LastPullStatus = "lastPullStatus";
    public const string LastPullMessages = "lastPullMessages";
    public const string LastPullValues = "lastPullValues";
    public const string LastSampleTime = "lastSampleTime";
}
