using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Satmon.Core.Elements;
using Satmon.Core.Storage;
using Satmon.Core.Tables;

namespace Satmon.Api;

/// <summary>
/// Turns every exception that reaches the pipeline into an RFC 9457 problem: known ones into 400/404/409 with the
/// exception's message (written for the operator, never containing a secret), anything else into a bare 500.
/// The exception middleware logs only the unexpected ones (see <see cref="IsExpected"/>).
/// </summary>
internal sealed class ApiExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = ToProblem(exception);
        httpContext.Response.StatusCode = problem.Status ?? StatusCodes.Status500InternalServerError;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem });
    }

    /// <summary>Whether the exception is a client error answered with its own problem (no error log needed).</summary>
    public static bool IsExpected(Exception exception) => ToProblem(exception).Status < StatusCodes.Status500InternalServerError;

    private static ProblemDetails ToProblem(Exception exception) => exception switch
    {
        ElementNotFoundException or PollTaskNotFoundException or CommandNotFoundException or ApiNotFoundException =>
            Problem(StatusCodes.Status404NotFound, "Not found", exception.Message),
        SettingsValidationException invalid => Validation(invalid.Errors, "Fix the settings named in 'errors'; nothing was stored."),
        ApiValidationException invalid => Validation(invalid.Errors, "Fix the members named in 'errors'; nothing was changed."),
        QueryParseException or UnknownConnectorException or ApiBadRequestException =>
            Problem(StatusCodes.Status400BadRequest, "Bad request", exception.Message),
        BadHttpRequestException bad => Problem(bad.StatusCode, "Bad request", DescribeBadRequest(bad)),
        ElementConflictException or ElementNotRunningException or PollTaskDisabledException or ApiConflictException or SecretUnreadableException =>
            Problem(StatusCodes.Status409Conflict, "Conflict", exception.Message),
        ElementRequestFailedException remote => remote.Code switch
        {
            "not-found" => Problem(StatusCodes.Status404NotFound, "Not found", exception.Message),
            "conflict" => Problem(StatusCodes.Status409Conflict, "Conflict", exception.Message),
            "invalid" or "bad-request" => Problem(StatusCodes.Status400BadRequest, "Bad request", exception.Message),
            _ => Problem(StatusCodes.Status502BadGateway, "The node running the element failed", exception.Message),
        },
        StorageUnavailableException => Problem(StatusCodes.Status503ServiceUnavailable, "Storage unavailable", exception.Message),
        ElementRequestTimeoutException => Problem(StatusCodes.Status504GatewayTimeout, "The node running the element did not answer", exception.Message),
        _ => Problem(StatusCodes.Status500InternalServerError, "Internal error",
            "An unexpected error occurred. The server log has the details; quote the traceId when reporting it."),
    };

    private static ProblemDetails Problem(int status, string title, string detail) =>
        new() { Status = status, Title = title, Detail = detail };

    private static HttpValidationProblemDetails Validation(IReadOnlyDictionary<string, string[]> errors, string detail) =>
        new(errors.ToDictionary(e => e.Key, e => e.Value))
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "Validation failed",
            Detail = detail,
        };

    // The framework's own message names the parameter; the JSON reader's inner message names the path and position.
    private static string DescribeBadRequest(BadHttpRequestException bad) => bad.InnerException is JsonException json
        ? $"The request body is not valid JSON for this route: {json.Message}"
        : bad.Message;
}
