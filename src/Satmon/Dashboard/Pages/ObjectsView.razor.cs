using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using Satmon.Core.Elements;
using Satmon.Core.Objects;
using Satmon.Core.Tables;
using Satmon.Dashboard.Components;
using Satmon.Dashboard.Data;

namespace Satmon.Dashboard.Pages;

/// <summary>Inventory objects of one definition (services, carriers, resources…), filtered, sorted and paged by the store.</summary>
public partial class ObjectsView : DashboardPage
{
    [Parameter]
    public string Id { get; set; } = "";

    [Parameter]
    public string Definition { get; set; } = "";

    [SupplyParameterFromQuery(Name = "filter")]
    public string? Filter { get; set; }

    [SupplyParameterFromQuery(Name = "sort")]
    public string? Sort { get; set; }

    [SupplyParameterFromQuery(Name = "offset")]
    public int? OffsetParameter { get; set; }

    [Inject]
    internal IOptions<DashboardOptions> Options { get; set; } = null!;

    private ElementContextView? View { get; set; }

    private ObjectDefinition? ObjectDefinition { get; set; }

    private string? NotFound { get; set; }

    private string? Error { get; set; }

    private IReadOnlyList<StoredObject> Items { get; set; } = [];

    private long Total { get; set; }

    private int Offset => Math.Max(0, OffsetParameter ?? 0);

    private int PageSize => Options.Value.TablePageSize;

    protected override async Task OnParametersSetAsync()
    {
        try
        {
            View = await Reader.GetElementAsync(Id, Ct);
        }
        catch (ElementNotFoundException ex)
        {
            NotFound = ex.Message;
            HttpContext.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        ObjectDefinition = View.Connector.ObjectDefinitions.FirstOrDefault(d => string.Equals(d.Name, Definition, StringComparison.OrdinalIgnoreCase));
        if (ObjectDefinition is null)
        {
            NotFound = $"Connector '{View.Connector.Id}' has no object definition '{Definition}'.";
            HttpContext.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        try
        {
            var page = await Reader.QueryObjectsAsync(Id, ObjectDefinition, Filter, Sort, Offset, PageSize, Ct);
            (Items, Total) = (page.Items, page.Total);
        }
        catch (QueryParseException ex)
        {
            Error = ex.Message;
        }
    }

    private string Link(string? filter, string? sort, int offset) =>
        PageLinks.Build($"/elements/{Esc(Id)}/objects/{Esc(ObjectDefinition?.Name ?? Definition)}", filter, sort, offset, null);
}
