using System.ComponentModel.DataAnnotations;

namespace Satmon.Simulators.OneWeb;

/// <summary>
/// Settings of the OneWeb Enterprise simulator. Every path is a setting so that a real OneWeb interface
/// document can be dropped in without code changes; defaults follow reference §4 (confirmed where the
/// reference says so, TM Forum-style guesses elsewhere; see the README next to this file).
/// </summary>
public sealed class OneWebSimulatorOptions
{
    /// <summary>Configuration section name when bound from configuration.</summary>
    public const string SectionName = "Simulators:OneWeb";

    /// <summary>Seed of the deterministic fleet and metrics. Default 1.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>Number of user terminals (one product each). Default 150; at most 1 000 000 (IMEI serial space).</summary>
    [Range(1, 1_000_000)]
    public int TerminalCount { get; set; } = 150;

    /// <summary>TCP port on 127.0.0.1. Default 0 (the OS picks a free port).</summary>
    [Range(0, 65535)]
    public int Port { get; set; }

    /// <summary>HTTP Basic user name (the OneWeb client id). Default "oneweb-client".</summary>
    [Required]
    public string ClientId { get; set; } = "oneweb-client";

    /// <summary>HTTP Basic password (the OneWeb client secret). Default "oneweb-secret".</summary>
    [Required]
    public string ClientSecret { get; set; } = "oneweb-secret";

    /// <summary>
    /// Status answered for missing or wrong credentials on any path: 401 (MuleSoft default) or 404 (what the
    /// only public client reads from hello). Default 401.
    /// </summary>
    public int BadCredentialsStatus { get; set; } = 401;

    /// <summary>Also accept <c>client_id</c> / <c>client_secret</c> headers (MuleSoft "custom expression" mode). Default true.</summary>
    public bool AcceptClientIdHeaders { get; set; } = true;

    /// <summary>
    /// Quota announced in <c>X-Ratelimit-Limit</c> when a 429 fault is played (requests per minute; the reference's
    /// suggested MuleSoft SLA). No quota is enforced otherwise. Default 60.
    /// </summary>
    [Range(1, int.MaxValue)]
    public int RateLimitRequestsPerMinute { get; set; } = 60;

    /// <summary>Path of the hello call. Default <c>/hello/v1/oneweb/world</c> (confirmed); repeated slashes are collapsed.</summary>
    [Required]
    public string HelloPath { get; set; } = "/hello/v1/oneweb/world";

    /// <summary>User terminal collection (TMF639-like). Default <c>/resourceInventory/v3/userTerminal</c> (confirmed).</summary>
    [Required]
    public string UserTerminalPath { get; set; } = "/resourceInventory/v3/userTerminal";

    /// <summary>Product collection (TMF637). Default <c>/api/webservices/productinventory/v2/product</c> (base confirmed).</summary>
    [Required]
    public string ProductPath { get; set; } = "/api/webservices/productinventory/v2/product";

    /// <summary>Organization collection (TMF632). Default <c>/partyManagement/v4/organization</c> (path unknown, assumed).</summary>
    [Required]
    public string OrganizationPath { get; set; } = "/partyManagement/v4/organization";

    /// <summary>Site collection (TMF674). Default <c>/geographicSiteManagement/v4/geographicSite</c> (path unknown, assumed).</summary>
    [Required]
    public string SitePath { get; set; } = "/geographicSiteManagement/v4/geographicSite";

    /// <summary>Performance reports (MEF/PSI). Default <c>/performanceMonitoring/v2/performanceReport</c> (base confirmed).</summary>
    [Required]
    public string PerformanceReportPath { get; set; } = "/performanceMonitoring/v2/performanceReport";

    /// <summary>Usage consumption reports (TMF677). Default <c>/usageConsumption/v4/usageConsumptionReport</c> (path unknown, assumed).</summary>
    [Required]
    public string UsageConsumptionPath { get; set; } = "/usageConsumption/v4/usageConsumptionReport";

    /// <summary>Largest page a list call returns, whatever <c>limit</c> asks. Default 1000 rows.</summary>
    [Range(1, 1_000_000)]
    public int MaxPageSize { get; set; } = 1000;

    /// <summary>
    /// Page size when a list call has no <c>limit</c>, capped by <see cref="MaxPageSize"/>. Default 1000 rows: the
    /// public client reads the list without paging, so the default page must be large.
    /// </summary>
    [Range(1, 1_000_000)]
    public int DefaultPageSize { get; set; } = 1000;

    /// <summary>Answer 206 instead of 200 when a page does not hold every row (some TMF servers do). Default false.</summary>
    public bool PartialContentWhenTruncated { get; set; }

    /// <summary>Honour the <c>fields=</c> attribute selection (first-level attributes, <c>id</c> always kept). Default true.</summary>
    public bool HonourFieldsParameter { get; set; } = true;

