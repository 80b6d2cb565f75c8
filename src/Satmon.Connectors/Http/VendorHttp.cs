using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Satmon.Core.Connectors;

namespace Satmon.Connectors.Http;

/// <summary>
/// The shared plumbing of vendor calls: send with a timeout, turn every failure into a <see cref="VendorException"/>
/// whose message names the call and says what the vendor answered, honour Retry-After, and read JSON (whole or
/// streamed) so that a malformed body also names the call. No retries here: the polling manager retries at the next
/// poll, and Retry-After reaches it as a <see cref="RetryAfterException"/>.
/// </summary>
public static class VendorHttp
{
    private const int MaxErrorBodyBytes = 8 * 1024;

    /// <summary>
    /// Sends and returns the response once its headers have arrived (the body is left to stream). The status is not
    /// checked: see <see cref="EnsureSuccessAsync"/>. Transport failures and timeouts become <see cref="VendorException"/>.
    /// </summary>
    public static async Task<HttpResponseMessage> SendAsync(
        HttpClient client, HttpRequestMessage request, string call, RequestTimeout timeout)
    {
        try
        {
            return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        }
        catch (Exception ex) when (IsTransportFailure(ex, timeout))
        {
            throw TransportFailure(call, ex, timeout);
        }
    }

    /// <summary>
    /// Throws for a non-success status: <see cref="RetryAfterException"/> for 429/503 with Retry-After, else
    /// <see cref="VendorHttpException"/> with the status, the path and what the vendor said.
    /// </summary>
    public static async Task EnsureSuccessAsync(HttpResponseMessage response, string call, TimeProvider time, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var (code, detail) = VendorErrorBody.Parse(await ReadErrorBodyAsync(response, cancellationToken));
        var status = (int)response.StatusCode;
        var path = response.RequestMessage?.RequestUri?.AbsolutePath ?? "?";
        var said = VendorErrorBody.Join(code, detail);
        var message = $"{call} failed: HTTP {status} {response.ReasonPhrase} from {path}" + (said is null ? "." : $": {said}");
        if (response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable && RetryAfter(response, time) is { } delay)
        {
            throw new RetryAfterException($"{message} The vendor asked to wait {delay.TotalSeconds:0} s.", delay);
        }

        throw new VendorHttpException(message, response.StatusCode, code);
    }

    /// <summary>Reads a whole JSON body; an empty or malformed one becomes a <see cref="VendorException"/> naming the call.</summary>
    public static async Task<T> ReadJsonAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> type, string call, RequestTimeout timeout)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
            return await JsonSerializer.DeserializeAsync(stream, type, timeout.Token)
                ?? throw new VendorException($"{call} returned an empty body (JSON null).");
        }
        catch (JsonException ex)
        {
            throw Malformed(call, ex);
        }
        catch (Exception ex) when (IsTransportFailure(ex, timeout))
        {
            throw TransportFailure(call, ex, timeout);
        }
    }

    /// <summary>
    /// Streams the items of a JSON array body one by one (never holding the whole body); a malformed or cut-off body
    /// fails at the item where it breaks, with a <see cref="VendorException"/> naming the call. A JSON null item
    /// comes through as null.
    /// </summary>
    public static async IAsyncEnumerable<T?> ReadJsonArrayAsync<T>(
        HttpResponseMessage response, JsonTypeInfo<T> type, string call, RequestTimeout timeout)
    {
        Stream stream;
        try
        {
            stream = await response.Content.ReadAsStreamAsync(timeout.Token);
        }
        catch (Exception ex) when (IsTransportFailure(ex, timeout))
        {
            throw TransportFailure(call, ex, timeout);
        }

        await using (stream)
        {
            await using var items = JsonSerializer.DeserializeAsyncEnumerable(stream, type, timeout.Token).GetAsyncEnumerator(timeout.Token);
            while (true)
            {
                bool more;
                try
                {
                    more = await items.MoveNextAsync();
                }
                catch (JsonException ex)
                {
                    throw Malformed(call, ex);
                }
                catch (Exception ex) when (IsTransportFailure(ex, timeout))
                {
                    throw TransportFailure(call, ex, timeout);
                }

                if (!more)
                {
                    yield break;
                }

                yield return items.Current;
            }
        }
    }

    /// <summary>The <c>X-Total-Count</c> paging header (MEF: total matching items), or null.</summary>
    public static long? TotalCount(HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-Total-Count", out var values) && long.TryParse(values.FirstOrDefault(), out var total) ? total : null;

    /// <summary>The <c>X-Pagination-Throttled</c> header (MEF: the page was cut and more items exist).</summary>
    public static bool Throttled(HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-Pagination-Throttled", out var values) && bool.TryParse(values.FirstOrDefault(), out var throttled) && throttled;

    /// <summary>The delay a Retry-After header asks for (seconds or an HTTP date), or null.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider time)
    {
        var header = response.Headers.RetryAfter;
        var delay = header?.Delta ?? (header?.Date is { } date ? date - time.GetUtcNow() : null);
        return delay is { } d ? (d < TimeSpan.Zero ? TimeSpan.Zero : d) : null;
    }

    private static bool IsTransportFailure(Exception ex, RequestTimeout timeout) =>
        ex is HttpRequestException or IOException || (ex is OperationCanceledException && timeout.HasExpired);

    private static VendorException TransportFailure(string call, Exception ex, RequestTimeout timeout) =>
        ex is OperationCanceledException
            ? new VendorException($"{call} timed out: no answer within {timeout.Duration.TotalSeconds:0} s.", ex)
            : new VendorException($"{call} failed: {ex.Message}", ex);

    private static VendorException Malformed(string call, JsonException ex) =>
        new($"{call} returned malformed JSON: {ex.Message}", ex);

    private static async Task<string?> ReadErrorBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            var buffer = new byte[MaxErrorBodyBytes];
            var length = 0;
            int read;
            while (length < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
            {
                length += read;
            }

            return System.Text.Encoding.UTF8.GetString(buffer, 0, length);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            // The status already says the call failed; a body we cannot read only loses the detail.
            return null;
        }
    }
}
