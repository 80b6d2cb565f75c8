using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Satmon.Simulators.SesMpower;

/// <summary>Every API call needs <c>Authorization: Bearer &lt;valid, unexpired access token&gt;</c> (reference §8.4).</summary>
internal static class ApiAuthentication
{
    public const string UserItem = "satmon.simulator.user";

    public static void UseIn(IApplicationBuilder app, SesMpowerRuntime runtime)
    {
        var prefix = new PathString(runtime.Options.ApiPrefix);
        app.Use(next => async context =>
        {
            if (!context.Request.Path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase))
            {
                await next(context);
                return;
            }

            var header = context.Request.Headers.Authorization.ToString();
            if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length <= "Bearer ".Length)
            {
                context.Response.Headers.WWWAuthenticate = "Bearer";
                await MefErrors.WriteAsync(context, StatusCodes.Status401Unauthorized, "missingCredentials",
                    "No bearer token", "Send Authorization: Bearer <access_token> from the token endpoint.");
                return;
            }

            var (user, problem) = runtime.Tokens.ValidateAccess(header["Bearer ".Length..].Trim());
            if (user is null)
            {
                context.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
                await MefErrors.WriteAsync(context, StatusCodes.Status401Unauthorized, "invalidCredentials",
                    problem ?? "Invalid token", "Refresh the access token or log in again.");
                return;
            }

            context.Items[UserItem] = user;
            await next(context);
        });
    }

    public static string UserOf(HttpContext context) => (string)context.Items[UserItem]!;
}
