using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Satmon.Simulators.Faults;
using Satmon.Simulators.OneWeb.Wire;

namespace Satmon.Simulators.OneWeb.Endpoints;

/// <summary>
/// The OneWeb-specific fault admin (renamed / dropped fields, late samples) under <c>/_admin/oneweb/faults</c>;
/// the generic kinds (status, delay, truncated body) and request counts are the shared
/// <see cref="FaultAdminEndpoints"/> under <c>/_admin</c>. No authentication: the simulator only listens on loopback.
/// </summary>
internal static class AdminEndpoints
{
    public static void MapOneWebAdmin(this IEndpointRouteBuilder app, SimulatorState s)
    {
        var admin = app.MapGroup(OneWebSimulator.AdminPrefix + "/oneweb/faults");
        admin.MapPost("", async context =>
        {
            var fault = await FaultAdminEndpoints.ReadBodyAsync(context, OneWebJsonContext.Default.AdminFaultWire);
            if (fault is null)
            {
                return;
            }

            if (Apply(s, fault) is { } error)
            {
                await FaultAdminEndpoints.WriteErrorAsync(context, error);
                return;
            }

            context.Response.StatusCode = StatusCodes.Status204NoContent;
        });
        admin.MapGet("", context => s.Responder.WriteObjectAsync(
            context, new AdminFaultListWire(s.Faults.Describe()), OneWebJsonContext.Default.AdminFaultListWire));
        admin.MapDelete("", context =>
        {
            s.Faults.ClearOneWebRules();
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        });
    }

    /// <summary>Adds the fault; returns an error in words when the body does not describe one.</summary>
    private static string? Apply(SimulatorState s, AdminFaultWire f)
    {
        try
        {
            switch (f.Kind)
            {
                case "renameField" when f.Field is { } field && f.NewName is { } newName:
                    s.Faults.RenameFieldNext(field, newName, f.Count ?? 1, f.PathPrefix);
                    return null;
                case "dropField" when f.Field is { } field:
                    s.Faults.DropFieldNext(field, f.Count ?? 1, f.PathPrefix);
                    return null;
                case "lateSample" when Enum.TryParse<OneWebReportType>(f.ReportType, out var type) && f.DelaySeconds is { } late:
                    s.Faults.DelaySamples(type, TimeSpan.FromSeconds(late), f.EntityId, f.From, f.To);
                    return null;
                default:
                    return "kind must be renameField (field, newName), dropField (field) or lateSample (reportType, delaySeconds; "
                        + "entityId, from, to optional), with the members it needs; status, delay and truncated bodies go to /_admin/faults.";
            }
        }
        catch (ArgumentException ex)
        {
            return ex.Message;
        }
    }
}
