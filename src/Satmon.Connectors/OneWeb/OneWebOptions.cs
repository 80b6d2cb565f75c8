using System.Globalization;
using Satmon.Core.Settings;

namespace Satmon.Connectors.OneWeb;

/// <summary>
/// The settings of a OneWeb element: declared for validation (keys, units, ranges) and read back typed. Only the
/// hello and user-terminal paths are confirmed for the real API; every other path is a TM Forum-style guess, so each
/// one is a setting and a real interface document can be followed without a code change (see README.md).
/// </summary>
internal sealed record OneWebOptions
{
    public const string BaseUrlKey = "baseUrl";
    public const string ClientIdKey = "clientId";
    public const string ClientSecretKey = "clientSecret";
    public const string HelloPathKey = "helloPath";
    public const string UserTerminalPathKey = "userTerminalPath";
    public const string ProductPathKey = "productPath";
    public const string OrganizationPathKey = "organizationPath";
    public const string SitePathKey = "sitePath";
    public const string PerformanceReportPathKey = "performanceReportPath";
    public const string UsageConsumptionPathKey = "usageConsumptionPath";
    public const string PageSizeKey = "pageSize";
    public const string OffsetParameterKey = "offsetParameter";
    public const string LimitParameterKey = "limitParameter";
    public const string RequestTimeoutKey = "requestTimeoutSeconds";
    public const string MaxConcurrentRequestsKey = "maxConcurrentRequests";
    public const string InitialHistoryKey = "reportInitialHistorySeconds";
    public const string LateSampleOverlapKey = "lateSampleOverlapSeconds";
    public const string MaxReportWindowKey = "maxReportWindowSeconds";
    public const string MaxCatchUpKey = "maxCatchUpSeconds";
    public const string ReportPollIntervalKey = "reportPollIntervalSeconds";
    public const string ReportCompletionTimeoutKey = "reportCompletionTimeoutSeconds";
    public const string RateLimitFallbackKey = "rateLimitFallbackSeconds";
    public const string CoordinateOrderKey = "locationCoordinateOrder";

    public const string LonLat = "lonLat";
    public const string LatLon = "latLon";

    private const double Day = 86_400;

    /// <summary>The setting schema shown in the API and validated on create/update.</summary>
    public static IReadOnlyList<SettingDefinition> Definitions { get; } =
    [
        new(BaseUrlKey, "Base URL", SettingType.Url, "Scheme, host and port of the OneWeb API (plain http is allowed for a simulator).")
        { Default = "https://api.oneweb.net", Required = true },
        new(ClientIdKey, "Client ID", SettingType.String, "Client ID of the Anypoint Exchange application; the HTTP Basic user name.") { Required = true },
        new(ClientSecretKey, "Client secret", SettingType.String, "Client secret of that application; the HTTP Basic password.")
        { Required = true, Secret = true },
        Path(HelloPathKey, "Hello path", "Authentication check (confirmed).", "/hello/v1/oneweb/world"),
        Path(UserTerminalPathKey, "User terminal path", "User terminal collection (confirmed).", "/resourceInventory/v3/userTerminal"),
        Path(ProductPathKey, "Product path", "Product inventory collection (base confirmed, resource assumed TMF637).",
            "/api/webservices/productinventory/v2/product"),
        Path(OrganizationPathKey, "Organization path", "Organizations: partners and customers (assumed TMF632).", "/partyManagement/v4/organization"),
        Path(SitePathKey, "Site path", "Sites (assumed TMF674).", "/geographicSiteManagement/v4/geographicSite"),
        Path(PerformanceReportPathKey, "Performance report path", "Performance reports (base confirmed, shape assumed MEF/PSI).",
            "/performanceMonitoring/v2/performanceReport"),
        Path(UsageConsumptionPathKey, "Usage consumption path", "Usage consumption reports (assumed TMF677).",
            "/usageConsumption/v4/usageConsumptionReport"),
        new(PageSizeKey, "Page size", SettingType.Integer, "Rows asked per list page (limit); the vendor may answer fewer.")
        { Default = "1000", Required = true, Minimum = 1, Maximum = 100_000 },
        new(OffsetParameterKey, "Offset parameter", SettingType.String, "Query parameter of the first row of a page (TMF630: offset).")
        { Default = "offset", Required = true },
        new(LimitParameterKey, "Limit parameter", SettingType.String, "Query parameter of the page size (TMF630: limit).")
        { Default = "limit", Required = true },
        Duration(RequestTimeoutKey, "Request timeout", "Longest wait for one vendor answer, in seconds.", 60, 1, 600),
        new(MaxConcurrentRequestsKey, "Maximum concurrent requests", SettingType.Integer,
            "Requests this element has in flight at once across all its tasks (the gateway rate-limits per client id).")
        { Default = "2", Required = true, Minimum = 1, Maximum = 16 },
        Duration(InitialHistoryKey, "Initial report history", "How far back the first performance report of an element reaches, in seconds.",
            Day, 900, 30 * Day),
        Duration(LateSampleOverlapKey, "Late-sample overlap",
            "Each report re-asks this much before the last sample received, so samples the vendor publishes late are not lost, in seconds.",
            2 * 3600, 0, 7 * Day),
        Duration(MaxReportWindowKey, "Maximum report window", "Longest time frame asked in one performance report (catch-up is split), in seconds.",
            Day, 900, 31 * Day),
        Duration(MaxCatchUpKey, "Maximum catch-up",
            "After downtime, reports reach back at most this far (older samples are given up), in seconds.", 7 * Day, 900, 90 * Day),
        Duration(ReportPollIntervalKey, "Report poll interval", "Wait between checks of a performance report that is still in progress, in seconds.",
            5, 1, 600),
        Duration(ReportCompletionTimeoutKey, "Report completion timeout", "Longest wait for one performance report to complete, in seconds.",
            600, 5, 3600),
        Duration(RateLimitFallbackKey, "Rate-limit fallback wait",
            "Wait after an HTTP 429 that carries neither Retry-After nor X-Ratelimit-Reset, in seconds.", 60, 1, 3600),
        new(CoordinateOrderKey, "Location coordinate order", SettingType.Enum,
            "Order of the numbers in a terminal's GeoJSON location: lonLat (GeoJSON standard) or latLon (unverified for the real API).")
        { Default = LonLat, Required = true, AllowedValues = [LonLat, LatLon] },
    ];

