using Satmon.Simulators.Faults;

namespace Satmon.Simulators.SesMpower;

/// <summary>
/// Programmatic fault injection for the mPOWER simulator (the same as its <c>/_admin</c> endpoints). Rules queue
/// up in order; a rule without a path prefix applies to API calls (under <c>ApiPrefix</c>), not the token endpoint.
/// </summary>
public sealed class SesMpowerFaults
{
    private readonly SesMpowerRuntime runtime;
    private readonly FaultInjection injection;

    internal SesMpowerFaults(SesMpowerRuntime runtime, FaultInjection injection)
    {
        this.runtime = runtime;
        this.injection = injection;
    }

    /// <summary>The underlying rule queue, for rules the helpers below do not cover.</summary>
    public FaultQueue Queue => runtime.FaultQueue;

    /// <summary>Requests currently held by a <see cref="Slow"/> delay; wait for it before advancing a fake clock.</summary>
    public int DelaysInProgress => injection.DelaysInProgress;

    /// <summary>Every access token issued so far stops working now (API calls answer 401).</summary>
    public void ExpireAccessTokensNow() => runtime.Tokens.ExpireAccessTokensNow();

    /// <summary>Every session ends now: refresh grants answer 400 invalid_grant; access tokens run out normally.</summary>
    public void RevokeSessions() => runtime.Tokens.RevokeSessions();

    /// <summary>Every subscription becomes EXPIRED now. Returns how many were still active.</summary>
    public int ExpireSubscriptionsNow() => runtime.Subscriptions.ExpireAllNow();

    /// <summary>Answer the next <paramref name="count"/> API calls (or calls under <paramref name="pathPrefix"/>) with
    /// <paramref name="statusCode"/> and a MEF error body.</summary>
    public void RespondWithStatus(int statusCode, int count = 1, string? pathPrefix = null) =>
        Queue.Add(FaultRule.Status(statusCode, count, pathPrefix));

    /// <summary>Answer the next calls with 429 and <c>Retry-After</c> (whole seconds).</summary>
    public void TooManyRequests(TimeSpan retryAfter, int count = 1, string? pathPrefix = null) =>
        Queue.Add(FaultRule.Status(429, count, pathPrefix, retryAfter));

    /// <summary>
    /// Hold the next calls for <paramref name="delay"/> on the simulator's clock before answering. With a fake
    /// clock the call only completes when the test advances it; wait for <see cref="DelaysInProgress"/> first.
    /// </summary>
    public void Slow(TimeSpan delay, int count = 1, string? pathPrefix = null) => Queue.Add(FaultRule.Slow(delay, count, pathPrefix));

    /// <summary>Cut the body of the next <paramref name="count"/> pm-reports responses in half (malformed JSON).</summary>
    public void MalformedPmReports(int count = 1) => Queue.Add(FaultRule.Truncate(count, PmReportsPrefix));

    /// <summary>
    /// The next <paramref name="count"/> pm-reports pages with offset &gt; 0 start by repeating the last
    /// <paramref name="messages"/> messages of the page before them.
    /// </summary>
    public void DuplicateAcrossPages(int messages = 1, int count = 1) => Queue.Add(FaultRule.Duplicate(messages, count, PmReportsPrefix));

    /// <summary>Drop every queued rule.</summary>
    public void Clear() => Queue.Clear();

    private string PmReportsPrefix => runtime.Options.ApiPrefix + PmReportsEndpoint.RelativePath;
}
