using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Satmon.Core.Elements;
using Satmon.Core.Objects;
using Satmon.Core.Storage;
using Satmon.Core.Tables;

namespace Satmon.Api;

/// <summary>The object store across connectors: query a definition, one object, its change log.</summary>
internal static class ObjectEndpoints
{
    private const int DefaultChangeLimit = 100;

    public static RouteGroupBuilder MapObjectEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/objects").WithTags("Objects");
        group.MapGet("/{definition}", QueryAsync)
            .WithSummary("Objects of a definition: element, filter 'field op value' (repeatable), sort, offset, limit.");
        group.MapGet("/{definition}/{objectId}", GetAsync).WithSummary("One object (element optional).");
        group.MapGet("/{definition}/{objectId}/changes", ChangesAsync).WithSummary("Change log of one object, newest first.");
        return group;
    }

    private static async Task<Ok<ObjectPageDto>> QueryAsync(
        string definition,
        string? element,
        [FromQuery] string[]? filter,
        string? sort,
        int? offset,
        int? limit,
        IElementManager elements,
        ISatmonStore store,
        CancellationToken ct)
    {
        var def = elements.RequireDefinition(definition);
        var query = QueryParser.ParseObjects(def, string.IsNullOrWhiteSpace(element) ? null : element, filter ?? [], sort, offset, limit);
        var page = await store.Objects.QueryAsync(def, query, ct);
        return TypedResults.Ok(new ObjectPageDto(page.Total, page.Items));
    }

    private static async Task<Ok<StoredObject>> GetAsync(
        string definition, string objectId, string? element, IElementManager elements, ISatmonStore store, CancellationToken ct)
    {
        var def = elements.RequireDefinition(definition);
        var found = await store.Objects.GetAsync(NullIfEmpty(element), def.Name, objectId, ct)
            ?? throw new ApiNotFoundException($"No '{def.Name}' object with id '{objectId}'{ForElement(element)}.");
        return TypedResults.Ok(found);
    }

    private static async Task<Ok<IReadOnlyList<ObjectChange>>> ChangesAsync(
        string definition, string objectId, string? element, int? limit, IElementManager elements, ISatmonStore store, CancellationToken ct)
    {
        var def = elements.RequireDefinition(definition);
        var take = limit ?? DefaultChangeLimit;
        if (take is < 1 or > QueryParser.MaxLimit)
        {
            throw new ApiBadRequestException($"limit must be between 1 and {QueryParser.MaxLimit}; got {take}.");
        }

        var changes = await store.Objects.GetChangesAsync(NullIfEmpty(element), def.Name, objectId, take, ct);
        if (changes.Count == 0 && await store.Objects.GetAsync(NullIfEmpty(element), def.Name, objectId, ct) is null)
        {
            throw new ApiNotFoundException($"No '{def.Name}' object with id '{objectId}'{ForElement(element)}, and no recorded changes.");
        }

        return TypedResults.Ok(changes);
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static string ForElement(string? element) => string.IsNullOrWhiteSpace(element) ? "" : $" in element '{element}'";
}
