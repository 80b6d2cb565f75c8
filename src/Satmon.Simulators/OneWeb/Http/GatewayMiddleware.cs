using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Satmon.Simulators.Faults;

namespace Satmon.Simulators.OneWeb.Http;

/// <summary>
/// What the MuleSoft gateway in front of the real API does before any routing: collapse repeated slashes (the
/// public client sends <c>/hello/v1//oneweb/world</c>) and check the client id and secret on every path (the
/// real API answers 401 even for paths that do not exist). Admin paths (<c>/_admin</c>) need no credentials.
/// </summary>
internal sealed partial class GatewayMiddleware(OneWebSimulatorOptions options, ILogger logger)
{
    private readonly byte[] _clientId = Encoding.UTF8.GetBytes(options.ClientId);
    private readonly byte[] _clientSecret = Encoding.UTF8.GetBytes(options.ClientSecret);

    /// <summary>Runs first: later middleware (recorder, faults, routing) see the collapsed path.</summary>
    public static Task CollapseSlashesAsync(HttpContext context, RequestDelegate next)
    {
        var raw = context.Request.Path.Value ?? "/";
        if (raw.Contains("//", StringComparison.Ordinal))
        {
            var builder = new StringBuilder(raw.Length);
            foreach (var c in raw)
            {
                if (c != '/' || builder.Length == 0 || builder[^1] != '/')
                {
                    builder.Append(c);
                }
            }

            context.Request.Path = new PathString(builder.ToString());
        }

        return next(context);
    }

    public async Task AuthenticateAsync(HttpContext context, RequestDelegate next)
    {
        var path = context.Request.Path;
        if (path.StartsWithSegments(OneWebSimulator.AdminPrefix, StringComparison.OrdinalIgnoreCase) || IsAuthorized(context.Request))
        {
            await next(context);
            return;
        }

        LogRejected(logger, path.Value ?? "/", options.BadCredentialsStatus);
        if (options.BadCredentialsStatus == StatusCodes.Status404NotFound)
        {
            await JsonResponder.WriteErrorAsync(context, StatusCodes.Status404NotFound, "Not Found", "Resource not found.");
        }
        else
        {
            await JsonResponder.WriteGatewayErrorAsync(context, StatusCodes.Status401Unauthorized, "Unauthorized or invalid client application credentials");
        }
    }

    /// <summary>Body (and rate-limit headers) of an injected status fault, in the gateway's or TMF's shape.</summary>
    public Task WriteFaultAsync(HttpContext context, FaultRule rule)
    {
        LogStatusFault(logger, context.Request.Path.Value ?? "/", rule.StatusCode);
        switch (rule.StatusCode)
        {
            case StatusCodes.Status429TooManyRequests:
                // MuleSoft "Rate Limiting - SLA" with exposed headers; the reset is in milliseconds. A 429 queued
                // without a Retry-After (possible over the generic admin endpoint) still tells the client when.
                var headers = context.Response.Headers;
                var retryAfter = rule.RetryAfter ?? TimeSpan.FromSeconds(1);
                headers.RetryAfter = Math.Ceiling(retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                headers["X-Ratelimit-Limit"] = options.RateLimitRequestsPerMinute.ToString(CultureInfo.InvariantCulture);
                headers["X-Ratelimit-Remaining"] = "0";
                headers["X-Ratelimit-Reset"] = ((long)retryAfter.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
                return JsonResponder.WriteGatewayErrorAsync(context, rule.StatusCode, "Too many requests");
            case StatusCodes.Status401Unauthorized:
                return JsonResponder.WriteGatewayErrorAsync(context, rule.StatusCode, "Unauthorized or invalid client application credentials");
            case StatusCodes.Status403Forbidden:
                return JsonResponder.WriteGatewayErrorAsync(context, rule.StatusCode, "Forbidden: the client application has no contract for this API");
            default:
                var reason = ReasonPhrases.GetReasonPhrase(rule.StatusCode);
                return JsonResponder.WriteErrorAsync(context, rule.StatusCode, reason.Length == 0 ? "Error" : reason, "Injected fault.");
        }
    }

    private bool IsAuthorized(HttpRequest request)
    {
        string? id = null;
        string? secret = null;
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
                var colon = decoded.IndexOf(':', StringComparison.Ordinal);
                if (colon >= 0)
                {
                    id = decoded[..colon];
                    secret = decoded[(colon + 1)..];
                }
            }
            catch (FormatException)
            {
                return false;
            }
        }
        else if (options.AcceptClientIdHeaders && request.Headers.TryGetValue("client_id", out var idHeader))
        {
            id = idHeader.ToString();
            secret = request.Headers["client_secret"].ToString();
        }

        return id is not null && secret is not null
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(id), _clientId)
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(secret), _clientSecret);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "OneWeb simulator rejected the credentials on {Path} with {StatusCode}")]
    private static partial void LogRejected(ILogger logger, string path, int statusCode);

    [LoggerMessage(Level = LogLevel.Information, Message = "OneWeb simulator answers {Path} with an injected {StatusCode}")]
    private static partial void LogStatusFault(ILogger logger, string path, int statusCode);
}
