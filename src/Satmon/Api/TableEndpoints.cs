using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Satmon.Core.Elements;
using Satmon.Core.Storage;
using Satmon.Core.Tables;

namespace Satmon.Api;

/// <summary>Current-value tables of an element: schemas with counts, queries, one row with links, CSV export.</summary>
internal static class TableEndpoints
{
    public static RouteGroupBuilder MapTableEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/elements/{id}/tables").WithTags("Tables");
        group.MapGet("/", ListAsync).WithSummary("Table schemas and row counts.");
        // The literal ".csv" suffix makes this route win over "/{table}" for "things.csv".
        group.MapGet("/{table}.csv", CsvExport.ExportAsync).WithSummary("Every row as CSV (RFC 4180), header 'key,<columns>'.")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv");
        group.MapGet("/{table}", QueryAsync)
            .WithSummary("Rows {total, rows, nextCursor}: filter 'column eq|ne|gt|lt|contains value' (repeatable), sort 'column' or '-column', "
                + "offset, limit; or cursor (a nextCursor, with the same sort) instead of offset, which stays fast at any depth.");
        group.MapGet("/{table}/rows/{key}", GetRowAsync).WithSummary("One row, with its references resolved to links.");
        return group;
    }

    private static async Task<Ok<List<ElementTableDto>>> ListAsync(string id, IElementManager elements, ISatmonStore store, CancellationToken ct)
    {
        var connector = await elements.ConnectorOfAsync(id, ct);
        var result = new List<ElementTableDto>();
        foreach (var t in connector.Tables)
        {
            var count = await store.Tables.CountAsync(id, t.Name, ct);
            result.Add(new ElementTableDto(t.Name, t.Label, t.KeyName, t.Columns, t.Fleet, count));
        }

        return TypedResults.Ok(result);
    }

    private static async Task<Ok<TablePageDto>> QueryAsync(
        string id,
        string table,
        [FromQuery] string[]? filter,
        string? sort,
        int? offset,
        int? limit,
        string? cursor,
        IElementManager elements,
        ISatmonStore store,
        CancellationToken ct)
    {
        var definition = (await elements.ConnectorOfAsync(id, ct)).RequireTable(table);
        var query = QueryParser.Parse(definition, filter ?? [], sort, offset, limit, cursor);
        var page = await store.Tables.QueryAsync(id, definition.Name, query, ct);
        return TypedResults.Ok(new TablePageDto(page.Total, page.Rows.Select(r => new TableRowDto(r.Key, r.Values)).ToList(), page.NextCursor?.Encode()));
    }

    private static async Task<Ok<TableRowDetailDto>> GetRowAsync(
        string id, string table, string key, IElementManager elements, ISatmonStore store, CancellationToken ct)
    {
        var definition = (await elements.ConnectorOfAsync(id, ct)).RequireTable(table);
        var row = await store.Tables.GetAsync(id, definition.Name, key, ct)
            ?? throw new ApiNotFoundException($"Table '{definition.Name}' of element '{id}' has no row '{key}'.");
        var links = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var column in definition.Columns.Where(c => c.References is not null))
        {
            if (row.Values.TryGetValue(column.Name, out var value) && value is not null && Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) is { Length: > 0 } target)
            {
                links[column.Name] =
                    $"/api/elements/{Uri.EscapeDataString(id)}/tables/{Uri.EscapeDataString(column.References!)}/rows/{Uri.EscapeDataString(target)}";
            }
        }

        return TypedResults.Ok(new TableRowDetailDto(row.Key, row.Values, links));
    }
}
