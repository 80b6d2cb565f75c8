using System.Text.Json;
using Microsoft.AspNetCore.Components;
using Satmon.Core.Elements;
using Satmon.Core.History;
using Satmon.Core.Tables;
using Satmon.Dashboard.Components;
using Satmon.Dashboard.Data;

namespace Satmon.Dashboard.Pages;

/// <summary>
/// A trended cell over time: one or more row keys of one column, raw or as 5 min / 1 h / 1 day rollups (average line
/// inside its min/max band), read from the same history store query as <c>/api/elements/{id}/history</c>.
/// </summary>
public partial class TrendPage : DashboardPage
{
    private static readonly Dictionary<string, TimeSpan> RangeMap = new(StringComparer.Ordinal)
    {
        ["1h"] = TimeSpan.FromHours(1),
        ["6h"] = TimeSpan.FromHours(6),
        ["24h"] = TimeSpan.FromHours(24),
        ["7d"] = TimeSpan.FromDays(7),
        ["30d"] = TimeSpan.FromDays(30),
        ["1y"] = TimeSpan.FromDays(365),
    };

    [Inject]
    internal TimeProvider Time { get; set; } = null!;

    [Parameter]
    public string Id { get; set; } = "";

    [SupplyParameterFromQuery(Name = "table")]
    public string? Table { get; set; }

    [SupplyParameterFromQuery(Name = "column")]
    public string? Column { get; set; }

    /// <summary>Row keys: repeated <c>key</c> parameters and/or a comma-separated <c>keys</c>.</summary>
    [SupplyParameterFromQuery(Name = "key")]
    public string[]? KeyParameters { get; set; }

    [SupplyParameterFromQuery(Name = "keys")]
    public string? KeyList { get; set; }

    [SupplyParameterFromQuery(Name = "range")]
    public string? RangeParameter { get; set; }

    [SupplyParameterFromQuery(Name = "resolution")]
    public string? ResolutionParameter { get; set; }

    private static IReadOnlyDictionary<string, TimeSpan> Ranges => RangeMap;

    private ElementContextView? View { get; set; }

    private string? NotFound { get; set; }

    private string? Error { get; set; }

    private string? Unit { get; set; }

    private List<string> Keys { get; set; } = [];

    private string RangeKey => RangeParameter is { } r && RangeMap.ContainsKey(r) ? r : "24h";

    private string ResolutionToken { get; set; } = "raw";

    private DateTimeOffset From { get; set; }

    private DateTimeOffset To { get; set; }

    private int PointCount { get; set; }

    private string SeriesJson { get; set; } = "[]";

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

        Keys = (KeyParameters ?? []).Concat((KeyList ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Distinct(StringComparer.Ordinal).ToList();
        var table = Table is null ? null : View.Connector.FindTable(Table);
        var column = table?.FindColumn(Column ?? "");
        if (table is null || column is not { Trended: true, Type: ColumnType.Number } || Keys.Count == 0)
        {
            // The same rule as the API's history route: only trended number columns have history.
            Error = "Choose a trended cell: open a table and click a trended value (table, column and at least one row key are needed).";
            return;
        }

        Unit = column.Unit;
        if (!Resolutions.TryParse(ResolutionParameter, out var resolution))
        {
            Error = $"'resolution' must be raw, 5m, 1h or 1d; got '{ResolutionParameter}'.";
            resolution = Resolution.Raw;
        }

        ResolutionToken = Resolutions.ToToken(resolution);
        // Like the API without 'to': up to and including a poll that stored its points at exactly now.
        To = Time.GetUtcNow() + TimeSpan.FromMilliseconds(1);
        From = To - RangeMap[RangeKey];
        var series = new List<object>();
        foreach (var key in Keys)
        {
            var s = await Reader.HistoryAsync(Id, new HistoryQuery(table.Name, key, column.Name, From, To, resolution), Ct);
            PointCount += s.Raw.Count + s.Rollups.Count;
            // Seconds since the epoch are what uPlot plots on a time axis.
            series.Add(s.Resolution == Resolution.Raw
                ? new { key, t = s.Raw.Select(p => p.Time.ToUnixTimeMilliseconds() / 1000.0), v = s.Raw.Select(p => p.Value) }
                : new
                {
                    key,
                    t = s.Rollups.Select(p => p.Time.ToUnixTimeMilliseconds() / 1000.0),
                    v = s.Rollups.Select(p => p.Avg),
                    min = s.Rollups.Select(p => p.Min),
                    max = s.Rollups.Select(p => p.Max),
                });
        }

        SeriesJson = JsonSerializer.Serialize(series);
    }
}
