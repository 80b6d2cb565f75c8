namespace Satmon.Simulators.Faults;

/// <summary>What a <see cref="FaultRule"/> does to a request it matches.</summary>
public enum FaultKind
{
    /// <summary>Answer with <see cref="FaultRule.StatusCode"/> (and Retry-After when set) instead of running the endpoint.</summary>
    Status,

    /// <summary>Wait <see cref="FaultRule.Delay"/> on the simulator's clock, then go on (other rules may still apply).</summary>
    Delay,

    /// <summary>Run the endpoint, then send only the first half of its body: malformed JSON that still ends cleanly.</summary>
    TruncateBody,

    /// <summary>Not applied by the middleware: an endpoint takes it and repeats <see cref="FaultRule.Items"/> items across pages.</summary>
    Duplicate,
}

/// <summary>
/// One injected fault: applies to the next <see cref="Count"/> requests whose path starts with
/// <see cref="PathPrefix"/> (segment-wise, case-insensitive), or with the queue's default scope when it is null.
/// </summary>
public sealed record FaultRule
{
    /// <summary>What the fault does.</summary>
    public required FaultKind Kind { get; init; }

    /// <summary>How many matching requests the rule applies to before it is used up. Default 1.</summary>
    public int Count { get; init; } = 1;

    /// <summary>Absolute path prefix the request must start with; null = the queue's default scope.</summary>
    public string? PathPrefix { get; init; }

    /// <summary>HTTP status for <see cref="FaultKind.Status"/>. Default 500.</summary>
    public int StatusCode { get; init; } = 500;

    /// <summary>Retry-After header (whole seconds, rounded up) for <see cref="FaultKind.Status"/>; null = none.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>How long <see cref="FaultKind.Delay"/> waits, measured on the simulator's <see cref="TimeProvider"/>.</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>How many items <see cref="FaultKind.Duplicate"/> repeats. Default 1.</summary>
    public int Items { get; init; } = 1;

    /// <summary>Answer the next <paramref name="count"/> matching requests with <paramref name="statusCode"/>.</summary>
    public static FaultRule Status(int statusCode, int count = 1, string? pathPrefix = null, TimeSpan? retryAfter = null) =>
        new() { Kind = FaultKind.Status, StatusCode = statusCode, Count = count, PathPrefix = pathPrefix, RetryAfter = retryAfter };

    /// <summary>Delay the next <paramref name="count"/> matching requests by <paramref name="delay"/>.</summary>
    public static FaultRule Slow(TimeSpan delay, int count = 1, string? pathPrefix = null) =>
        new() { Kind = FaultKind.Delay, Delay = delay, Count = count, PathPrefix = pathPrefix };

    /// <summary>Truncate the body of the next <paramref name="count"/> matching responses.</summary>
    public static FaultRule Truncate(int count = 1, string? pathPrefix = null) =>
        new() { Kind = FaultKind.TruncateBody, Count = count, PathPrefix = pathPrefix };

    /// <summary>Make the next <paramref name="count"/> matching paged responses repeat <paramref name="items"/> items.</summary>
    public static FaultRule Duplicate(int items = 1, int count = 1, string? pathPrefix = null) =>
        new() { Kind = FaultKind.Duplicate, Items = items, Count = count, PathPrefix = pathPrefix };

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid property.</summary>
    public void Validate()
    {
        if (Count < 1)
        {
            throw new ArgumentException($"{nameof(Count)} must be at least 1 (was {Count}).", nameof(Count));
        }

        if (PathPrefix is { Length: > 0 } prefix && prefix[0] != '/')
        {
            throw new ArgumentException($"{nameof(PathPrefix)} must start with '/' (was '{prefix}').", nameof(PathPrefix));
        }

        switch (Kind)
        {
            case FaultKind.Status when StatusCode is < 400 or > 599:
                throw new ArgumentException($"{nameof(StatusCode)} must be 400-599 (was {StatusCode}).", nameof(StatusCode));
            case FaultKind.Status when RetryAfter is { } retry && retry < TimeSpan.Zero:
                throw new ArgumentException($"{nameof(RetryAfter)} must not be negative.", nameof(RetryAfter));
            case FaultKind.Delay when Delay <= TimeSpan.Zero:
                throw new ArgumentException($"{nameof(Delay)} must be positive (was {Delay}).", nameof(Delay));
            case FaultKind.Duplicate when Items < 1:
                throw new ArgumentException($"{nameof(Items)} must be at least 1 (was {Items}).", nameof(Items));
            default:
                break;
        }
    }
}

/// <summary>A queued rule and how many more requests it will apply to.</summary>
public sealed record PendingFault(FaultRule Rule, int Remaining);
