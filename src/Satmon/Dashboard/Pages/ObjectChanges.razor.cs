using Microsoft.AspNetCore.Components;
using Satmon.Core.Elements;
using Satmon.Core.Objects;
using Satmon.Core.Storage;
using Satmon.Dashboard.Components;
using Satmon.Dashboard.Data;

namespace Satmon.Dashboard.Pages;

/// <summary>One inventory object and its change log, so an operator can see what changed and when.</summary>
public partial class ObjectChanges : DashboardPage
{
    private const int MaxChanges = 200;

    [Inject]
    internal ISatmonStore Store { get; set; } = null!;

    [Parameter]
    public string Id { get; set; } = "";

    [Parameter]
    public string Definition { get; set; } = "";

    [Parameter]
    public string ObjectId { get; set; } = "";

    private ElementContextView? View { get; set; }

    private string? NotFound { get; set; }

    private StoredObject? Object { get; set; }

    private IReadOnlyList<ObjectChange> Changes { get; set; } = [];

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

        // The same store calls as GET /api/objects/{definition}/{id} and …/changes, scoped to this element.
        Object = await Store.Objects.GetAsync(Id, Definition, ObjectId, Ct);
        Changes = await Store.Objects.GetChangesAsync(Id, Definition, ObjectId, MaxChanges, Ct);
    }
}
