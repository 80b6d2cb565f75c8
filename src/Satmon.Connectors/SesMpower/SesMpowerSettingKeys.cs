namespace Satmon.Connectors.SesMpower;

/// <summary>
/// Setting keys of a <c>ses-mpower</c> element, for whoever creates elements (the host's demo, tests, benchmarks).
/// Types, defaults, units and ranges are in the connector's descriptor.
/// </summary>
public static class SesMpowerSettingKeys
{
    /// <summary>Scheme and host of the SES API (URL).</summary>
    public const string BaseUrl = "baseUrl";

    /// <summary>Path of the performance service before <c>mefApi/…</c> and <c>pm-reports/…</c>.</summary>
    public const string ApiPrefix = "apiPrefix";

    /// <summary>Full URL of the OAuth2 token endpoint.</summary>
    public const string TokenUrl = "tokenUrl";

    /// <summary>OAuth2 client id.</summary>
    public const string ClientId = "clientId";

    /// <summary>API user.</summary>
    public const string Username = "username";

    /// <summary>API password (secret).</summary>
    public const string Password = "password";

    /// <summary>Streaming-management topic.</summary>
    public const string TopicId = "topicId";

    /// <summary>Protocol named in a new subscription.</summary>
    public const string SubscriptionProtocol = "subscriptionProtocol";

    /// <summary>Pull interval, seconds.</summary>
    public const string PullInterval = "pullIntervalSeconds";

    /// <summary>Longest range of one pm-reports request, seconds.</summary>
    public const string MaxHistoryRange = "maxHistoryRangeSeconds";

    /// <summary>How far back the first pull goes, seconds.</summary>
    public const string InitialHistory = "initialHistorySeconds";

    /// <summary>How much each pull re-asks before the previous one's end, seconds.</summary>
    public const string LateSampleOverlap = "lateSampleOverlapSeconds";

    /// <summary>Whether silent terminals are removed (bool).</summary>
    public const string AutoRemoval = "autoRemoval";

    /// <summary>Silence after which a terminal is removed, seconds.</summary>
    public const string RemovalPeriod = "removalPeriodSeconds";

    /// <summary>Messages per pm-reports page.</summary>
    public const string PageSize = "pageSize";

    /// <summary>Query parameter of the range start.</summary>
    public const string RangeFrom = "rangeFromParameter";

    /// <summary>Query parameter of the range end.</summary>
    public const string RangeTo = "rangeToParameter";

    /// <summary>How long before expiry the access token is refreshed, seconds.</summary>
    public const string TokenRefreshMargin = "tokenRefreshMarginSeconds";

    /// <summary>Longest wait for one vendor answer, seconds.</summary>
    public const string RequestTimeout = "requestTimeoutSeconds";
}
