using Satmon.Core.Settings;

namespace Satmon.Connectors.SesMpower;

/// <summary>
/// The settings of an mPOWER element: declared for validation (keys, units, ranges) and read back typed. Where the
/// real API is unknown (token URL, parameter names, page size) the value is a setting, so a real interface document
/// can be followed without a code change.
/// </summary>
internal sealed record MpowerOptions
{
    private const double Day = 86_400;

    /// <summary>The setting schema shown in the API and validated on create/update.</summary>
    public static IReadOnlyList<SettingDefinition> Definitions { get; } =
    [
        new(SesMpowerSettingKeys.BaseUrl, "Base URL", SettingType.Url, "Scheme and host of the SES API.") { Default = "https://ses-n-brace.com", Required = true },
        new(SesMpowerSettingKeys.ApiPrefix, "API prefix", SettingType.String,
            "Path before mefApi/… and pm-reports/… (the gateway route of the performance service).")
        { Default = "/nbrace/backend/nbrace-performance/api", Required = true },
        new(SesMpowerSettingKeys.TokenUrl, "Token URL", SettingType.Url, "Full URL of the OAuth2 (Keycloak) token endpoint.")
        { Default = "https://ses-n-brace.com/realms/nbrace/protocol/openid-connect/token", Required = true },
        new(SesMpowerSettingKeys.ClientId, "Client ID", SettingType.String, "OAuth2 client id (public client, no secret).") { Required = true },
        new(SesMpowerSettingKeys.Username, "Username", SettingType.String, "API account user name.") { Required = true },
        new(SesMpowerSettingKeys.Password, "Password", SettingType.String, "API account password.") { Required = true, Secret = true },
        new(SesMpowerSettingKeys.TopicId, "Topic ID", SettingType.String, "Streaming-management topic to subscribe to.") { Default = "performance", Required = true },
        new(SesMpowerSettingKeys.SubscriptionProtocol, "Subscription protocol", SettingType.String, "Protocol named in a new subscription (MEF W147).")
        { Default = "https", Required = true },
        Duration(SesMpowerSettingKeys.PullInterval, "Pull interval", "How often pm-reports is pulled, in seconds.", 300, 10, Day),
        Duration(SesMpowerSettingKeys.MaxHistoryRange, "Maximum history range", "Longest time range asked in one pm-reports request (catch-up is split), in seconds.",
            7 * Day, 60, 30 * Day),
        Duration(SesMpowerSettingKeys.InitialHistory, "Initial history", "How far back the very first pull of an element goes, in seconds.", 3600, 0, 30 * Day),
        Duration(SesMpowerSettingKeys.LateSampleOverlap, "Late-sample overlap",
            "Each pull re-asks this much before the end of the previous one, so samples the vendor publishes late are not missed, in seconds.",
            60, 1, Day),
        new(SesMpowerSettingKeys.AutoRemoval, "Automatic terminal removal", SettingType.Boolean, "Remove terminals that stopped reporting.") { Default = "true", Required = true },
        Duration(SesMpowerSettingKeys.RemovalPeriod, "Terminal removal period", "A terminal with no report for this long leaves the table, in seconds.", 7 * Day, 60, 365 * Day),
        new(SesMpowerSettingKeys.PageSize, "Page size", SettingType.Integer, "Messages asked per pm-reports page (limit).")
        { Default = "1000", Required = true, Minimum = 1, Maximum = 100_000 },
        new(SesMpowerSettingKeys.RangeFrom, "Range start parameter", SettingType.String, "Query parameter of the (exclusive) range start.") { Default = "eventTime.gt", Required = true },
        new(SesMpowerSettingKeys.RangeTo, "Range end parameter", SettingType.String, "Query parameter of the (exclusive) range end.") { Default = "eventTime.lt", Required = true },
        Duration(SesMpowerSettingKeys.TokenRefreshMargin, "Token refresh margin", "The access token is refreshed this long before it expires, in seconds.", 30, 0, 3600),
        Duration(SesMpowerSettingKeys.RequestTimeout, "Request timeout", "Longest wait for one vendor answer, in seconds.", 30, 1, 600),
    ];

