namespace Satmon.Simulators.SesMpower;

/// <summary>How a refresh grant treats refresh tokens.</summary>
public enum RefreshTokenRotation
{
    /// <summary>A refresh returns a new refresh token; the old one stays valid until its own expiry (Keycloak default).</summary>
    NewTokenOldStaysValid,

    /// <summary>A refresh returns a new refresh token and revokes the one used (Keycloak "Revoke Refresh Token").</summary>
    NewTokenOldRevoked,

    /// <summary>A refresh returns the same refresh token again.</summary>
    SameToken,
}

/// <summary>
/// Settings of the SES O3b mPOWER simulator. Defaults follow the vendor reference
/// (<c>reference/ses-mpower-api.md</c>); where the real API is unknown they are the shape Satmon assumes.
/// </summary>
public sealed class SesMpowerSimulatorOptions
{
    /// <summary>Configuration section for <c>satmon simulate</c>.</summary>
    public const string SectionName = "Simulators:SesMpower";

    /// <summary>How far before the clock at construction samples exist when <see cref="HistoryStart"/> is null.</summary>
    public static readonly TimeSpan DefaultHistoryLength = TimeSpan.FromDays(30);

    /// <summary>TCP port on 127.0.0.1; 0 (default) = a free port chosen by the OS.</summary>
    public int Port { get; set; }

    /// <summary>Seed of the generated fleet and its metrics; the same seed gives the same data. Default 1.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>Number of terminals, 1-1 000 000. Default 200.</summary>
    public int TerminalCount { get; set; } = 200;

    /// <summary>Time between two samples of one terminal (1 s to 1 day); samples sit on multiples of it since the Unix epoch. Default 1 min.</summary>
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// First moment samples exist (aligned down to <see cref="SampleInterval"/>). Null (default) =
    /// <see cref="DefaultHistoryLength"/> (30 days) before the clock when the simulator is created.
    /// </summary>
    public DateTimeOffset? HistoryStart { get; set; }

    /// <summary>Percentage (0-100) of terminals that stop reporting for good, 25-35 days after the history start. Default 3.</summary>
    public double SilentTerminalPercent { get; set; } = 3;

    /// <summary>Keycloak client id the token endpoint accepts. Default <c>nbrace-client</c>.</summary>
    public string ClientId { get; set; } = "nbrace-client";

    /// <summary>User name the password grant accepts. Default <c>satmon</c>.</summary>
    public string Username { get; set; } = "satmon";

    /// <summary>Password the password grant accepts. Default <c>satmon-demo</c>; never logged.</summary>
    public string Password { get; set; } = "satmon-demo";

    /// <summary>Absolute path of the Keycloak-style token endpoint. Default <c>/realms/nbrace/protocol/openid-connect/token</c>.</summary>
    public string TokenPath { get; set; } = "/realms/nbrace/protocol/openid-connect/token";

    /// <summary>Absolute path prefix of the API (the MEF "seller prefix"). Default <c>/nbrace/backend/nbrace-performance/api</c>.</summary>
    public string ApiPrefix { get; set; } = "/nbrace/backend/nbrace-performance/api";

    /// <summary>Access token lifetime (<c>expires_in</c>). Default 300 s.</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromSeconds(300);

    /// <summary>Refresh token lifetime (<c>refresh_expires_in</c>), counted from each grant. Default 1800 s.</summary>
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromSeconds(1800);

    /// <summary>What a refresh grant does with refresh tokens. Default: a new one, the old one stays valid.</summary>
    public RefreshTokenRotation RefreshTokenRotation { get; set; } = RefreshTokenRotation.NewTokenOldStaysValid;

    /// <summary>Time from a subscription's creation until its status becomes EXPIRED. Default 24 h.</summary>
    public TimeSpan SubscriptionTtl { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Status code pm-reports answers for an expired subscription: 404 (default) or 410.</summary>
    public int ExpiredSubscriptionStatusCode { get; set; } = 404;

    /// <summary>Longest pm-reports time range; a longer one gets 422 <c>tooLargeDataset</c>. Default 7 days.</summary>
    public TimeSpan MaxRange { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Range pm-reports returns when the request gives neither bound: the last this-much up to now. Default 5 min.</summary>
    public TimeSpan DefaultRange { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Largest page (also the page size when <c>limit</c> is absent); larger limits are cut and flagged
    /// with <c>X-Pagination-Throttled</c>. Default 10 000.</summary>
    public int MaxPageSize { get; set; } = 10_000;

    /// <summary>Id of the one topic offered. Default <c>performance</c>.</summary>
    public string TopicId { get; set; } = "performance";

    /// <summary>Query names of the exclusive lower time bound, first = documented name. Default
    /// <c>eventTime.gt</c>, with the reference §6.4 aliases <c>startDate</c> and <c>from</c>.</summary>
    public IList<string> RangeFromParameterNames { get; set; } = ["eventTime.gt", "startDate", "from"];

    /// <summary>Query names of the exclusive upper time bound, first = documented name. Default
    /// <c>eventTime.lt</c>, with the aliases <c>endDate</c> and <c>to</c>.</summary>
    public IList<string> RangeToParameterNames { get; set; } = ["eventTime.lt", "endDate", "to"];
}
