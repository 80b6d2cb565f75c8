using Microsoft.AspNetCore.Http.HttpResults;
using Satmon.Core.Storage;

namespace Satmon.Api;

/// <summary>Liveness plus storage reachability.</summary>
internal static partial class HealthEndpoints
{
    public static RouteHandlerBuilder MapHealthEndpoints(this RouteGroupBuilder api) =>
        api.MapGet("/health", CheckAsync).WithTags("Health").WithSummary("200 when the process runs and storage answers; 503 otherwise.");

    private static async Task<Results<Ok<HealthDto>, ProblemHttpResult>> CheckAsync(ISatmonStore store, ILoggerFactory loggers, CancellationToken ct)
    {
        try
        {
            await store.CheckHealthAsync(ct);
            return TypedResults.Ok(new HealthDto("healthy", store.Provider));
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            LogUnhealthy(loggers.CreateLogger(typeof(HealthEndpoints)), ex, store.Provider);
            return TypedResults.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Unhealthy",
                detail: $"Storage '{store.Provider}' is not reachable; the server log has the cause.");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Health check: storage {Provider} is not reachable")]
    private static partial void LogUnhealthy(ILogger logger, Exception exception, string provider);
}
