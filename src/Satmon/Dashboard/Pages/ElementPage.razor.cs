using Microsoft.AspNetCore.Components;
using Satmon.Core.Elements;
using Satmon.Core.Polling;
using Satmon.Core.Tables;
using Satmon.Dashboard.Components;
using Satmon.Dashboard.Data;

namespace Satmon.Dashboard.Pages;

/// <summary>One element: state and last error, its tables and inventory with counts, polling summary, operator actions.</summary>
public partial class ElementPage : DashboardPage
{
    [Parameter]
    public string Id { get; set; } = "";

    private ElementContextView? View { get; set; }

    private string? NotFound { get; set; }

    private List<(TableDefinition Table, long Rows)> Tables { get; set; } = [];

    private IReadOnlyDictionary<string, long> ObjectCounts { get; set; } = new Dictionary<string, long>();

    private IReadOnlyList<PollTaskView> Polling { get; set; } = [];

    private string? Message { get; set; }

    private bool MessageOk { get; set; }

    private string Base => $"/elements/{Esc(Id)}";

    protected override async Task OnInitializedAsync()
    {
        try
        {
            await LoadAsync();
        }
        catch (ElementNotFoundException ex)
        {
            NotFound = ex.Message;
            HttpContext.Response.StatusCode = StatusCodes.Status404NotFound;
        }
    }

    private async Task LoadAsync()
    {
        View = await Reader.GetElementAsync(Id, Ct);
        Tables = await Reader.TableCountsAsync(View, Ct);
        ObjectCounts = View.Connector.ObjectDefinitions.Count > 0 ? await Reader.ObjectCountsAsync(Id, Ct) : ObjectCounts;
        Polling = await Reader.Elements.GetPollingAsync(Id, Ct);
    }

    private async Task StartStopAsync()
    {
        RequireOperator();
        var view = await Reader.Elements.GetAsync(Id, Ct);
        _ = view.Enabled ? await Reader.Elements.StopAsync(Id, Ct) : await Reader.Elements.StartAsync(Id, Ct);
        await LoadAsync();
    }

    private async Task ShowResult(Satmon.Core.Connectors.CommandResult result)
    {
        Message = result.Message;
        MessageOk = result.Success;
        await LoadAsync();
    }
}
