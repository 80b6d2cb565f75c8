using System.Globalization;
using Satmon.Core.Settings;

namespace Satmon.Connectors.SesInventory;

/// <summary>
/// The settings of an SES Inventory Management element: declared for validation (keys, units, ranges) and read back
/// typed. The SES gateway is not publicly documented (reference §0, §10), so every path and parameter name the
/// reference is unsure of is a setting: a captured real response can be followed without a code change.
/// </summary>
internal sealed record SesInventoryOptions
{
    public const string Tmf638BaseUrlKey = "tmf638BaseUrl";
    public const string Tmf638UsernameKey = "tmf638Username";
    public const string Tmf638PasswordKey = "tmf638Password";
    public const string Tmf639UrlKey = "tmf639Url";
    public const string Tmf639UsernameKey = "tmf639Username";
    public const string Tmf639PasswordKey = "tmf639Password";
    public const string CacheUpdateKey = "cacheUpdateSeconds";
    public const string RecordsPerPageKey = "recordsPerPage";
    public const string BypassProxyKey = "bypassProxy";
    public const string ServicesPathKey = "servicesPath";
    public const string ResourcesPathKey = "resourcesPath";
    public const string PagingStyleKey = "pagingStyle";
    public const string PageParameterKey = "pageParameter";
    public const string FirstPageKey = "firstPageIndex";
    public const string CarrierFilterKey = "carrierFilter";
    public const string RequestTimeoutKey = "requestTimeoutSeconds";
    public const string UpdateStatusFilterKey = "updateStatusFilter";

    /// <summary><c>recordsPerPage</c> plus a page index (the SES gateway, reference §6).</summary>
    public const string PageStyle = "page";

    /// <summary>Standard TMF630 <c>offset</c>/<c>limit</c> (reference §2.1, §4).</summary>
    public const string OffsetStyle = "offset";

    public const string DefaultTmf639Url = "https://mintapi.dbb-oa-dev.az.ses/gstm/dataminer/tmf/api/v1/tmf639";

    /// <summary>The setting schema shown in the API and validated on create/update.</summary>
    public static IReadOnlyList<SettingDefinition> Definitions { get; } =
    [
        new(Tmf638BaseUrlKey, "TMF 638 base URL", SettingType.Url,
            "Base URL of the TMF638 Service Inventory API (services and carriers); the services path is appended.")
        { Default = "https://mintapi.dbb-oa-dev.az.ses/gstm/dataminer/tmf/api/v1/tmf638", Required = true },
        new(Tmf638UsernameKey, "TMF 638 username", SettingType.String, "HTTP Basic user of the TMF638 API.") { Required = true },
        new(Tmf638PasswordKey, "TMF 638 password", SettingType.String, "HTTP Basic password of the TMF638 API.") { Required = true, Secret = true },
        new(Tmf639UrlKey, "TMF 639 endpoint", SettingType.Url,
            "Full URL of the TMF639 Resource Inventory endpoint (resources); the resources path, if any, is appended.")
        { Default = DefaultTmf639Url, Required = true },
        new(Tmf639UsernameKey, "TMF 639 username", SettingType.String, "HTTP Basic user of the TMF639 API.") { Required = true },
        new(Tmf639PasswordKey, "TMF 639 password", SettingType.String, "HTTP Basic password of the TMF639 API.") { Required = true, Secret = true },
        new(CacheUpdateKey, "Cache update frequency", SettingType.DurationSeconds,
            "How often services, carriers and resources are polled (items updated in the last 24 h), in seconds.")
        { Default = "3600", Required = true, Minimum = 3600, Maximum = 432_000 },
        new(RecordsPerPageKey, "Records per page", SettingType.Integer,
            "Records asked per page (recordsPerPage); a page with fewer records is the last one.")
        { Default = "50", Required = true, Minimum = 1, Maximum = 1000 },
        new(BypassProxyKey, "Bypass proxy", SettingType.Boolean, "Connect directly, ignoring the system HTTP proxy.")
        { Default = "false", Required = true },
        new(ServicesPathKey, "Services path", SettingType.String,
            "Path under the TMF 638 base URL of the service collection (services, and carriers with the carrier filter).")
        { Default = "service", Required = true },
        new(ResourcesPathKey, "Resources path", SettingType.String,
            "Path under the TMF 639 endpoint of the resource collection; empty uses the endpoint as it is.")
        { Default = "" },
        new(PagingStyleKey, "Paging style", SettingType.Enum,
            "'page': recordsPerPage plus a page index (SES gateway); 'offset': TMF offset and limit.")
        { Default = PageStyle, Required = true, AllowedValues = [PageStyle, OffsetStyle] },
        new(PageParameterKey, "Page index parameter", SettingType.String,
            "Name of the page index query parameter (paging style 'page'); the SES documentation does not name it.")
        { Default = "page", Required = true },
        new(FirstPageKey, "First page index", SettingType.Integer, "Index of the first page (0 or 1) for paging style 'page'.")
        { Default = "1", Required = true, Minimum = 0, Maximum = 1 },
        new(CarrierFilterKey, "Carrier filter", SettingType.String,
            "Query parameter (name=value) that selects carriers in the TMF638 service collection.")
        { Default = "@type=element", Required = true },
        new(UpdateStatusFilterKey, "status=1 on updates", SettingType.Boolean,
            "Also send status=1 on periodic updates. Off by default: services that stop being Operational are then seen and removed (see README).")
        { Default = "false", Required = true },
        new(RequestTimeoutKey, "Request timeout", SettingType.DurationSeconds, "Longest wait for one page, in seconds.")
        { Default = "60", Required = true, Minimum = 1, Maximum = 600 },
    ];

