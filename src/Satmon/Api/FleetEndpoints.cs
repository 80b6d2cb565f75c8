using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Satmon.Core.Elements;
using Satmon.Core.Storage;
using Satmon.Core.Tables;

namespace Satmon.Api;

/// <summary>Every terminal of every element whose connector maps a table to the fleet, in one normalised list.</summary>
internal static class FleetEndpoints
{
    public static RouteGroupBuilder MapFleetEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/fleet/terminals", ListAsync).WithTags("Fleet")
            .WithSummary("All terminals: element, operator, id, name, status (online/offline/unknown), position, latency, throughput, last seen.");
        return api;
    }

    private static async Task<Ok<List<FleetTerminalDto>>> ListAsync(IElementManager elements, ISatmonStore store, CancellationToken ct) =>
        TypedResults.Ok(await ReadAsync(elements, store, ct));

    /// <summary>The normalised fleet list; the dashboard reads it through here too, so page and route agree.</summary>
    public static async Task<List<FleetTerminalDto>> ReadAsync(IElementManager elements, ISatmonStore store, CancellationToken ct)
    {
        var result = new List<FleetTerminalDto>();
        foreach (var element in await elements.ListAsync(ct))
        {
            var connector = elements.Connectors.FirstOrDefault(c => c.Id == element.Connector);
            foreach (var table in connector?.Tables.Where(t => t.Fleet is not null) ?? [])
            {
                await foreach (var row in store.Tables.ReadAllAsync(element.Id, table.Name, ct))
                {
                    result.Add(Normalise(element.Id, table.Fleet!, row));
                }
            }
        }

        return result;
    }

    public static FleetTerminalDto Normalise(string elementId, FleetMapping map, TableRow row) => new(
        elementId,
        map.Operator,
        row.Key,
        Text(row, map.NameColumn) is { Length: > 0 } name ? name : row.Key,
        Status(map, Text(row, map.StatusColumn)),
        Number(row, map.LatitudeColumn),
        Number(row, map.LongitudeColumn),
        Number(row, map.LatencyColumn),
        Number(row, map.ThroughputColumn),
        Value(row, map.LastSeenColumn) as DateTimeOffset?);

    private static string Status(FleetMapping map, string? value) =>
        string.IsNullOrWhiteSpace(value) ? "unknown"
        : map.OnlineValues.Contains(value, StringComparer.OrdinalIgnoreCase) ? "online"
        : "offline";

    private static object? Value(TableRow row, string? column) =>
        column is not null && row.Values.TryGetValue(column, out var v) ? v : null;

    private static string? Text(TableRow row, string? column) =>
        Value(row, column) is { } v ? Convert.ToString(v, CultureInfo.InvariantCulture) : null;

    private static double? Number(TableRow row, string? column) => Value(row, column) is double d && double.IsFinite(d) ? d : null;
}
