using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Satmon.Simulators.OneWeb.Http;
using Satmon.Simulators.OneWeb.Reports;
using Satmon.Simulators.OneWeb.Wire;

namespace Satmon.Simulators.OneWeb.Endpoints;

/// <summary>
/// Performance reports (reference §4 #7–#8, §5.6). Two ways in: MEF-style asynchronous (POST a report, then GET
/// it by id) and a synchronous GET with <c>reportType</c>, <c>startTime</c>, <c>endTime</c>. Both page the
/// report content with offset/limit; each content item is one interval of one terminal or product.
/// </summary>
internal static class PerformanceEndpoints
{
    private static readonly TimeSpan DefaultWindow = TimeSpan.FromDays(1);

    public static void MapPerformance(this IEndpointRouteBuilder app, SimulatorState s)
    {
        var path = s.Options.PerformanceReportPath;
        app.MapPost(path, context => CreateAsync(context, s));
        app.MapGet(path + "/{id}", context => GetAsync(context, s, InventoryEndpoints.RouteValue(context, "id")));
        app.MapGet(path, context => context.Request.Query.ContainsKey("reportType")
            ? QueryAsync(context, s)
            : ListAsync(context, s));
    }

    private static async Task CreateAsync(HttpContext context, SimulatorState s)
    {
        PerformanceReportCreateWire? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync(context.Request.Body, OneWebJsonContext.Default.PerformanceReportCreateWire, context.RequestAborted);
        }
        catch (JsonException ex)
        {
            await BadRequestAsync(context, $"The body is not a performance report request: {ex.Message}");
            return;
        }

        var payload = body?.PerformanceJob?.ServicePayloadSpecificAttributes;
        if (!Enum.TryParse<OneWebReportType>(payload?.Type, ignoreCase: false, out var type))
        {
            await BadRequestAsync(context, $"performanceJob.servicePayloadSpecificAttributes.@type must be one of {string.Join(", ", Enum.GetNames<OneWebReportType>())}.");
            return;
        }

        if (body!.ReportingTimeframe is not { ReportingStartDate: { } start, ReportingEndDate: { } end } || end <= start)
        {
            await BadRequestAsync(context, "reportingTimeframe needs reportingStartDate before reportingEndDate.");
            return;
        }

        var entityId = SampleCatalog.IsTerminalReport(type) ? payload!.UserTerminalId : payload!.ProductId;
        int? index = null;
        if (!string.IsNullOrEmpty(entityId) && (index = s.Samples.IndexOf(type, entityId)) is null)
        {
            await BadRequestAsync(context, $"Unknown {(SampleCatalog.IsTerminalReport(type) ? "userTerminalId" : "productId")} '{entityId}'.");
            return;
        }

