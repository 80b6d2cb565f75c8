namespace Satmon.Simulators.SesMpower;

/// <summary>One pm-reports call as the simulator saw it, for tests that check how a client asks.</summary>
/// <param name="Time">When it arrived, on the simulator's clock.</param>
/// <param name="SubscriptionId">The path's subscription id.</param>
/// <param name="RequestedFrom">Exclusive lower bound as sent; null when absent (or unparsable).</param>
/// <param name="RequestedTo">Exclusive upper bound as sent; null when absent (or unparsable).</param>
/// <param name="From">Lower bound used: as sent, or <c>To - DefaultRange</c>.</param>
/// <param name="To">Upper bound used for the range check: as sent, or the simulator's "now".</param>
/// <param name="Offset">Requested offset (0 when absent).</param>
/// <param name="Limit">Requested limit; null when absent.</param>
/// <param name="StatusCode">Status code answered.</param>
public sealed record PmReportsCall(
    DateTimeOffset Time,
    string SubscriptionId,
    DateTimeOffset? RequestedFrom,
    DateTimeOffset? RequestedTo,
    DateTimeOffset? From,
    DateTimeOffset? To,
    long Offset,
    int? Limit,
    int StatusCode)
{
    /// <summary>Length of the range used (<see cref="To"/> - <see cref="From"/>), or null when the query was invalid.</summary>
    public TimeSpan? Span => From is { } from && To is { } to ? to - from : null;
}
