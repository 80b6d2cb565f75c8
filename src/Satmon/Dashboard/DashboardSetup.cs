using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.Extensions.FileProviders;
using MudBlazor.Services;
using Satmon.Api;
using Satmon.Auth;
using Satmon.Dashboard.Data;

namespace Satmon.Dashboard;

/// <summary>
/// The web dashboard: Blazor components rendered on the server (static; no circuit), signed in with an API key that
/// becomes a cookie. The API's Bearer scheme is untouched: the cookie is accepted only by dashboard routes.
/// </summary>
internal static class DashboardSetup
{
    public const string CookieScheme = "SatmonDashboard";

    /// <summary>Any signed-in dashboard user (viewer or operator).</summary>
    public const string DashboardPolicy = "dashboard";

    private const string AssetFolder = "dashboard-assets";

    public static IServiceCollection AddSatmonDashboard(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptionsWithValidateOnStart<DashboardOptions>().Bind(configuration.GetSection(DashboardOptions.SectionName));
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<DashboardOptions>, DashboardOptionsValidator>();
        services.AddAuthentication().AddCookie(CookieScheme, o =>
        {
            o.LoginPath = "/signin";
            o.LogoutPath = "/signout";
            o.AccessDeniedPath = "/signin";
            o.Cookie.Name = "satmon.dashboard";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.SlidingExpiration = true;
            o.ExpireTimeSpan = TimeSpan.FromHours(12);
        });
        services.AddAuthorizationBuilder().AddPolicy(DashboardPolicy, p =>
            p.AddAuthenticationSchemes(CookieScheme).RequireRole(AuthSetup.ViewerRole, AuthSetup.OperatorRole));
        services.AddRazorComponents();
        services.AddMudServices();
        services.AddSingleton<DashboardReader>();
        return services;
    }

    /// <summary>Library and dashboard files copied into the output by Dashboard.targets; public, like any site's CSS.</summary>
    public static WebApplication UseSatmonDashboardAssets(this WebApplication app)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, AssetFolder);
        if (Directory.Exists(folder))
        {
            app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(folder), RequestPath = "/assets" });
        }

        return app;
    }

    /// <summary>Antiforgery for the dashboard's forms, and the rule that only operators may post to a page.</summary>
    public static WebApplication UseSatmonDashboard(this WebApplication app)
    {
        // The API (Bearer, no cookies) has no antiforgery metadata, so this only checks dashboard forms.
        app.UseAntiforgery();
        app.Use(async (context, next) =>
        {
            // Every dashboard form changes something (sign-in aside); refusing a viewer's post here means a forged
            // form cannot reach a handler even if one forgot its own check. Runs after authorization, which has put
            // the cookie's principal on the context.
            if (HttpMethods.IsPost(context.Request.Method)
                && context.GetEndpoint()?.Metadata.GetMetadata<ComponentTypeMetadata>() is { } page
                && page.Type != typeof(Pages.SignIn)
                && !context.User.IsOperator())
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return;
            }

            await next(context);
        });
        return app;
    }

    public static WebApplication MapSatmonDashboard(this WebApplication app)
    {
        app.MapRazorComponents<App>().RequireAuthorization(DashboardPolicy);
        app.MapPost("/signout", SignOutAsync).RequireAuthorization(DashboardPolicy).ExcludeFromDescription();
        // The API's CSV route takes Bearer keys only; the dashboard's link needs the cookie, so it has its own route
        // that runs the very same export.
        app.MapGet("/export/{id}/{table}.csv", CsvExport.ExportAsync).RequireAuthorization(DashboardPolicy).ExcludeFromDescription();
        return app;
    }

    /// <summary>The principal the cookie carries: the key's id, name and role; never the key itself.</summary>
    public static ClaimsPrincipal Principal(Satmon.Core.Storage.ApiKeyRecord record) => new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, record.Id),
            new Claim(ClaimTypes.Name, record.Name),
            new Claim(ClaimTypes.Role, AuthSetup.RoleName(record.Role)),
        ],
        CookieScheme));

    public static bool IsOperator(this ClaimsPrincipal user) => user.IsInRole(AuthSetup.OperatorRole);

    private static async Task SignOutAsync(HttpContext context)
    {
        await context.SignOutAsync(CookieScheme);
        context.Response.Redirect("/signin");
    }
}