    public required Uri Tmf638BaseUrl { get; init; }
    public required string Tmf638Username { get; init; }
    public required string Tmf638Password { get; init; }
    public required Uri Tmf639Url { get; init; }
    public required string Tmf639Username { get; init; }
    public required string Tmf639Password { get; init; }
    public required TimeSpan CacheUpdate { get; init; }
    public required int RecordsPerPage { get; init; }
    public required bool BypassProxy { get; init; }
    public required string ServicesPath { get; init; }
    public required string ResourcesPath { get; init; }
    public required bool OffsetPaging { get; init; }
    public required string PageParameter { get; init; }
    public required int FirstPageIndex { get; init; }
    public required string CarrierFilterName { get; init; }
    public required string CarrierFilterValue { get; init; }
    public required TimeSpan RequestTimeout { get; init; }
    public required bool UpdateStatusFilter { get; init; }

    /// <summary>Reads the (already validated) settings of one element.</summary>
    public static SesInventoryOptions From(ElementSettings settings)
    {
        var filter = settings.GetRequiredString(CarrierFilterKey);
        var equals = filter.IndexOf('=', StringComparison.Ordinal);
        return new SesInventoryOptions
        {
            Tmf638BaseUrl = settings.GetUri(Tmf638BaseUrlKey),
            Tmf638Username = settings.GetRequiredString(Tmf638UsernameKey),
            Tmf638Password = settings.GetRequiredString(Tmf638PasswordKey),
            Tmf639Url = settings.GetUri(Tmf639UrlKey),
            Tmf639Username = settings.GetRequiredString(Tmf639UsernameKey),
            Tmf639Password = settings.GetRequiredString(Tmf639PasswordKey),
            CacheUpdate = settings.GetDuration(CacheUpdateKey),
            RecordsPerPage = settings.GetInt32(RecordsPerPageKey),
            BypassProxy = settings.GetBoolean(BypassProxyKey),
            ServicesPath = settings.GetRequiredString(ServicesPathKey).Trim('/'),
            ResourcesPath = (settings.GetString(ResourcesPathKey) ?? "").Trim('/'),
            OffsetPaging = settings.GetRequiredString(PagingStyleKey) == OffsetStyle,
            PageParameter = settings.GetRequiredString(PageParameterKey),
            FirstPageIndex = settings.GetInt32(FirstPageKey),
            // "name=value"; a bare name is sent as "name=" (the gateway then sees the parameter, as asked).
            CarrierFilterName = equals < 0 ? filter : filter[..equals],
            CarrierFilterValue = equals < 0 ? "" : filter[(equals + 1)..],
            RequestTimeout = settings.GetDuration(RequestTimeoutKey),
            UpdateStatusFilter = settings.GetBoolean(UpdateStatusFilterKey),
        };
    }

    /// <summary>The service collection (services and carriers).</summary>
    public Uri ServicesUrl => Append(Tmf638BaseUrl, ServicesPath);

    /// <summary>The resource collection.</summary>
    public Uri ResourcesUrl => Append(Tmf639Url, ResourcesPath);

    /// <summary>Printed instead of the values, so a logged options object cannot leak a password.</summary>
    public override string ToString() =>
        $"SesInventoryOptions(TMF638 {Tmf638BaseUrl} as {Tmf638Username}, TMF639 {Tmf639Url} as {Tmf639Username}, {RecordsPerPage.ToString(CultureInfo.InvariantCulture)} per page)";

    private static Uri Append(Uri baseUrl, string path) =>
        path.Length == 0 ? baseUrl : new Uri(baseUrl.AbsoluteUri.TrimEnd('/') + "/" + path);
}
