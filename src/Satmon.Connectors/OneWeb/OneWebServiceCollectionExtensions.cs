using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Satmon.Connectors.OneWeb.Client;
using Satmon.Core.Connectors;

namespace Satmon.Connectors.OneWeb;

/// <summary>Registers the OneWeb connector.</summary>
public static class OneWebServiceCollectionExtensions
{
    /// <summary>Adds the <c>oneweb</c> <see cref="IConnector"/> and its named HttpClient.</summary>
    public static IServiceCollection AddOneWebConnector(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConnector, OneWebConnector>());

        // No retry handler on purpose: the polling manager is the retry loop, a 429 must reach it as RetryAfterException
        // (a retrying handler would burst right after it), and report POSTs create things. Timeouts are per request on
        // the element's TimeProvider (RequestTimeout), so the HttpClient's own timeout is disabled: a day of performance
        // samples for a large fleet legitimately streams for longer than 100 s.
        services.AddHttpClient(OneWebHttp.ClientName, client => client.Timeout = Timeout.InfiniteTimeSpan);
        return services;
    }
}