    public required Uri BaseUrl { get; init; }
    public required string ClientId { get; init; }
    public required string ClientSecret { get; init; }
    public required string HelloPath { get; init; }
    public required string UserTerminalPath { get; init; }
    public required string ProductPath { get; init; }
    public required string OrganizationPath { get; init; }
    public required string SitePath { get; init; }
    public required string PerformanceReportPath { get; init; }
    public required string UsageConsumptionPath { get; init; }
    public required int PageSize { get; init; }
    public required string OffsetParameter { get; init; }
    public required string LimitParameter { get; init; }
    public required TimeSpan RequestTimeout { get; init; }
    public required int MaxConcurrentRequests { get; init; }
    public required TimeSpan InitialHistory { get; init; }
    public required TimeSpan LateSampleOverlap { get; init; }
    public required TimeSpan MaxReportWindow { get; init; }
    public required TimeSpan MaxCatchUp { get; init; }
    public required TimeSpan ReportPollInterval { get; init; }
    public required TimeSpan ReportCompletionTimeout { get; init; }
    public required TimeSpan RateLimitFallback { get; init; }
    public required bool LatitudeFirst { get; init; }

    /// <summary>Reads the (already validated) settings of one element.</summary>
    public static OneWebOptions From(ElementSettings settings) => new()
    {
        BaseUrl = settings.GetUri(BaseUrlKey),
        ClientId = settings.GetRequiredString(ClientIdKey),
        ClientSecret = settings.GetRequiredString(ClientSecretKey),
        HelloPath = NormalisePath(settings.GetRequiredString(HelloPathKey)),
        UserTerminalPath = NormalisePath(settings.GetRequiredString(UserTerminalPathKey)),
        ProductPath = NormalisePath(settings.GetRequiredString(ProductPathKey)),
        OrganizationPath = NormalisePath(settings.GetRequiredString(OrganizationPathKey)),
        SitePath = NormalisePath(settings.GetRequiredString(SitePathKey)),
        PerformanceReportPath = NormalisePath(settings.GetRequiredString(PerformanceReportPathKey)),
        UsageConsumptionPath = NormalisePath(settings.GetRequiredString(UsageConsumptionPathKey)),
        PageSize = settings.GetInt32(PageSizeKey),
        OffsetParameter = Uri.EscapeDataString(settings.GetRequiredString(OffsetParameterKey)),
        LimitParameter = Uri.EscapeDataString(settings.GetRequiredString(LimitParameterKey)),
        RequestTimeout = settings.GetDuration(RequestTimeoutKey),
        MaxConcurrentRequests = settings.GetInt32(MaxConcurrentRequestsKey),
        InitialHistory = settings.GetDuration(InitialHistoryKey),
        LateSampleOverlap = settings.GetDuration(LateSampleOverlapKey),
        MaxReportWindow = settings.GetDuration(MaxReportWindowKey),
        MaxCatchUp = settings.GetDuration(MaxCatchUpKey),
        ReportPollInterval = settings.GetDuration(ReportPollIntervalKey),
        ReportCompletionTimeout = settings.GetDuration(ReportCompletionTimeoutKey),
        RateLimitFallback = settings.GetDuration(RateLimitFallbackKey),
        LatitudeFirst = settings.GetRequiredString(CoordinateOrderKey) == LatLon,
    };

    /// <summary>An absolute URL for a path setting (already escaped) and an optional query.</summary>
    public Uri Url(string path, string? query = null)
    {
        // Keep a path prefix of the base URL (a gateway route) and avoid the double slash the public client sends.
        var basePath = BaseUrl.AbsolutePath.TrimEnd('/');
        return new Uri(BaseUrl.GetLeftPart(UriPartial.Authority) + basePath + path + (query is null ? "" : "?" + query));
    }

    /// <summary>Printed instead of the values, so a logged options object cannot leak the secret.</summary>
    public override string ToString() => $"OneWebOptions({BaseUrl}, client {ClientId})";

    // "//hello/v1//oneweb/world" (what the public client really sends) and a missing leading slash both become one form.
    private static string NormalisePath(string path)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return "/" + string.Join('/', parts);
    }

    private static SettingDefinition Path(string key, string label, string description, string defaultValue) =>
        new(key, label, SettingType.String, description + " Absolute path under the base URL.") { Default = defaultValue, Required = true };

    private static SettingDefinition Duration(string key, string label, string description, double defaultSeconds, double min, double max) =>
        new(key, label, SettingType.DurationSeconds, description)
        {
            Default = defaultSeconds.ToString(CultureInfo.InvariantCulture),
            Required = true,
            Minimum = min,
            Maximum = max,
        };
}