    public required Uri BaseUrl { get; init; }
    public required string ApiPrefix { get; init; }
    public required Uri TokenUrl { get; init; }
    public required string ClientId { get; init; }
    public required string Username { get; init; }
    public required string Password { get; init; }
    public required string TopicId { get; init; }
    public required string SubscriptionProtocol { get; init; }
    public required TimeSpan PullInterval { get; init; }
    public required TimeSpan MaxHistoryRange { get; init; }
    public required TimeSpan InitialHistory { get; init; }
    public required TimeSpan LateSampleOverlap { get; init; }
    public required bool AutoRemoval { get; init; }
    public required TimeSpan RemovalPeriod { get; init; }
    public required int PageSize { get; init; }
    public required string RangeFromParameter { get; init; }
    public required string RangeToParameter { get; init; }
    public required TimeSpan TokenRefreshMargin { get; init; }
    public required TimeSpan RequestTimeout { get; init; }

    /// <summary>Reads the (already validated) settings of one element.</summary>
    public static MpowerOptions From(ElementSettings settings) => new()
    {
        BaseUrl = settings.GetUri(SesMpowerSettingKeys.BaseUrl),
        ApiPrefix = "/" + settings.GetRequiredString(SesMpowerSettingKeys.ApiPrefix).Trim('/'),
        TokenUrl = settings.GetUri(SesMpowerSettingKeys.TokenUrl),
        ClientId = settings.GetRequiredString(SesMpowerSettingKeys.ClientId),
        Username = settings.GetRequiredString(SesMpowerSettingKeys.Username),
        Password = settings.GetRequiredString(SesMpowerSettingKeys.Password),
        TopicId = settings.GetRequiredString(SesMpowerSettingKeys.TopicId),
        SubscriptionProtocol = settings.GetRequiredString(SesMpowerSettingKeys.SubscriptionProtocol),
        PullInterval = settings.GetDuration(SesMpowerSettingKeys.PullInterval),
        MaxHistoryRange = settings.GetDuration(SesMpowerSettingKeys.MaxHistoryRange),
        InitialHistory = settings.GetDuration(SesMpowerSettingKeys.InitialHistory),
        LateSampleOverlap = settings.GetDuration(SesMpowerSettingKeys.LateSampleOverlap),
        AutoRemoval = settings.GetBoolean(SesMpowerSettingKeys.AutoRemoval),
        RemovalPeriod = settings.GetDuration(SesMpowerSettingKeys.RemovalPeriod),
        PageSize = settings.GetInt32(SesMpowerSettingKeys.PageSize),
        RangeFromParameter = settings.GetRequiredString(SesMpowerSettingKeys.RangeFrom),
        RangeToParameter = settings.GetRequiredString(SesMpowerSettingKeys.RangeTo),
        TokenRefreshMargin = settings.GetDuration(SesMpowerSettingKeys.TokenRefreshMargin),
        RequestTimeout = settings.GetDuration(SesMpowerSettingKeys.RequestTimeout),
    };

    /// <summary>An absolute URL under the API prefix, e.g. <c>pm-reports/{id}</c>.</summary>
    public Uri ApiUrl(string relative) => new(BaseUrl, ApiPrefix + "/" + relative);

    /// <summary>Printed instead of the values, so a logged options object cannot leak the password.</summary>
    public override string ToString() => $"MpowerOptions({BaseUrl}, user {Username})";

    private static SettingDefinition Duration(string key, string label, string description, double defaultSeconds, double min, double max) =>
        new(key, label, SettingType.DurationSeconds, description)
        {
            Default = defaultSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Required = true,
            Minimum = min,
            Maximum = max,
        };
}
