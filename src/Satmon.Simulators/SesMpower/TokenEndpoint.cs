using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Satmon.Simulators.SesMpower;

/// <summary>
/// The Keycloak-style token endpoint (reference §4): form-encoded <c>password</c> and <c>refresh_token</c> grants,
/// Keycloak's JSON names, status codes and error bodies (§4.5).
/// </summary>
internal static class TokenEndpoint
{
    public static void Map(IEndpointRouteBuilder endpoints, SesMpowerRuntime runtime) =>
        endpoints.MapPost(runtime.Options.TokenPath, context => HandleAsync(context, runtime));

    private static async Task HandleAsync(HttpContext context, SesMpowerRuntime runtime)
    {
        var options = runtime.Options;
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.Pragma = "no-cache";
        if (!context.Request.HasFormContentType)
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, "invalid_request", "Missing form parameter: grant_type");
            return;
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var grantType = form["grant_type"].ToString();
        if (grantType.Length == 0)
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, "invalid_request", "Missing form parameter: grant_type");
            return;
        }

        if (!string.Equals(form["client_id"].ToString(), options.ClientId, StringComparison.Ordinal))
        {
            Log.TokenRejected(runtime.Logger, grantType, "unknown client");
            await ErrorAsync(context, StatusCodes.Status401Unauthorized, "invalid_client", "Invalid client or Invalid client credentials");
            return;
        }

        switch (grantType)
        {
            case "password":
                await PasswordAsync(context, runtime, form);
                break;
            case "refresh_token":
                await RefreshAsync(context, runtime, form);
                break;
            default:
                await ErrorAsync(context, StatusCodes.Status400BadRequest, "unsupported_grant_type", "Unsupported grant_type");
                break;
        }
    }

    private static async Task PasswordAsync(HttpContext context, SesMpowerRuntime runtime, IFormCollection form)
    {
        var username = form["username"].ToString();
        var password = form["password"].ToString();
        if (username.Length == 0 || password.Length == 0)
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, "invalid_request", $"Missing parameter: {(username.Length == 0 ? "username" : "password")}");
            return;
        }

        // Keycloak answers 401 here, not RFC 6749's 400 (reference §4.5).
        if (!string.Equals(username, runtime.Options.Username, StringComparison.OrdinalIgnoreCase)
            || !string.Equals(password, runtime.Options.Password, StringComparison.Ordinal))
        {
            Log.TokenRejected(runtime.Logger, "password", "invalid user credentials");
            await ErrorAsync(context, StatusCodes.Status401Unauthorized, "invalid_grant", "Invalid user credentials");
            return;
        }

        Log.TokenIssued(runtime.Logger, "password");
        await MefErrors.WriteJsonAsync(context, runtime.Tokens.IssueForPassword(runtime.Options.Username), SesMpowerJsonContext.Default.TokenResponse);
    }

    private static async Task RefreshAsync(HttpContext context, SesMpowerRuntime runtime, IFormCollection form)
    {
        var refreshToken = form["refresh_token"].ToString();
        if (refreshToken.Length == 0)
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, "invalid_request", "Missing parameter: refresh_token");
            return;
        }

        var response = runtime.Tokens.Refresh(refreshToken);
        if (response is null)
        {
            Log.TokenRejected(runtime.Logger, "refresh_token", "refresh token not active");
            await ErrorAsync(context, StatusCodes.Status400BadRequest, "invalid_grant", "Token is not active");
            return;
        }

        Log.TokenIssued(runtime.Logger, "refresh_token");
        await MefErrors.WriteJsonAsync(context, response, SesMpowerJsonContext.Default.TokenResponse);
    }

    private static Task ErrorAsync(HttpContext context, int statusCode, string error, string description)
    {
        context.Response.StatusCode = statusCode;
        return context.Response.WriteAsJsonAsync(
            new OAuthError(error, description), SesMpowerJsonContext.Default.OAuthError, "application/json", context.RequestAborted);
    }
}
