using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Satmon.Simulators.Faults;

namespace Satmon.Simulators.SesMpower;

/// <summary>
/// mPOWER-specific admin calls (no auth), next to the generic ones of <see cref="FaultAdminEndpoints"/>:
/// <c>POST /_admin/tokens/expire</c>, <c>POST /_admin/sessions/revoke</c>, <c>POST /_admin/subscriptions/expire</c>,
/// <c>GET|DELETE /_admin/pm-reports/calls</c>.
/// </summary>
internal static class SesMpowerAdminEndpoints
{
    public const string Prefix = "/_admin";

    public static void Map(IEndpointRouteBuilder endpoints, SesMpowerRuntime runtime, FaultInjection injection, RequestRecorder recorder)
    {
        var group = endpoints.MapFaultAdmin(runtime.FaultQueue, injection, recorder, Prefix);
        group.MapPost("/tokens/expire", context => NoContent(context, runtime, "expire access tokens", runtime.Tokens.ExpireAccessTokensNow));
        group.MapPost("/sessions/revoke", context => NoContent(context, runtime, "revoke sessions", runtime.Tokens.RevokeSessions));
        group.MapPost("/subscriptions/expire", context => NoContent(context, runtime, "expire subscriptions", () => runtime.Subscriptions.ExpireAllNow()));
        group.MapGet("/pm-reports/calls", context =>
            MefErrors.WriteJsonAsync(context, new PmReportsCallBody(runtime.PmReportsCalls), SesMpowerJsonContext.Default.PmReportsCallBody));
        group.MapDelete("/pm-reports/calls", context => NoContent(context, runtime, "clear pm-reports calls", runtime.ClearPmReportsCalls));
    }

    private static Task NoContent(HttpContext context, SesMpowerRuntime runtime, string action, Action apply)
    {
        apply();
        Log.AdminAction(runtime.Logger, action);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }
}
