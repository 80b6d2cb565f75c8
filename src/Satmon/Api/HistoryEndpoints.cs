using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Satmon.Core.Elements;
using Satmon.Core.History;
using Satmon.Core.Storage;
using Satmon.Core.Tables;

namespace Satmon.Api;

/// <summary>Trend history of one cell: raw points or min/avg/max rollups.</summary>
internal static class HistoryEndpoints
{
    /// <summary>Range used when <c>from</c> is not given.</summary>
    private static readonly TimeSpan DefaultRange = TimeSpan.FromHours(24);

    public static RouteGroupBuilder MapHistoryEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/elements/{id}/history", GetAsync).WithTags("History")
            .WithSummary("Points of one trended cell: table, key, column, from, to (ISO-8601; default the last 24 h), resolution raw|5m|1h|1d.");
        return api;
    }

    private static async Task<Ok<HistoryDto>> GetAsync(
        string id,
        string? table,
        string? key,
        string? column,
        string? from,
        string? to,
        string? resolution,
        IElementManager elements,
        ISatmonStore store,
        TimeProvider time,
        CancellationToken ct)
    {
        var connector = await elements.ConnectorOfAsync(id, ct);
        var definition = connector.RequireTable(Required("table", table));
        var rowKey = Required("key", key);
        var col = definition.FindColumn(Required("column", column));
        if (col is not { Trended: true, Type: ColumnType.Number })
        {
            var trended = definition.Columns.Where(c => c.Trended && c.Type == ColumnType.Number).Select(c => c.Name).ToList();
            throw new ApiBadRequestException(
                $"'column' must be a trended column of table '{definition.Name}'; '{column}' is not. Trended columns: {(trended.Count == 0 ? "(none)" : string.Join(", ", trended))}.");
        }

        if (!Resolutions.TryParse(resolution, out var res))
        {
            throw new ApiBadRequestException($"'resolution' must be raw, 5m, 1h or 1d; got '{resolution}'.");
        }

        var end = ParseTime("to", to) ?? time.GetUtcNow();
        var start = ParseTime("from", from) ?? end - DefaultRange;
        if (start >= end)
        {
            throw new ApiBadRequestException($"'from' ({start:O}) must be before 'to' ({end:O}).");
        }

        // The store's range is [from, to). Without an explicit 'to' the caller means "up to now", and a poll that just
        // ran stored its points at exactly now: widen by the store's resolution (1 ms) so they are included.
        var storeEnd = to is null ? end + TimeSpan.FromMilliseconds(1) : end;
        var series = await store.History.QueryAsync(id, new HistoryQuery(definition.Name, rowKey, col.Name, start, storeEnd, res), ct);
        IReadOnlyList<object> points = series.Resolution == Resolution.Raw
            ? series.Raw.Select(p => (object)new HistoryRawPointDto(p.Time, p.Value)).ToList()
            : series.Rollups.Select(p => (object)new HistoryRollupPointDto(p.Time, p.Min, p.Avg, p.Max, p.Count)).ToList();
        return TypedResults.Ok(new HistoryDto(definition.Name, rowKey, col.Name, col.Unit, Resolutions.ToToken(series.Resolution), start, end, points));
    }

    private static string Required(string name, string? value) =>
        string.IsNullOrWhiteSpace(value) ? throw new ApiBadRequestException($"Query parameter '{name}' is required.") : value;

    private static DateTimeOffset? ParseTime(string name, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? t.ToUniversalTime()
            : throw new ApiBadRequestException($"'{name}' must be an ISO-8601 time such as 2025-01-31T12:00:00Z; got '{value}'.");
    }
}
