using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Satmon.Core.Connectors;
using Satmon.Core.Elements;

namespace Satmon.Api;

/// <summary>Body of <c>POST /api/elements</c>. Setting values may be JSON strings, numbers or booleans.</summary>
public sealed record CreateElementBody(string? Name, string? Connector, Dictionary<string, JsonElement>? Settings, bool? Start);

/// <summary>Body of <c>PATCH /api/elements/{id}</c>: members left out are unchanged; a secret left out keeps its value.</summary>
public sealed record UpdateElementBody(string? Name, Dictionary<string, JsonElement>? Settings);

/// <summary>Elements: CRUD, start/stop, commands.</summary>
internal static class ElementEndpoints
{
    public static RouteGroupBuilder MapElementEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/elements").WithTags("Elements");
        group.MapGet("/", ListAsync).WithSummary("All elements (secrets masked).");
        group.MapPost("/", CreateAsync).WithSummary("Creates an element {name, connector, settings, start?}.")
            .ProducesValidationProblem();
        group.MapGet("/{id}", GetAsync).WithSummary("One element: state, message, settings with secrets masked.");
        group.MapPatch("/{id}", UpdateAsync).WithSummary("Changes name and/or settings; omitted secrets keep their value.")
            .ProducesValidationProblem();
        group.MapDelete("/{id}", DeleteAsync).WithSummary("Stops and deletes the element and everything it stored.");
        group.MapPost("/{id}/start", StartAsync).WithSummary("Starts polling.");
        group.MapPost("/{id}/stop", StopAsync).WithSummary("Stops polling.");
        group.MapPost("/{id}/commands/{command}", CommandAsync).WithSummary("Runs a connector command, e.g. authenticate.");
        return group;
    }

    private static async Task<Ok<IReadOnlyList<ElementView>>> ListAsync(IElementManager elements, CancellationToken ct) =>
        TypedResults.Ok(await elements.ListAsync(ct));

    private static async Task<Ok<ElementView>> GetAsync(string id, IElementManager elements, CancellationToken ct) =>
        TypedResults.Ok(await elements.GetAsync(id, ct));

    private static async Task<Created<ElementView>> CreateAsync(CreateElementBody body, IElementManager elements, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(body.Name))
        {
            errors["name"] = ["'name' is required: the element's display name (its id is derived from it)."];
        }

        if (string.IsNullOrWhiteSpace(body.Connector))
        {
            errors["connector"] = [$"'connector' is required; one of: {string.Join(", ", elements.Connectors.Select(c => c.Id))}."];
        }

        if (errors.Count > 0)
        {
            throw new ApiValidationException(errors);
        }

        var request = new CreateElementRequest(body.Name!, body.Connector!, ToSettings(body.Settings) ?? new Dictionary<string, string?>(), body.Start ?? true);
        var created = await elements.CreateAsync(request, ct);
        return TypedResults.Created($"/api/elements/{Uri.EscapeDataString(created.Id)}", created);
    }

    private static async Task<Ok<ElementView>> UpdateAsync(string id, UpdateElementBody body, IElementManager elements, CancellationToken ct)
    {
        if (body.Name is not null && string.IsNullOrWhiteSpace(body.Name))
        {
            throw new ApiValidationException("name", "'name' must not be empty; leave it out to keep the current name.");
        }

        return TypedResults.Ok(await elements.UpdateAsync(id, new UpdateElementRequest(body.Name, ToSettings(body.Settings)), ct));
    }

    private static async Task<NoContent> DeleteAsync(string id, IElementManager elements, CancellationToken ct)
    {
        await elements.DeleteAsync(id, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<ElementView>> StartAsync(string id, IElementManager elements, CancellationToken ct) =>
        TypedResults.Ok(await elements.StartAsync(id, ct));

    private static async Task<Ok<ElementView>> StopAsync(string id, IElementManager elements, CancellationToken ct) =>
        TypedResults.Ok(await elements.StopAsync(id, ct));

    private static async Task<Ok<CommandResult>> CommandAsync(string id, string command, IElementManager elements, CancellationToken ct) =>
        TypedResults.Ok(await elements.ExecuteCommandAsync(id, command, ct));

    /// <summary>Settings travel as strings inside Satmon; JSON numbers and booleans are accepted for convenience.</summary>
    private static Dictionary<string, string?>? ToSettings(Dictionary<string, JsonElement>? settings)
    {
        if (settings is null)
        {
            return null;
        }

        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        var errors = new Dictionary<string, string[]>();
        foreach (var (key, value) in settings)
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.String:
                    result[key] = value.GetString();
                    break;
                case JsonValueKind.Number:
                    result[key] = value.GetRawText();
                    break;
                case JsonValueKind.True or JsonValueKind.False:
                    result[key] = value.GetBoolean() ? "true" : "false";
                    break;
                case JsonValueKind.Null:
                    result[key] = null;
                    break;
                default:
                    errors[key] = [$"'{key}' must be a string, number or boolean; got a JSON {value.ValueKind.ToString().ToLowerInvariant()}."];
                    break;
            }
        }

        return errors.Count > 0 ? throw new SettingsValidationException(errors) : result;
    }
}
