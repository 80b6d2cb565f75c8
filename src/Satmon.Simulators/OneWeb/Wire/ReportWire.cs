using System.Text.Json.Serialization;

namespace Satmon.Simulators.OneWeb.Wire;

internal sealed record ReportingTimeframeWire(DateTimeOffset? ReportingStartDate, DateTimeOffset? ReportingEndDate);

internal sealed record ServicePayloadWire(
    [property: JsonPropertyName("@type")] string? Type,
    string? UserTerminalId,
    string? ProductId);

internal sealed record PerformanceJobWire(
    [property: JsonPropertyName("@type")] string? Type,
    string? Granularity,
    string? OutputFormat,
    string? ResultFormat,
    ServicePayloadWire? ServicePayloadSpecificAttributes);

/// <summary>Body of <c>POST …/performanceReport</c> (MEF/PSI PerformanceReport_Create).</summary>
internal sealed record PerformanceReportCreateWire(
    string? Description,
    ReportingTimeframeWire? ReportingTimeframe,
    PerformanceJobWire? PerformanceJob);

internal sealed record MeasurementTimeWire(
    DateTimeOffset MeasurementStartDate, DateTimeOffset MeasurementEndDate, string MeasurementInterval);

/// <summary>One data point; only the metrics of its report type are set (nulls are not written).</summary>
internal sealed class DataPointWire
{
    [JsonPropertyName("@type")]
    public required string Type { get; init; }

    public string? UserTerminalId { get; init; }

    public string? ProductId { get; init; }

    public double? LinkAvailabilityPercent { get; init; }

    public double? SinrAvgDb { get; init; }

    public double? SinrMinDb { get; init; }

    public double? SinrMaxDb { get; init; }

    public string? ResourceState { get; init; }

    public int? OnlineSeconds { get; init; }

    public int? OfflineSeconds { get; init; }

    public int? StateChanges { get; init; }

    public long? BytesDownlink { get; init; }

    public long? BytesUplink { get; init; }

    public double? LatencyMsAvg { get; init; }

    public double? PacketLossPercent { get; init; }

    public double? ThroughputDownlinkMbpsAvg { get; init; }

    public double? ThroughputDownlinkMbpsMax { get; init; }

    public double? ThroughputUplinkMbpsAvg { get; init; }

    public double? ThroughputUplinkMbpsMax { get; init; }
}

internal sealed record ReportContentItemWire(MeasurementTimeWire MeasurementTime, IReadOnlyList<DataPointWire> MeasurementDataPoints);

internal sealed record PerformanceReportWire(
    string Id,
    string State,
    DateTimeOffset CreationDate,
    string? Description,
    ReportingTimeframeWire ReportingTimeframe,
    PerformanceJobWire PerformanceJob,
    IReadOnlyList<ReportContentItemWire>? ReportContent);

internal sealed record QuantityWire(double Amount, string Units);

internal sealed record ValidForWire(DateTimeOffset StartDateTime, DateTimeOffset EndDateTime);

internal sealed record BucketBalanceWire(QuantityWire RemainingValue, string RemainingValueName, ValidForWire ValidFor);

internal sealed record BucketCounterWire(string CounterType, QuantityWire Value);

internal sealed record BucketWire(
    string Id,
    string Name,
    string UsageType,
    bool IsShared,
    IReadOnlyList<EntityRefWire> Product,
    IReadOnlyList<BucketBalanceWire> BucketBalance,
    IReadOnlyList<BucketCounterWire> BucketCounter);

/// <summary>TMF677 usage consumption report (reference §5.7).</summary>
internal sealed record UsageReportWire(
    string Id,
    DateTimeOffset EffectiveDate,
    string Name,
    RelatedPartyWire RelatedParty,
    IReadOnlyList<BucketWire> Bucket,
    string BillCycleReferenceDate);
