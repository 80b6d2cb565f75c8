using Satmon.Connectors;
using Satmon.Connectors.OneWeb;

namespace Satmon.Hosting;

/// <summary>Where the vendor connectors are registered (each as an <c>IConnector</c> singleton plus its named HTTP clients).</summary>
internal static class ConnectorRegistration
{
    public static IServiceCollection AddSatmonConnectors(this IServiceCollection services) =>
        services
            .AddSesMpowerConnector()
            .AddOneWebConnector()
            .AddSesInventoryConnector();
}
