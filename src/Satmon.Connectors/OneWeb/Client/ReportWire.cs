using System.Text.Json.Serialization;

namespace Satmon.Connectors.OneWeb.Client;

// Performance reports (reference §5.6, MEF LSO / ESA-PSI shape, INFERRED) and usage consumption (reference §5.7,
// TMF677 shape, INFERRED). Nullable members for the same reason as the inventory shapes: OneWebMapper names what is missing.

/// <summary>Body of <c>POST …/performanceReport</c>.</summary>
internal sealed class WireReportRequest
{
    public string? Description { get; set; }

    public WireReportingTimeframe? ReportingTimeframe { get; set; }

    public WirePerformanceJob? PerformanceJob { get; set; }
}

internal sealed class WireReportingTimeframe
{
    public DateTimeOffset ReportingStartDate { get; set; }

    public DateTimeOffset ReportingEndDate { get; set; }
}

internal sealed class WirePerformanceJob
{
    [JsonPropertyName("@type")]
    public string Type { get; set; } = "PerformanceJobValue";

    public string? Granularity { get; set; }

    public string? OutputFormat { get; set; }

    public string? ResultFormat { get; set; }

    public WirePayloadAttributes? ServicePayloadSpecificAttributes { get; set; }
}

/// <summary>Which report: the type only, so one report covers every terminal (or product) of the account.</summary>
internal sealed class WirePayloadAttributes
{
    [JsonPropertyName("@type")]
    public string? Type { get; set; }
}

/// <summary>One <c>reportContent</c> item: an interval and its data points.</summary>
internal sealed class WireReportContent : WireObject
{
    public WireMeasurementTime? MeasurementTime { get; set; }

    public List<WireDataPoint>? MeasurementDataPoints { get; set; }
}

internal sealed class WireMeasurementTime : WireObject
{
    public DateTimeOffset? MeasurementStartDate { get; set; }

    public DateTimeOffset? MeasurementEndDate { get; set; }

    public string? MeasurementInterval { get; set; }
}

/// <summary>A data point of any report type; which members are present depends on <c>@type</c>.</summary>
internal sealed class WireDataPoint : WireObject
{
    [JsonPropertyName("@type")]
    public string? Type { get; set; }

    public string? UserTerminalId { get; set; }

    public string? ProductId { get; set; }

    public double? LinkAvailabilityPercent { get; set; }

    public double? SinrAvgDb { get; set; }

    public double? SinrMinDb { get; set; }

    public double? SinrMaxDb { get; set; }

    public string? ResourceState { get; set; }

    public double? OnlineSeconds { get; set; }

    public double? OfflineSeconds { get; set; }

    public double? StateChanges { get; set; }

    public double? BytesDownlink { get; set; }

    public double? BytesUplink { get; set; }

    public double? LatencyMsAvg { get; set; }

    public double? PacketLossPercent { get; set; }

    public double? ThroughputDownlinkMbpsAvg { get; set; }

    public double? ThroughputDownlinkMbpsMax { get; set; }

    public double? ThroughputUplinkMbpsAvg { get; set; }

    public double? ThroughputUplinkMbpsMax { get; set; }
}

/// <summary>Usage consumption report (TMF677).</summary>
internal sealed class WireUsageReport : WireObject
{
    public string? Id { get; set; }

    public DateTimeOffset? EffectiveDate { get; set; }

    public List<WireBucket>? Bucket { get; set; }

    public string? BillCycleReferenceDate { get; set; }
}

internal sealed class WireBucket : WireObject
{
    public string? Id { get; set; }

    public string? UsageType { get; set; }

    public List<WireRef>? Product { get; set; }

    public List<WireBucketBalance>? BucketBalance { get; set; }

    public List<WireBucketCounter>? BucketCounter { get; set; }
}

internal sealed class WireBucketBalance : WireObject
{
    public WireQuantity? RemainingValue { get; set; }

    public WireValidFor? ValidFor { get; set; }
}

internal sealed class WireValidFor
{
    public DateTimeOffset? StartDateTime { get; set; }

    public DateTimeOffset? EndDateTime { get; set; }
}

internal sealed class WireBucketCounter
{
    public string? CounterType { get; set; }

    public WireQuantity? Value { get; set; }
}

internal sealed class WireQuantity
{
    public double? Amount { get; set; }

    public string? Units { get; set; }
}
