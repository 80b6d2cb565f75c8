using Microsoft.AspNetCore.Http.HttpResults;
using Satmon.Core.Elements;

namespace Satmon.Api;

/// <summary>The registered connectors with their settings schema, tables, poll tasks, commands and object definitions.</summary>
internal static class ConnectorEndpoints
{
    public static RouteGroupBuilder MapConnectorEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/connectors", List).WithTags("Connectors")
            .WithSummary("Connectors: settings schema (type, secret, default, min/max, allowed values), tables, poll tasks, commands, object definitions.");
        return api;
    }

    private static Ok<List<ConnectorDto>> List(IElementManager elements) =>
        TypedResults.Ok(elements.Connectors.Select(ConnectorDto.From).ToList());
}
