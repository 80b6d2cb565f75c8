using Satmon.Connectors.OneWeb.Client;

namespace Satmon.Connectors.OneWeb;

/// <summary>One numeric metric of a report: the vendor field it comes from and the trended column it goes to.</summary>
/// <param name="Column">Column of the performance table.</param>
/// <param name="Field">Vendor field name, for the missing-field message.</param>
/// <param name="Read">Reads the field.</param>
/// <param name="Divisor">Divides the vendor value into the column's unit (bytes → MB); a division keeps whole units exact.</param>
internal sealed record ReportMetric(string Column, string Field, Func<WireDataPoint, double?> Read, double Divisor = 1);

/// <summary>A performance report type (names from the Skyline doc; metric fields inferred, reference §5.6).</summary>
/// <param name="Type">Report type as the vendor names it (<c>@type</c>).</param>
/// <param name="Table">Table its samples go to.</param>
/// <param name="PerProduct">Data points carry <c>productId</c> rather than <c>userTerminalId</c>.</param>
/// <param name="Metrics">Numeric metrics (all trended).</param>
/// <param name="TextField">A text field stored as a column (the resource state), or null.</param>
internal sealed record ReportSpec(string Type, string Table, bool PerProduct, IReadOnlyList<ReportMetric> Metrics, string? TextField = null)
{
    public string CursorKey => "report-cursor:" + Type;
}

/// <summary>One data point, checked and mapped: row key, interval and column values.</summary>
internal readonly record struct ReportSample(string Key, DateTimeOffset Start, DateTimeOffset End, IReadOnlyList<(string Column, double Value)> Metrics, string? Text);

internal static class ReportMapper
{
    private const double BytesPerMegabyte = 1_000_000;

    public static ReportSpec LinkAvailability { get; } = new("UserTerminalLinkAvailability", OneWebTables.TerminalPerformance, false,
        [new("linkAvailability", "linkAvailabilityPercent", p => p.LinkAvailabilityPercent)]);

    public static ReportSpec SignalQuality { get; } = new("UserTerminalSignalQuality", OneWebTables.TerminalPerformance, false,
    [
        new("signalQuality", "sinrAvgDb", p => p.SinrAvgDb),
        new("signalQualityMin", "sinrMinDb", p => p.SinrMinDb),
        new("signalQualityMax", "sinrMaxDb", p => p.SinrMaxDb),
    ]);

    public static ReportSpec ResourceState { get; } = new("UserTerminalResourceState", OneWebTables.TerminalPerformance, false,
        [new("onlineTime", "onlineSeconds", p => p.OnlineSeconds)], TextField: "resourceState");

    public static ReportSpec Traffic { get; } = new("UserTerminalTraffic", OneWebTables.TerminalPerformance, false,
    [
        new("trafficDown", "bytesDownlink", p => p.BytesDownlink, BytesPerMegabyte),
        new("trafficUp", "bytesUplink", p => p.BytesUplink, BytesPerMegabyte),
    ]);

    public static ReportSpec LinkMetrics { get; } = new("UserTerminalLinkMetrics", OneWebTables.TerminalPerformance, false,
    [
        new("latency", "latencyMsAvg", p => p.LatencyMsAvg),
        new("packetLoss", "packetLossPercent", p => p.PacketLossPercent),
    ]);

    public static ReportSpec ProductThroughput { get; } = new("ProductThroughput", OneWebTables.ProductPerformance, true,
    [
        new("throughputDownAvg", "throughputDownlinkMbpsAvg", p => p.ThroughputDownlinkMbpsAvg),
        new("throughputDownMax", "throughputDownlinkMbpsMax", p => p.ThroughputDownlinkMbpsMax),
        new("throughputUpAvg", "throughputUplinkMbpsAvg", p => p.ThroughputUplinkMbpsAvg),
        new("throughputUpMax", "throughputUplinkMbpsMax", p => p.ThroughputUplinkMbpsMax),
    ]);

    /// <summary>The report types of the terminal performance task, in the order they are asked.</summary>
    public static IReadOnlyList<ReportSpec> TerminalReports { get; } = [LinkAvailability, SignalQuality, ResourceState, Traffic, LinkMetrics];

    /// <summary>
    /// Checks and maps the data points of one <c>reportContent</c> item. Points of another <c>@type</c> are skipped
    /// (a report may mix types); a point lacking its id or a metric fails the whole report.
    /// </summary>
    public static IEnumerable<ReportSample> Samples(ReportSpec spec, WireReportContent content, string call, int itemIndex)
    {
        // The checks build their message only when something is missing: this runs for millions of points a day.
        var time = content.MeasurementTime
            ?? throw new WireCheck(call, "reportContent item", itemIndex, null, content.Unmapped).Missing("measurementTime");
        var timeCheck = new WireCheck(call, "measurementTime of reportContent item", itemIndex, null, time.Unmapped);
        var start = timeCheck.Require(time.MeasurementStartDate, "measurementStartDate");
        var end = timeCheck.Require(time.MeasurementEndDate, "measurementEndDate");
        var points = content.MeasurementDataPoints
            ?? throw new WireCheck(call, "reportContent item", itemIndex, start.ToString("O"), content.Unmapped).Missing("measurementDataPoints");
        var idField = spec.PerProduct ? "productId" : "userTerminalId";
        for (var i = 0; i < points.Count; i++)
        {
            var point = points[i];
            if (point.Type is { } type && !string.Equals(type, spec.Type, StringComparison.Ordinal))
            {
                continue;
            }

            var key = spec.PerProduct ? point.ProductId : point.UserTerminalId;
            if (string.IsNullOrWhiteSpace(key))
            {
                throw Check(call, start, i, null, point).Missing(idField);
            }

            var metrics = new (string, double)[spec.Metrics.Count];
            for (var m = 0; m < metrics.Length; m++)
            {
                var metric = spec.Metrics[m];
                var value = metric.Read(point) ?? throw Check(call, start, i, key, point).Missing(metric.Field);
                metrics[m] = (metric.Column, value / metric.Divisor);
            }

            string? text = null;
            if (spec.TextField is { } field && string.IsNullOrWhiteSpace(text = point.ResourceState))
            {
                throw Check(call, start, i, key, point).Missing(field);
            }

            yield return new ReportSample(key, start, end, metrics, text);
        }
    }

    private static WireCheck Check(string call, DateTimeOffset start, int index, string? key, WireDataPoint point) =>
        new(call, $"data point at {start:O}", index, key, point.Unmapped);
}
