using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Satmon.Connectors.SesInventory;
using Satmon.Core.Connectors;

namespace Satmon.Connectors;

/// <summary>Registers the SES Inventory Management connector with the host.</summary>
public static class SesInventoryServiceCollectionExtensions
{
    /// <summary>
    /// The connector and its two named HTTP clients (through the system proxy, and direct for <c>bypassProxy</c>).
    /// No resilience handler: the gateway's faults have documented meanings (504 = skip the page, 502 = next type),
    /// which automatic retries would hide while multiplying the load on a gateway that is already timing out.
    /// </summary>
    public static IServiceCollection AddSesInventoryConnector(this IServiceCollection services)
    {
        // Each page has its own time limit on the element's clock (requestTimeoutSeconds), not HttpClient's fixed one.
        services.AddHttpClient(SesInventoryConnector.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan);
        services.AddHttpClient(SesInventoryConnector.DirectHttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                UseProxy = false,
                AutomaticDecompression = DecompressionMethods.All,
            });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConnector, SesInventoryConnector>());
        return services;
    }
}
