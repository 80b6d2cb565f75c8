namespace Satmon.Simulators.SesInventory.Faults;

/// <summary>What an <see cref="InventoryFaultRule"/> does to a list or get call it matches.</summary>
public enum InventoryFaultKind
{
    /// <summary>Answer <see cref="InventoryFaultRule.StatusCode"/> with the configured error body (401 adds WWW-Authenticate).</summary>
    Status,

    /// <summary>Wait <see cref="InventoryFaultRule.Delay"/> on the simulator's clock, then answer (other rules may still apply).</summary>
    Delay,

    /// <summary>Answer 200 with only the first half of the JSON body (Content-Length matches, the JSON is cut).</summary>
    MalformedJson,
}

/// <summary>
/// A fault scoped by API, entity type and page, which a path prefix cannot express: services and carriers share
/// one path, and pages differ only by query. Null scopes match anything.
/// </summary>
public sealed record InventoryFaultRule
{
    /// <summary>What the fault does.</summary>
    public required InventoryFaultKind Kind { get; init; }

    /// <summary>Only calls of this API; null = both.</summary>
    public InventoryApi? Api { get; init; }

    /// <summary>Only calls for this entity type; null = any.</summary>
    public InventoryEntity? Entity { get; init; }

    /// <summary>
    /// Only this page: 0-based ordinal, whatever the flavour (gateway: page index − first page index; TMF:
    /// offset / limit). Null = any page. Get-by-id calls have no page and match only rules without one.
    /// </summary>
    public int? Page { get; init; }

    /// <summary>Only list calls that filter by <c>updatedDaysAgo</c> (true), only those that do not (false), or both (null).</summary>
    public bool? UpdatedOnly { get; init; }

    /// <summary>HTTP status for <see cref="InventoryFaultKind.Status"/>, 400-599. Default 504.</summary>
    public int StatusCode { get; init; } = 504;

    /// <summary>How long <see cref="InventoryFaultKind.Delay"/> waits, on the simulator's <see cref="TimeProvider"/>.</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>How many matching calls the rule applies to; null = every one until cleared (e.g. a page that always times out).</summary>
    public int? Times { get; init; }

    /// <summary>A page that answers <paramref name="statusCode"/> (default 504 Gateway Timeout), every time unless <paramref name="times"/> is set.</summary>
    public static InventoryFaultRule FailPage(InventoryEntity entity, int page, int statusCode = 504, int? times = null) =>
        new() { Kind = InventoryFaultKind.Status, Entity = entity, Page = page, StatusCode = statusCode, Times = times };

    /// <summary>Every call for an entity type answers <paramref name="statusCode"/> (default 502 Bad Gateway).</summary>
    public static InventoryFaultRule FailEntity(InventoryEntity entity, int statusCode = 502, int? times = null) =>
        new() { Kind = InventoryFaultKind.Status, Entity = entity, StatusCode = statusCode, Times = times };

    /// <summary>Calls of one API answer 401 even with the right credentials (credentials revoked).</summary>
    public static InventoryFaultRule Unauthorized(InventoryApi api, int? times = null) =>
        new() { Kind = InventoryFaultKind.Status, Api = api, StatusCode = 401, Times = times };

    /// <summary>Slow answers, measured on the simulator's clock.</summary>
    public static InventoryFaultRule Slow(TimeSpan delay, InventoryEntity? entity = null, int? page = null, int? times = 1) =>
        new() { Kind = InventoryFaultKind.Delay, Delay = delay, Entity = entity, Page = page, Times = times };

    /// <summary>Truncated JSON bodies.</summary>
    public static InventoryFaultRule Malformed(InventoryEntity? entity = null, int? page = null, int? times = 1) =>
        new() { Kind = InventoryFaultKind.MalformedJson, Entity = entity, Page = page, Times = times };

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid property.</summary>
    public void Validate()
    {
        if (Times is < 1)
        {
            throw new ArgumentException($"{nameof(Times)} must be at least 1, or null for every call (was {Times}).", nameof(Times));
        }

        if (Page is < 0)
        {
            throw new ArgumentException($"{nameof(Page)} must not be negative (was {Page}).", nameof(Page));
        }

        if (Kind == InventoryFaultKind.Status && StatusCode is < 400 or > 599)
        {
            throw new ArgumentException($"{nameof(StatusCode)} must be 400-599 (was {StatusCode}).", nameof(StatusCode));
        }

        if (Kind == InventoryFaultKind.Delay && Delay <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{nameof(Delay)} must be positive (was {Delay}).", nameof(Delay));
        }

        if (Api is { } api && Entity is { } entity && api != SesInventoryFaults.ApiOf(entity))
        {
            throw new ArgumentException($"{nameof(Entity)} {entity} is not served by {nameof(Api)} {api}.", nameof(Entity));
        }
    }

    internal bool Matches(InventoryApi api, InventoryEntity entity, int? page, bool updated) =>
        (Api is null || Api == api)
        && (Entity is null || Entity == entity)
        && (Page is null || Page == page)
        && (UpdatedOnly is null || UpdatedOnly == updated);
}

/// <summary>A queued rule and how many more calls it applies to (null = unlimited).</summary>
public sealed record PendingInventoryFault(InventoryFaultRule Rule, int? Remaining);
