namespace Satmon.Api;

/// <summary>Fills in a <c>detail</c> for the framework's own bare errors (unmatched route, wrong method, wrong body type).</summary>
internal static class ApiProblemDetails
{
    public static void AddMissingDetail(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (!string.IsNullOrEmpty(problem.Detail))
        {
            return;
        }

        var request = context.HttpContext.Request;
        problem.Detail = problem.Status switch
        {
            StatusCodes.Status404NotFound => $"No route matches '{request.Path}'. The API is described at /openapi/v1.json.",
            StatusCodes.Status405MethodNotAllowed => $"'{request.Path}' does not accept {request.Method}. The API is described at /openapi/v1.json.",
            StatusCodes.Status415UnsupportedMediaType => "Send the request body as JSON with 'Content-Type: application/json'.",
            _ => null,
        };
    }
}
