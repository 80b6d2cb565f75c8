using System.Globalization;
using Satmon.Core.Connectors;

namespace Satmon.Connectors.SesMpower;

/// <summary>One mPOWER element while it runs: its token, subscription, pull state and terminal index.</summary>
internal sealed class SesMpowerRuntime : IElementRuntime
{
    private readonly MpowerOptions _options;
    private readonly MpowerAuth _auth;
    private readonly MpowerSubscriptions _subscriptions;
    private readonly MpowerPuller _puller;

    public SesMpowerRuntime(IElementContext context)
    {
        _options = MpowerOptions.From(context.Settings);
        _auth = new MpowerAuth(_options, context);
        var client = new MpowerClient(_options, context, _auth);
        _subscriptions = new MpowerSubscriptions(_options, context, client);
        var terminals = new MpowerTerminalIndex(context);
        _puller = new MpowerPuller(
            _options, context, _subscriptions, new MpowerWindowReader(_options, context, client, _subscriptions, terminals), terminals);
    }

    /// <summary>Authenticates (stored tokens are reused while valid; otherwise refresh or log in).</summary>
    public Task StartAsync(CancellationToken cancellationToken) => _auth.GetAccessTokenAsync(rejected: null, cancellationToken);

    public Task PollAsync(string task, CancellationToken cancellationToken) => task switch
    {
        SesMpowerConnector.PullMetricsTask => _puller.PullAsync(cancellationToken),
        SesMpowerConnector.SubscriptionTask => _subscriptions.CheckAsync(cancellationToken),
        SesMpowerConnector.RemovalTask => _puller.RemoveSilentAsync(cancellationToken),
        _ => throw new ArgumentException($"The ses-mpower connector has no poll task '{task}'.", nameof(task)),
    };

    public async Task<CommandResult> ExecuteCommandAsync(string command, CancellationToken cancellationToken)
    {
        if (command != SesMpowerConnector.AuthenticateCommand)
        {
            throw new ArgumentException($"The ses-mpower connector has no command '{command}'.", nameof(command));
        }

        var tokens = await _auth.AuthenticateAsync(cancellationToken);
        var refresh = tokens.RefreshExpiresAt is { } r ? r.ToString("u", CultureInfo.InvariantCulture) : "no expiry given";
        return new CommandResult(
            true,
            $"Authenticated as '{_options.Username}'. Access token valid until {tokens.AccessExpiresAt.ToString("u", CultureInfo.InvariantCulture)}, refresh token until {refresh}.");
    }

    public ValueTask DisposeAsync()
    {
        _puller.Dispose();
        _subscriptions.Dispose();
        _auth.Dispose();
        return ValueTask.CompletedTask;
    }
}
