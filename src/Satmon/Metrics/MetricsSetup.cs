using Prometheus;

namespace Satmon.Metrics;

/// <summary>Prometheus exposition at <c>/metrics</c> from a registry owned by this host (not prometheus-net's global one).</summary>
internal static class MetricsSetup
{
    public static IServiceCollection AddSatmonMetrics(this IServiceCollection services)
    {
        // One registry per host: several hosts in one process (tests) must not see each other's series.
        services.AddSingleton(_ => Prometheus.Metrics.NewCustomRegistry());
        services.AddSingleton<PollMetricsBridge>();
        services.AddSingleton<TableMetricsCollector>();
        services.AddHostedService<MetricsStartup>();
        return services;
    }

    public static IEndpointConventionBuilder MapSatmonMetrics(this IEndpointRouteBuilder app) =>
        app.MapMetrics("/metrics", app.ServiceProvider.GetRequiredService<CollectorRegistry>());

    /// <summary>Starts the meter bridge and hooks the per-scrape table collection into the registry.</summary>
    private sealed class MetricsStartup(PollMetricsBridge bridge, TableMetricsCollector tables, CollectorRegistry registry) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            bridge.Start();
            registry.AddBeforeCollectCallback(tables.CollectAsync);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
