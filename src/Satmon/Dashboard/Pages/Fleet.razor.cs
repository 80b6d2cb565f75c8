using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using Satmon.Api;
using Satmon.Dashboard.Components;

namespace Satmon.Dashboard.Pages;

/// <summary>Counts per operator and status, the offline world map, and the normalised fleet list of <c>/api/fleet/terminals</c>.</summary>
public partial class Fleet : DashboardPage
{
    // The overview table stays readable; the map shows every terminal.
    private const int MaxRows = 500;

    [Inject]
    internal IOptions<DashboardOptions> OptionsAccessor { get; set; } = null!;

    private DashboardOptions Options => OptionsAccessor.Value;

    private List<FleetTerminalDto> Terminals { get; set; } = [];

    private List<OperatorCount> Counts { get; set; } = [];

    private string MapJson { get; set; } = "[]";

    protected override async Task OnInitializedAsync()
    {
        Terminals = (await Reader.FleetAsync(Ct)).OrderBy(t => t.Operator, StringComparer.Ordinal).ThenBy(t => t.Name, StringComparer.Ordinal).ToList();
        Counts = Terminals.GroupBy(t => t.Operator)
            .Select(g => new OperatorCount(g.Key, g.Count(t => t.Status == "online"), g.Count(t => t.Status == "offline"), g.Count(t => t.Status == "unknown"), g.Count()))
            .OrderBy(c => c.Operator, StringComparer.Ordinal)
            .ToList();
        // Short member names keep the attribute small for thousands of terminals; the default encoder escapes HTML.
        MapJson = JsonSerializer.Serialize(Terminals.Where(t => t.Latitude is not null && t.Longitude is not null).Select(t => new
        {
            id = t.Id,
            n = t.Name,
            op = t.Operator,
            s = t.Status,
            lat = t.Latitude,
            lon = t.Longitude,
            url = $"/elements/{Esc(t.Element)}",
        }));
    }

    private static string Position(FleetTerminalDto t) => t.Latitude is { } lat && t.Longitude is { } lon
        ? string.Create(CultureInfo.InvariantCulture, $"{lat:0.###}, {lon:0.###}")
        : "—";

    private sealed record OperatorCount(string Operator, int Online, int Offline, int Unknown, int Total);
}
