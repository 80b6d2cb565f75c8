using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Satmon.Connectors.SesMpower;
using Satmon.Core.Connectors;

namespace Satmon.Connectors;

/// <summary>Registers connectors with the host.</summary>
public static class ServiceCollectionExtensions
{
    /// <summary>
    /// The SES O3b mPOWER connector and its named HTTP client. No resilience handler: vendor calls are not retried
    /// here (the polling manager retries at the next poll and honours Retry-After), and token POSTs never are.
    /// </summary>
    public static IServiceCollection AddSesMpowerConnector(this IServiceCollection services)
    {
        // Each call has its own time limit on the element's clock (requestTimeoutSeconds), and a streamed page may
        // legitimately take longer than HttpClient's fixed 100 s default.
        services.AddHttpClient(SesMpowerConnector.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConnector, SesMpowerConnector>());
        return services;
    }
}
