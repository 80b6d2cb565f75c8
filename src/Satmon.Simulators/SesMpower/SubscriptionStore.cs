using System.Collections.Concurrent;

namespace Satmon.Simulators.SesMpower;

/// <summary>A subscription as the simulator keeps it.</summary>
internal sealed record Subscription(
    string Id, string Owner, string TopicId, string Protocol, string Description, string Priority,
    DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, long Sequence);

/// <summary>
/// Subscriptions per caller. The status is not stored but derived from the clock (reference §7 proposal):
/// ACTIVE until created + TTL, then EXPIRED; expired ones stay listed so a client can see why.
/// </summary>
internal sealed class SubscriptionStore(SesMpowerSimulatorOptions options, TimeProvider timeProvider)
{
    public const string Active = "ACTIVE";
    public const string Expired = "EXPIRED";

    private readonly ConcurrentDictionary<string, Subscription> subscriptions = new(StringComparer.OrdinalIgnoreCase);
    private long sequence;

    public Subscription Create(string owner, string topicId, string protocol, string? description, string? priority)
    {
        var now = timeProvider.GetUtcNow();
        var subscription = new Subscription(
            Guid.NewGuid().ToString(), owner, topicId, protocol,
            description ?? "O3b mPOWER terminal performance stream",
            priority ?? "low",
            now, now + options.SubscriptionTtl, Interlocked.Increment(ref sequence));
        subscriptions[subscription.Id] = subscription;
        return subscription;
    }

    public Subscription? Find(string id, string owner) =>
        subscriptions.TryGetValue(id, out var s) && string.Equals(s.Owner, owner, StringComparison.OrdinalIgnoreCase) ? s : null;

    public bool Delete(string id, string owner) => Find(id, owner) is not null && subscriptions.TryRemove(id, out _);

    public IReadOnlyList<Subscription> List(string owner) =>
        [.. subscriptions.Values.Where(s => string.Equals(s.Owner, owner, StringComparison.OrdinalIgnoreCase)).OrderBy(s => s.Sequence)];

    public string StatusOf(Subscription subscription) => timeProvider.GetUtcNow() >= subscription.ExpiresAt ? Expired : Active;

    public bool IsExpired(Subscription subscription) => StatusOf(subscription) == Expired;

    public int ExpireAllNow()
    {
        var now = timeProvider.GetUtcNow();
        var expired = 0;
        foreach (var (id, subscription) in subscriptions)
        {
            if (subscription.ExpiresAt > now)
            {
                subscriptions[id] = subscription with { ExpiresAt = now };
                expired++;
            }
        }

        return expired;
    }
}
