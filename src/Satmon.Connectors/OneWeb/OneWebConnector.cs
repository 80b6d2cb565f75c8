using Satmon.Core.Connectors;

namespace Satmon.Connectors.OneWeb;

/// <summary>
/// OneWeb Enterprise (Eutelsat OneWeb partner API v3): user terminals, products, organizations, sites, delayed
/// performance reports and usage consumption. Monitoring only: no control calls. See README.md next to this file.
/// </summary>
public sealed class OneWebConnector : IConnector
{
    /// <summary>Connector id in element records and the API.</summary>
    public const string Id = "oneweb";

    /// <inheritdoc />
    public ConnectorDescriptor Descriptor { get; } = new(
        Id,
        "OneWeb Enterprise",
        OneWebOptions.Definitions,
        OneWebTasks.All,
        OneWebTables.All,
        ObjectDefinitions: [],
        Commands: []);

    /// <inheritdoc />
    public IElementRuntime CreateRuntime(IElementContext context) => new OneWebRuntime(context);
}
