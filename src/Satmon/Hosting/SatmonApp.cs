using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Satmon.Api;
using Satmon.Auth;
using Satmon.Dashboard;
using Satmon.Metrics;

namespace Satmon.Hosting;

/// <summary>
/// The composition root. Configuration, lowest to highest precedence: built-in defaults, <c>satmon.json</c>,
/// environment variables prefixed <c>SATMON_</c> (e.g. <c>SATMON_Storage__Provider</c>), command-line <c>--Key=Value</c>.
/// </summary>
public static class SatmonApp
{
    /// <summary>Builds the host. <paramref name="configureServices"/> runs last, so it can replace anything (tests).</summary>
    public static WebApplication Build(string[] args, Action<IServiceCollection>? configureServices = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args });
        builder.Configuration
            .AddJsonFile("satmon.json", optional: true, reloadOnChange: false)
            .AddEnvironmentVariables("SATMON_")
            .AddCommandLine(args);

        builder.Services.AddSatmonCore(builder.Configuration);
        builder.Services.AddSatmonConnectors();
        builder.Services.AddSatmonAuth();
        builder.Services.AddSatmonApi();
        builder.Services.AddSatmonMetrics();
        builder.Services.AddSatmonDashboard(builder.Configuration);
        configureServices?.Invoke(builder.Services);
        return builder.Build();
    }

    /// <summary>Adds the middleware and every endpoint: <c>/</c> (dashboard), <c>/api/…</c>, <c>/openapi/v1.json</c>, <c>/metrics</c>.</summary>
    public static WebApplication MapSatmon(WebApplication app)
    {
        app.UseExceptionHandler();
        // Empty error responses (405, unmatched routes) become problem details too.
        app.UseStatusCodePages();
        app.UseSatmonDashboardAssets();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseSatmonDashboard();

        var auth = app.Services.GetRequiredService<IOptions<AuthOptions>>().Value;
        app.MapSatmonDashboard();
        app.MapOpenApi().AllowAnonymous();

        var api = app.MapGroup("/api").RequireAuthorization(AuthSetup.ViewerPolicy).RequireOperatorForMutations();
        var health = api.MapHealthEndpoints();
        if (auth.AllowAnonymousHealth)
        {
            health.AllowAnonymous();
        }

        api.MapConnectorEndpoints();
        api.MapElementEndpoints();
        api.MapPollingEndpoints();
        api.MapTableEndpoints();
        api.MapHistoryEndpoints();
        api.MapObjectEndpoints();
        api.MapFleetEndpoints();
        api.MapClusterEndpoints();

        var metrics = app.MapSatmonMetrics();
        if (auth.AllowAnonymousMetrics)
        {
            metrics.AllowAnonymous();
        }
        else
        {
            metrics.RequireAuthorization(AuthSetup.ViewerPolicy);
        }

        return app;
    }

    private static IServiceCollection AddSatmonApi(this IServiceCollection services)
    {
        services.Configure<JsonOptions>(o => JsonSetup.Configure(o.SerializerOptions));
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ApiProblemDetails.AddMissingDetail);
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.Configure<ExceptionHandlerOptions>(o =>
        {
            // A handled 404 (unknown element) is an answer, not a failure of the handler.
            o.AllowStatusCode404Response = true;
            o.SuppressDiagnosticsCallback = context => ApiExceptionHandler.IsExpected(context.Exception);
        });
        // Bad bodies and query values throw, so the exception handler answers with a problem naming what to fix.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddOpenApi();
        return services;
    }
}
