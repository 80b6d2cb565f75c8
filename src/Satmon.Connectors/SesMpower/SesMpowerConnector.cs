using Satmon.Core.Connectors;

namespace Satmon.Connectors.SesMpower;

/// <summary>
/// SES O3b mPOWER (SPEC §4): terminal performance pulled from pm-reports through a streaming-management
/// subscription, with OAuth2 password-grant authentication. One instance serves every element of this kind.
/// </summary>
public sealed class SesMpowerConnector : IConnector
{
    /// <summary>Connector id.</summary>
    public const string ConnectorId = "ses-mpower";

    /// <summary>The named <see cref="HttpClient"/> every call of this connector uses.</summary>
    public const string HttpClientName = "ses-mpower";

    /// <summary>Pulls pm-reports (interval: the element's pull interval setting).</summary>
    public const string PullMetricsTask = "pull-metrics";

    /// <summary>Checks the subscription and renews it ahead of expiry.</summary>
    public const string SubscriptionTask = "subscription";

    /// <summary>Removes terminals that stopped reporting.</summary>
    public const string RemovalTask = "removal";

    /// <summary>Logs in with the password now.</summary>
    public const string AuthenticateCommand = "authenticate";

    /// <inheritdoc />
    public ConnectorDescriptor Descriptor { get; } = new(
        ConnectorId,
        "SES O3b mPOWER",
        MpowerOptions.Definitions,
        [
            new PollTaskDefinition(PullMetricsTask, "Pull terminal metrics from pm-reports since the last stored sample.", TimeSpan.FromMinutes(5))
            {
                IntervalSettingKey = SesMpowerSettingKeys.PullInterval,
            },
            new PollTaskDefinition(SubscriptionTask, "Check the streaming subscription and renew it ahead of expiry.", TimeSpan.FromHours(1)),
            new PollTaskDefinition(RemovalTask, "Remove terminals silent for longer than the removal period.", TimeSpan.FromHours(1)),
        ],
        [MpowerTables.TerminalsTable, MpowerTables.GeneralTable],
        [],
        [new CommandDefinition(AuthenticateCommand, "Log in to the SES API with the configured user and password now.")]);

    /// <inheritdoc />
    public IElementRuntime CreateRuntime(IElementContext context) => new SesMpowerRuntime(context);
}