        var report = s.Reports.Add(s.Time.GetUtcNow(), body.Description, type, index, start, end, body.PerformanceJob!);
        context.Response.Headers.Location = $"{s.Options.PerformanceReportPath}/{report.Id}";
        await s.Responder.WriteObjectAsync(context, ToWire(report, "acknowledged", null), OneWebJsonContext.Default.PerformanceReportWire, StatusCodes.Status201Created);
    }

    private static async Task GetAsync(HttpContext context, SimulatorState s, string id)
    {
        if (!s.Reports.TryGet(id, out var report))
        {
            await InventoryEndpoints.NotFoundAsync(context, "performanceReport", id);
            return;
        }

        if (await s.Responder.ReadPageAsync(context) is not { } page)
        {
            return;
        }

        var completedAt = report!.CreationDate + s.Options.ReportProcessingDelay;
        if (s.Time.GetUtcNow() < completedAt)
        {
            await s.Responder.WriteObjectAsync(context, ToWire(report, "inProgress", null), OneWebJsonContext.Default.PerformanceReportWire);
            return;
        }

        // The content is what existed when the report completed: a completed report never changes.
        var selection = s.Samples.Select(report.Type, report.EntityIndex, report.Start, report.End, completedAt);
        var content = Items(s, report.Type, selection, page).ToList();
        context.Response.Headers["X-Total-Count"] = selection.Total.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["X-Result-Count"] = content.Count.ToString(CultureInfo.InvariantCulture);
        await s.Responder.WriteObjectAsync(context, ToWire(report, "completed", content), OneWebJsonContext.Default.PerformanceReportWire);
    }

    private static async Task ListAsync(HttpContext context, SimulatorState s)
    {
        if (await s.Responder.ReadPageAsync(context) is not { } page)
        {
            return;
        }

        var now = s.Time.GetUtcNow();
        var reports = s.Reports.All();
        var items = reports.Skip(page.Offset).Take(page.Limit)
            .Select(r => ToWire(r, now < r.CreationDate + s.Options.ReportProcessingDelay ? "inProgress" : "completed", null));
        await s.Responder.WriteListAsync(context, reports.Count, page, items, OneWebJsonContext.Default.PerformanceReportWire);
    }

    private static async Task QueryAsync(HttpContext context, SimulatorState s)
    {
        var query = context.Request.Query;
        if (!Enum.TryParse<OneWebReportType>(query["reportType"].ToString(), ignoreCase: false, out var type))
        {
            await BadRequestAsync(context, $"reportType must be one of {string.Join(", ", Enum.GetNames<OneWebReportType>())}.");
            return;
        }

        var now = s.Time.GetUtcNow();
        if (!TryReadTime(query["endTime"].ToString(), now, out var end) || !TryReadTime(query["startTime"].ToString(), end - DefaultWindow, out var start))
        {
            await BadRequestAsync(context, "startTime and endTime must be ISO-8601 date-times.");
            return;
        }

        var entityId = (SampleCatalog.IsTerminalReport(type) ? query["userTerminalId"] : query["productId"]).ToString();
        int? index = null;
        if (entityId.Length > 0 && (index = s.Samples.IndexOf(type, entityId)) is null)
        {
            await BadRequestAsync(context, $"Unknown {(SampleCatalog.IsTerminalReport(type) ? "userTerminalId" : "productId")} '{entityId}'.");
            return;
        }

        if (await s.Responder.ReadPageAsync(context) is not { } page)
        {
            return;
        }

        var selection = s.Samples.Select(type, index, start, end, now);
        await s.Responder.WriteListAsync(context, selection.Total, page, Items(s, type, selection, page), OneWebJsonContext.Default.ReportContentItemWire);
    }

    private static IEnumerable<ReportContentItemWire> Items(SimulatorState s, OneWebReportType type, SampleSelection selection, Page page) =>
        selection.Page(page.Offset, page.Limit).Select(x => SampleCatalog.IsTerminalReport(type)
            ? s.Mapper.TerminalReportItem(type, s.Fleet.TerminalSample(s.Fleet.Terminals[x.EntityIndex], x.IntervalStart))
            : s.Mapper.ProductReportItem(s.Fleet.ProductSample(s.Fleet.Products[x.EntityIndex], x.IntervalStart)));

    private static PerformanceReportWire ToWire(StoredReport r, string state, IReadOnlyList<ReportContentItemWire>? content) =>
        new(r.Id, state, r.CreationDate, r.Description, new ReportingTimeframeWire(r.Start, r.End), r.Job, content);

    private static bool TryReadTime(string text, DateTimeOffset fallback, out DateTimeOffset value)
    {
        if (text.Length == 0)
        {
            value = fallback;
            return true;
        }

        // An unescaped '+' in a query string arrives as a space.
        return DateTimeOffset.TryParse(text.Replace(' ', '+'), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);
    }

    private static Task BadRequestAsync(HttpContext context, string message) =>
        JsonResponder.WriteErrorAsync(context, StatusCodes.Status400BadRequest, "Bad Request", message);
}
