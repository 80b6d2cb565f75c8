using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Satmon.Simulators.Faults;

namespace Satmon.Simulators.SesMpower;

/// <summary>MEF W147 error bodies (reference §5.3): one object per error, except 422 which is an array.</summary>
internal static class MefErrors
{
    public const string JsonContentType = "application/json;charset=utf-8";

    public static Task WriteAsync(HttpContext context, int statusCode, string code, string reason, string? message = null)
    {
        context.Response.StatusCode = statusCode;
        return WriteJsonAsync(context, new MefError(code, reason, message), SesMpowerJsonContext.Default.MefError);
    }

    public static Task NotFoundAsync(HttpContext context, string reason, int statusCode = StatusCodes.Status404NotFound) =>
        WriteAsync(context, statusCode, "notFound", reason);

    public static Task InvalidQueryAsync(HttpContext context, string reason) =>
        WriteAsync(context, StatusCodes.Status400BadRequest, "invalidQuery", reason);

    public static Task UnprocessableAsync(HttpContext context, string code, string reason, string? message = null, string? propertyPath = null)
    {
        context.Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return WriteJsonAsync(context, [new MefError(code, reason, message, propertyPath)], SesMpowerJsonContext.Default.ListMefError);
    }

    public static Task WriteJsonAsync<T>(HttpContext context, T value, JsonTypeInfo<T> typeInfo) =>
        context.Response.WriteAsJsonAsync(value, typeInfo, JsonContentType, context.RequestAborted);

    /// <summary>Bodies for injected status codes: Keycloak-style on the token endpoint, MEF-style elsewhere.</summary>
    public static FaultResponseWriter ForInjectedFaults(string tokenPath) => (context, rule) =>
    {
        if (context.Request.Path.StartsWithSegments(tokenPath, StringComparison.OrdinalIgnoreCase))
        {
            var error = rule.StatusCode == StatusCodes.Status429TooManyRequests ? "slow_down" : "server_error";
            return WriteJsonAsync(context, new OAuthError(error, $"Injected fault: HTTP {rule.StatusCode}"), SesMpowerJsonContext.Default.OAuthError);
        }

        var reason = $"Injected fault: HTTP {rule.StatusCode}";
        var code = rule.StatusCode switch
        {
            400 => "invalidQuery",
            401 => "invalidCredentials",
            403 => "tooManyUsers",
            404 => "notFound",
            422 => "otherIssue",
            429 => "tooManyRequests",
            500 => "internalError",
            502 => "badGateway",
            503 => "serviceUnavailable",
            504 => "gatewayTimeout",
            _ => "otherIssue",
        };
        return rule.StatusCode == StatusCodes.Status422UnprocessableEntity
            ? WriteJsonAsync(context, [new MefError(code, reason)], SesMpowerJsonContext.Default.ListMefError)
            : WriteJsonAsync(context, new MefError(code, reason), SesMpowerJsonContext.Default.MefError);
    };
}
