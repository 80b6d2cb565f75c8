using Satmon.Core.Connectors;

namespace Satmon.Connectors.SesInventory;

/// <summary>
/// SES Inventory Management (SPEC §6, seeds 002/003): services and carriers from TMF638, resources from TMF639, kept
/// in the object store by an initial cache build-up and periodic updates. One instance serves every element of its kind.
/// </summary>
public sealed class SesInventoryConnector : IConnector
{
    /// <summary>Connector id.</summary>
    public const string ConnectorId = "ses-inventory";

    /// <summary>The named <see cref="HttpClient"/> of this connector (system proxy settings apply).</summary>
    public const string HttpClientName = "ses-inventory";

    /// <summary>The named <see cref="HttpClient"/> used when the element's <c>bypassProxy</c> setting is on.</summary>
    public const string DirectHttpClientName = "ses-inventory-direct";

    /// <summary>Starts a new initial cache build-up of every definition.</summary>
    public const string RebuildCacheCommand = "rebuild-cache";

    /// <inheritdoc />
    public ConnectorDescriptor Descriptor { get; } = new(
        ConnectorId,
        "SES Inventory Management",
        SesInventoryOptions.Definitions,
        [
            Task(SesInventoryDefinitions.Services, "Services from TMF638: cache build-up, then items updated in the last 24 h; removes services no longer Operational."),
            Task(SesInventoryDefinitions.Carriers, "Carriers (TMF638 @type=element): cache build-up with cleanup, then items updated in the last 24 h."),
            Task(SesInventoryDefinitions.Resources, "Resources from TMF639: cache build-up with cleanup, then items updated in the last 24 h."),
        ],
        [SesInventoryDefinitions.StatusTableDefinition],
        SesInventoryDefinitions.All,
        [new CommandDefinition(RebuildCacheCommand, "Start a new initial cache build-up of services, carriers and resources.")]);

    /// <inheritdoc />
    public IElementRuntime CreateRuntime(IElementContext context) => new SesInventoryRuntime(context);

    private static PollTaskDefinition Task(string name, string description) =>
        new(name, description, TimeSpan.FromHours(1)) { IntervalSettingKey = SesInventoryOptions.CacheUpdateKey };
}
