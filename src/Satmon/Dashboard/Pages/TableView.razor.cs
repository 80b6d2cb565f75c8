using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using Satmon.Core.Elements;
using Satmon.Core.Tables;
using Satmon.Dashboard.Components;
using Satmon.Dashboard.Data;

namespace Satmon.Dashboard.Pages;

/// <summary>
/// Any current-value table, filtered, sorted and paged by the store (the API's query parser and the same store query),
/// so 100 000 rows cost one page. Reference cells link to the referenced row; trended cells open their trend.
/// </summary>
public partial class TableView : DashboardPage
{
    [Parameter]
    public string Id { get; set; } = "";

    [Parameter]
    public string Table { get; set; } = "";

    [SupplyParameterFromQuery(Name = "filter")]
    public string? Filter { get; set; }

    [SupplyParameterFromQuery(Name = "sort")]
    public string? Sort { get; set; }

    [SupplyParameterFromQuery(Name = "offset")]
    public int? OffsetParameter { get; set; }

    [SupplyParameterFromQuery(Name = "size")]
    public int? SizeParameter { get; set; }

    [Inject]
    internal IOptions<DashboardOptions> Options { get; set; } = null!;

    private ElementContextView? View { get; set; }

    private TableDefinition? Definition { get; set; }

    private string? NotFound { get; set; }

    private string? Error { get; set; }

    private IReadOnlyList<TableRow> Rows { get; set; } = [];

    private long Total { get; set; }

    private int Offset => Math.Max(0, OffsetParameter ?? 0);

    private int PageSize => Math.Clamp(SizeParameter ?? Options.Value.TablePageSize, 1, 1000);

    private string FilterHint => Definition is { Columns.Count: > 0 } d
        ? $"e.g. {d.Columns[0].Name} contains abc and key ne x (ops: eq ne gt lt contains)"
        : "e.g. key contains abc";

    private string RangeText => Total == 0 ? "No rows" : $"Rows {Offset + 1}–{Offset + Rows.Count} of {Total}";

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

        Definition = View.Connector.FindTable(Table);
        if (Definition is null)
        {
            NotFound = $"Connector '{View.Connector.Id}' has no table '{Table}'.";
            HttpContext.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        try
        {
            var page = await Reader.QueryTableAsync(Id, Definition, Filter, Sort, Offset, PageSize, Ct);
            (Rows, Total) = (page.Rows, page.Total);
        }
        catch (QueryParseException ex)
        {
            Error = ex.Message;
        }
    }

    private string Link(string? filter, string? sort, int offset) =>
        PageLinks.Build($"/elements/{Esc(Id)}/tables/{Esc(Definition?.Name ?? Table)}", filter, sort, offset, SizeParameter is null ? null : PageSize);

    private string SortLink(string column) => Link(Filter, PageLinks.NextSort(Sort, column), 0);

    private string Arrow(string column) => PageLinks.Arrow(Sort, column);

    private string ReferenceLink(ColumnDefinition column, object value) =>
        $"/elements/{Esc(Id)}/tables/{Esc(column.References!)}?filter={Esc($"key eq {Format.Value(value)}")}";

    private string TrendLink(string key, ColumnDefinition column) =>
        $"/elements/{Esc(Id)}/trend?table={Esc(Definition!.Name)}&column={Esc(column.Name)}&key={Esc(key)}";
}
