using Microsoft.Extensions.Logging;
using Satmon.Core.Connectors;

namespace Satmon.Connectors.SesMpower;

/// <summary>The subscription in use, as persisted in the element state.</summary>
internal sealed record StoredSubscription(string Id, string? Status, DateTimeOffset? ExpiresAt);

/// <summary>
/// Keeps one usable subscription (reference §5.6): reuse the stored id while the vendor says it is ACTIVE, else an
/// ACTIVE one of the topic from the list, else a new one. Renews ahead of expiry and replaces one that pm-reports
/// no longer knows. Concurrent callers (pull and the hourly check) share one acquisition.
/// </summary>
internal sealed partial class MpowerSubscriptions(MpowerOptions options, IElementContext context, MpowerClient client) : IDisposable
{
    private const string StateKey = "subscription";
    private const string Active = "ACTIVE";
    private static readonly TimeSpan CheckInterval = TimeSpan.FromHours(1);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private StoredSubscription? _current;
    private bool _loaded;
    private bool _verified;

    /// <summary>The subscription for a pull: one known good until the next pull, verified with the vendor once after start.</summary>
    public Task<StoredSubscription> EnsureAsync(CancellationToken cancellationToken) =>
        AcquireAsync(options.PullInterval, verify: false, gone: null, cancellationToken);

    /// <summary>The hourly check: asks the vendor, and renews when it expires before the next check and pull.</summary>
    public Task<StoredSubscription> CheckAsync(CancellationToken cancellationToken) =>
        AcquireAsync(CheckInterval + options.PullInterval, verify: true, gone: null, cancellationToken);

    /// <summary>pm-reports no longer knows <paramref name="goneId"/> (404/410): take another one.</summary>
    public Task<StoredSubscription> ReplaceAsync(string goneId, CancellationToken cancellationToken) =>
        AcquireAsync(options.PullInterval, verify: true, gone: goneId, cancellationToken);

    public void Dispose() => _gate.Dispose();

    private async Task<StoredSubscription> AcquireAsync(TimeSpan lead, bool verify, string? gone, CancellationToken cancellationToken)
    {
        if (!verify && _verified && _current is { } known && Usable(known.Status, known.ExpiresAt, lead))
        {
            return known;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!_loaded)
            {
                _current = await context.State.GetAsync<StoredSubscription>(StateKey, cancellationToken);
                _loaded = true;
            }

            if (gone is not null && _current is { } replaced && replaced.Id != gone)
            {
                return replaced; // another caller replaced it while we waited
            }

            if (!verify && _verified && _current is { } current && Usable(current.Status, current.ExpiresAt, lead))
            {
                return current;
            }

            if (_current is { } stored && stored.Id != gone
                && await client.GetSubscriptionAsync(stored.Id, cancellationToken) is { } fresh && Usable(fresh, lead))
            {
                return await AdoptAsync(fresh, "reused", cancellationToken);
            }

            var listed = (await client.ListSubscriptionsAsync(options.TopicId, cancellationToken))
                .Where(s => s.Id != gone && Usable(s, lead))
                .OrderByDescending(s => s.Expiry ?? DateTimeOffset.MaxValue)
                .FirstOrDefault();
            if (listed is not null)
            {
                return await AdoptAsync(listed, "reused from the list", cancellationToken);
            }

            // A new subscription is taken whatever its expiry: asking again could not do better.
            return await AdoptAsync(await client.CreateSubscriptionAsync(cancellationToken), "created", cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    private bool Usable(SubscriptionDto subscription, TimeSpan lead) =>
        subscription.Id is { Length: > 0 }
        && (subscription.TopicId is null || string.Equals(subscription.TopicId, options.TopicId, StringComparison.Ordinal))
        && Usable(subscription.Status, subscription.Expiry, lead);

    // No status or no expiry in the answer means the vendor does not expose them (plain MEF): assume usable.
    private bool Usable(string? status, DateTimeOffset? expiresAt, TimeSpan lead) =>
        (status is null || string.Equals(status, Active, StringComparison.OrdinalIgnoreCase))
        && (expiresAt is not { } at || at > context.Time.GetUtcNow() + lead);

    private async Task<StoredSubscription> AdoptAsync(SubscriptionDto subscription, string how, CancellationToken cancellationToken)
    {
        var adopted = new StoredSubscription(subscription.Id!, subscription.Status, subscription.Expiry);
        if (adopted != _current)
        {
            await context.State.SetAsync(StateKey, adopted, secret: false, cancellationToken);
            await MpowerTables.UpdateGeneralAsync(
                context,
                cancellationToken,
                (GeneralColumns.SubscriptionId, adopted.Id),
                (GeneralColumns.SubscriptionStatus, adopted.Status ?? Active),
                (GeneralColumns.SubscriptionExpiry, adopted.ExpiresAt));
        }

        if (adopted.Id != _current?.Id)
        {
            LogSubscription(context.Logger, context.ElementId, adopted.Id, how, adopted.ExpiresAt);
        }

        _current = adopted;
        _verified = true;
        return adopted;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Element {ElementId}: subscription {SubscriptionId} {How}; expires {ExpiresAt:u}")]
    private static partial void LogSubscription(ILogger logger, string elementId, string subscriptionId, string how, DateTimeOffset? expiresAt);
}