    /// <summary>Answer <c>userTerminal/{imei}</c> as a one-element array (confirmed) rather than an object. Default true.</summary>
    public bool UserTerminalByImeiAsArray { get; set; } = true;

    /// <summary>Coordinate order in the GeoJSON <c>location</c>. Default <see cref="CoordinateOrder.LonLat"/> (GeoJSON).</summary>
    public CoordinateOrder LocationCoordinateOrder { get; set; } = CoordinateOrder.LonLat;

    /// <summary>Length of one performance interval. Default 15 minutes; must divide one day.</summary>
    public TimeSpan Granularity { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How far before the simulator's start performance samples exist. Default 7 days.</summary>
    public TimeSpan SampleHistory { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Delay of <c>UserTerminalLinkAvailability</c> samples after their interval end. Default 30 minutes.</summary>
    public TimeSpan LinkAvailabilityDelay { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Delay of <c>UserTerminalSignalQuality</c> samples after their interval end. Default 15 minutes.</summary>
    public TimeSpan SignalQualityDelay { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Delay of <c>UserTerminalResourceState</c> samples after their interval end. Default 10 minutes.</summary>
    public TimeSpan ResourceStateDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Delay of <c>UserTerminalTraffic</c> samples after their interval end. Default 30 minutes.</summary>
    public TimeSpan TrafficDelay { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Delay of <c>UserTerminalLinkMetrics</c> (latency, packet loss) samples. Default 15 minutes.</summary>
    public TimeSpan LinkMetricsDelay { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Delay of <c>ProductThroughput</c> samples after their interval end. Default 1 hour.</summary>
    public TimeSpan ProductThroughputDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Time an asynchronous report (POST) stays <c>inProgress</c> before it is <c>completed</c>. Default zero
    /// (completed at the first GET).
    /// </summary>
    public TimeSpan ReportProcessingDelay { get; set; } = TimeSpan.Zero;

    /// <summary>Day of the month (UTC midnight) on which the usage bill cycle starts. Default 1; 1 to 28.</summary>
    [Range(1, 28)]
    public int BillCycleReferenceDay { get; set; } = 1;

    /// <summary>Delay of each performance report type after its interval end, from the settings above.</summary>
    public TimeSpan DelayOf(OneWebReportType reportType) => reportType switch
    {
        OneWebReportType.UserTerminalLinkAvailability => LinkAvailabilityDelay,
        OneWebReportType.UserTerminalSignalQuality => SignalQualityDelay,
        OneWebReportType.UserTerminalResourceState => ResourceStateDelay,
        OneWebReportType.UserTerminalTraffic => TrafficDelay,
        OneWebReportType.UserTerminalLinkMetrics => LinkMetricsDelay,
        OneWebReportType.ProductThroughput => ProductThroughputDelay,
        _ => throw new ArgumentOutOfRangeException(nameof(reportType), reportType, "Unknown report type."),
    };

    internal IEnumerable<(string Key, string Value)> Paths()
    {
        yield return (nameof(HelloPath), HelloPath);
        yield return (nameof(UserTerminalPath), UserTerminalPath);
        yield return (nameof(ProductPath), ProductPath);
        yield return (nameof(OrganizationPath), OrganizationPath);
        yield return (nameof(SitePath), SitePath);
        yield return (nameof(PerformanceReportPath), PerformanceReportPath);
        yield return (nameof(UsageConsumptionPath), UsageConsumptionPath);
    }
}

/// <summary>Order of the two numbers in a GeoJSON point.</summary>
public enum CoordinateOrder
{
    /// <summary>GeoJSON order: longitude, latitude.</summary>
    LonLat,

    /// <summary>Latitude first (what the only public client assumes).</summary>
    LatLon,
}

/// <summary>Performance report types (names from the Skyline connector doc; metrics assumed, reference §5.6).</summary>
public enum OneWebReportType
{
    /// <summary>Per terminal: <c>linkAvailabilityPercent</c>.</summary>
    UserTerminalLinkAvailability,

    /// <summary>Per terminal: <c>sinrAvgDb</c>, <c>sinrMinDb</c>, <c>sinrMaxDb</c>.</summary>
    UserTerminalSignalQuality,

    /// <summary>Per terminal: <c>resourceState</c>, <c>onlineSeconds</c>, <c>offlineSeconds</c>, <c>stateChanges</c>.</summary>
    UserTerminalResourceState,

    /// <summary>Per terminal: <c>bytesDownlink</c>, <c>bytesUplink</c> in the interval.</summary>
    UserTerminalTraffic,

    /// <summary>Per terminal: <c>latencyMsAvg</c>, <c>packetLossPercent</c>.</summary>
    UserTerminalLinkMetrics,

    /// <summary>Per product: <c>throughputDownlinkMbpsAvg/Max</c>, <c>throughputUplinkMbpsAvg/Max</c>.</summary>
    ProductThroughput,
}
