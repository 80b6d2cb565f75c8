using System.Globalization;
using System.IO.Pipelines;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Satmon.Simulators.Faults;

namespace Satmon.Simulators.SesMpower;

/// <summary>
/// <c>GET {ApiPrefix}/pm-reports/{subscriptionId}</c>, candidate A of the reference (§6.3): a JSON array of MEF
/// messages with eventTime.gt &lt; eventTime &lt; eventTime.lt and eventTime ≤ now, ordered by (eventTime,
/// objectName), offset/limit paged with X-Total-Count. The array is streamed, never built in memory.
/// </summary>
internal static class PmReportsEndpoint
{
    public const string RelativePath = "/pm-reports";

    // Flush to the socket in chunks: small enough to keep memory flat, large enough to keep syscalls few.
    private const int FlushThresholdBytes = 64 * 1024;

    public static void Map(IEndpointRouteBuilder endpoints, SesMpowerRuntime runtime) =>
        endpoints.MapGet(runtime.Options.ApiPrefix + RelativePath + "/{subscriptionId}", context => HandleAsync(context, runtime));

    private static async Task HandleAsync(HttpContext context, SesMpowerRuntime runtime)
    {
        var options = runtime.Options;
        var now = runtime.TimeProvider.GetUtcNow();
        var subscriptionId = context.Request.RouteValues["subscriptionId"]?.ToString() ?? "";
        if (!PmReportsQuery.TryParse(context.Request.Query, options, now, out var query, out var error))
        {
            runtime.RecordPmReportsCall(new PmReportsCall(now, subscriptionId, null, null, null, null, 0, null, StatusCodes.Status400BadRequest));
            await MefErrors.InvalidQueryAsync(context, error);
            return;
        }

        var page = query.Page;
        void Record(int status) => runtime.RecordPmReportsCall(new PmReportsCall(
            now, subscriptionId, query.RequestedFrom, query.RequestedTo, query.From, query.To, page.Offset, page.RequestedLimit, status));

        var subscription = runtime.Subscriptions.Find(subscriptionId, ApiAuthentication.UserOf(context));
        if (subscription is null)
        {
            Record(StatusCodes.Status404NotFound);
            await MefErrors.NotFoundAsync(context, $"Subscription '{subscriptionId}' does not exist");
            return;
        }

        if (runtime.Subscriptions.IsExpired(subscription))
        {
            Record(options.ExpiredSubscriptionStatusCode);
            await MefErrors.NotFoundAsync(context, $"Subscription '{subscriptionId}' has expired", options.ExpiredSubscriptionStatusCode);
            return;
        }

        if (query.To - query.From > options.MaxRange)
        {
            Record(StatusCodes.Status422UnprocessableEntity);
            await MefErrors.UnprocessableAsync(context, "tooLargeDataset",
                $"The time range must not exceed {options.MaxRange.TotalHours.ToString(CultureInfo.InvariantCulture)} hours",
                $"Requested {query.From:O} to {query.To:O}; split it into smaller ranges.");
            return;
        }

        // A sample exists once its time has come: the exclusive upper bound never passes "now + one tick".
        var until = Min(query.RequestedTo ?? DateTimeOffset.MaxValue, now.AddTicks(1));
        var total = runtime.Fleet.CountBetween(query.From, until);
        var start = page.Offset;
        var repeated = 0L;
        if (page.Offset > 0 && runtime.FaultQueue.TryTake(context.Request.Path, r => r.Kind == FaultKind.Duplicate, out var duplicate))
        {
            // The page starts with the last messages of the previous page again, as a server whose data shifted
            // between two page reads would do. Its length grows by that much; X-Total-Count is unchanged.
            repeated = Math.Min(duplicate.Items, page.Offset);
            start -= repeated;
            Log.FaultApplied(runtime.Logger, "duplicate", context.Request.Path);
        }

        var count = Math.Clamp(total - page.Offset, 0, page.Limit) + repeated;
        Record(StatusCodes.Status200OK);
        var headers = context.Response.Headers;
        headers["X-Total-Count"] = total.ToString(CultureInfo.InvariantCulture);
        headers["X-Result-Count"] = count.ToString(CultureInfo.InvariantCulture);
        headers["X-Pagination-Throttled"] = page.Throttled && page.Offset + page.Limit < total ? "true" : "false";
        context.Response.ContentType = MefErrors.JsonContentType;
        await WriteMessagesAsync(context.Response.BodyWriter, runtime.Fleet.MessagesBetween(query.From, until, start, count), context.RequestAborted);
    }

    private static async Task WriteMessagesAsync(PipeWriter body, IEnumerable<MpowerMessage> messages, CancellationToken cancellationToken)
    {
        // The JSON writer fills the response pipe's buffers (JsonSerializer flushes it after every message, which
        // for a pipe is only bookkeeping); the pipe goes to the socket every FlushThresholdBytes, so a page of
        // any size streams in constant memory.
        await using var writer = new Utf8JsonWriter(body);
        long flushed = 0;
        writer.WriteStartArray();
        foreach (var message in messages)
        {
            JsonSerializer.Serialize(writer, message, SesMpowerJsonContext.Default.MpowerMessage);
            if (writer.BytesCommitted - flushed >= FlushThresholdBytes)
            {
                await body.FlushAsync(cancellationToken);
                flushed = writer.BytesCommitted;
            }
        }

        writer.WriteEndArray();
        writer.Flush();
        await body.FlushAsync(cancellationToken);
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
