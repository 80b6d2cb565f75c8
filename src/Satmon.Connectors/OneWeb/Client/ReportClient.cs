using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Satmon.Connectors.Http;
using Satmon.Core.Connectors;

namespace Satmon.Connectors.OneWeb.Client;

/// <summary>
/// Runs performance reports the MEF/PSI way (reference §5.6): <c>POST</c> a report for a type and a time frame, then
/// <c>GET</c> it until it is <c>completed</c>, reading its content page by page when the vendor pages it. A vendor
/// that answers the POST with the completed content (synchronously) is read straight away.
/// </summary>
internal sealed class ReportClient(OneWebHttp http, OneWebOptions options, TimeProvider time)
{
    private const string Completed = "completed";

    /// <summary>Asks one report and hands each content item (one interval) to <paramref name="onItem"/>, in order.</summary>
    public async Task RunAsync(
        string reportType, DateTimeOffset from, DateTimeOffset to, Func<WireReportContent, string, ValueTask> onItem, CancellationToken cancellationToken)
    {
        var call = $"Performance report {reportType} {from:yyyy-MM-ddTHH:mm}Z–{to:yyyy-MM-ddTHH:mm}Z";
        var request = new WireReportRequest
        {
            Description = $"Satmon {reportType}",
            ReportingTimeframe = new WireReportingTimeframe { ReportingStartDate = from, ReportingEndDate = to },
            PerformanceJob = new WirePerformanceJob
            {
                Granularity = "15 minutes",
                OutputFormat = "json",
                ResultFormat = "payload",
                ServicePayloadSpecificAttributes = new WirePayloadAttributes { Type = reportType },
            },
        };
        var created = new ReportHeader();
        var postCall = $"{call} (POST {options.PerformanceReportPath})";
        await http.SendAsync(postCall, () => new HttpRequestMessage(HttpMethod.Post, options.Url(options.PerformanceReportPath))
        {
            Content = JsonContent.Create(request, OneWebJsonContext.Default.WireReportRequest),
        }, (response, timeout) => ReadAsync(response, created, postCall, onItem, timeout), cancellationToken);
        ThrowIfFailed(created, postCall);
        // A vendor that answers synchronously sends the content with the POST (and may leave out the state).
        if (created.HasContent && created.State is null or Completed)
        {
            return;
        }

        var id = created.Id is { Length: > 0 } reportId ? reportId : throw new MissingFieldException($"{postCall}: field 'id' is missing from the created report.");
        var started = time.GetTimestamp();
        long offset = 0;
        while (true)
        {
            var path = options.PerformanceReportPath + "/" + Uri.EscapeDataString(id);
            var query = $"{options.OffsetParameter}={offset.ToString(CultureInfo.InvariantCulture)}"
                + $"&{options.LimitParameter}={options.PageSize.ToString(CultureInfo.InvariantCulture)}";
            var getCall = $"{call} (GET {path}, offset {offset})";
            var header = new ReportHeader();
            var (items, total) = await http.SendAsync(getCall, () => new HttpRequestMessage(HttpMethod.Get, options.Url(path, query)),
                async (response, timeout) => (await ReadAsync(response, header, getCall, onItem, timeout), VendorHttp.TotalCount(response)),
                cancellationToken);
            ThrowIfFailed(header, getCall);
            if (header.State == Completed)
            {
                offset += items;
                // Paged content (X-Total-Count counts the content items) goes on; an unpaged body is the whole report.
                if (total is not { } t || items == 0 || offset >= t)
                {
                    return;
                }

                continue;
            }

            if (time.GetElapsedTime(started) > options.ReportCompletionTimeout)
            {
                throw new VendorException(
                    $"{call}: report {id} is still '{header.State}' after {options.ReportCompletionTimeout.TotalSeconds:0} s (reportCompletionTimeoutSeconds).");
            }

            await Task.Delay(options.ReportPollInterval, time, cancellationToken);
        }
    }

    private static async Task<int> ReadAsync(
        HttpResponseMessage response, ReportHeader header, string call, Func<WireReportContent, string, ValueTask> onItem, RequestTimeout timeout)
    {
        var count = 0;
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
            await foreach (var item in ReportBodyReader.ReadAsync(stream, header, OneWebJsonContext.Default.WireReportContent, timeout.Token))
            {
                // Storing the samples is our time, not the vendor's: the request timeout only counts waiting on the vendor.
                timeout.Pause();
                await onItem(item, call);
                timeout.Restart();
                count++;
            }
        }
        catch (JsonException ex)
        {
            throw new VendorException($"{call} returned malformed JSON: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException || (ex is OperationCanceledException && timeout.HasExpired))
        {
            throw new VendorException(timeout.HasExpired
                ? $"{call} timed out: no answer within {timeout.Duration.TotalSeconds:0} s."
                : $"{call} failed while reading the body: {ex.Message}", ex);
        }

        return count;
    }

    private static void ThrowIfFailed(ReportHeader header, string call)
    {
        if (header.State is "failed" or "rejected" or "cancelled")
        {
            throw new VendorException($"{call}: the vendor reports the report as '{header.State}'.");
        }
    }
}
