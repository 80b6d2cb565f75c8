using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Satmon.Connectors.Http;
using Satmon.Core.Connectors;

namespace Satmon.Connectors.OneWeb.Client;

/// <summary>What a successful hello said.</summary>
/// <param name="Confirmation">The vendor's confirmation text (or "HTTP 200" when the body had none).</param>
/// <param name="VendorTime">The vendor's timestamp in the body, when it sent one.</param>
internal sealed record HelloResult(string Confirmation, DateTimeOffset? VendorTime);

/// <summary>The OneWeb calls of one element: hello and the paged inventory lists. Reports live in <see cref="ReportClient"/>.</summary>
internal sealed class OneWebClient(OneWebHttp http, OneWebOptions options)
{
    public const string TerminalFields =
        "id,imei,imsi,name,serialNumber,firstSeenDate,lastSeenDate,resourceState,operationalState,resourceVersion,"
        + "manufacturer,model,relatedParty,place,product,location,resourceRelationship";

    // A vendor that ignores offset would otherwise be read forever; no real account has this many pages.
    private const int MaxPages = 100_000;
    private const int MaxHelloBodyBytes = 4096;

    public OneWebHttp Http { get; } = http;

    /// <summary>GET hello. 200 = authenticated; 401 or 404 = refused credentials (the public client reads 404 so).</summary>
    public async Task<HelloResult> HelloAsync(CancellationToken cancellationToken)
    {
        var call = $"Hello (GET {options.HelloPath})";
        try
        {
            return await Http.SendAsync(call, () => new HttpRequestMessage(HttpMethod.Get, options.Url(options.HelloPath)),
                async (response, timeout) => ParseHello(await ReadSmallTextAsync(response, timeout)), cancellationToken);
        }
        catch (VendorHttpException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            throw new AuthenticationFailedException(
                $"{call} answered HTTP 404, which OneWeb returns for credentials it does not know: check the client id and secret (and the hello path).", ex);
        }
    }

    /// <summary>
    /// Reads every page of a list with offset/limit, until <c>X-Total-Count</c> is reached or a short page ends it (a bare
    /// array without the header). A list that ends before the count it announced fails, so a table is never replaced by
    /// part of the vendor's data. Repeated keys across pages (rows shifting while paging) are kept once. Each item goes to
    /// <paramref name="accept"/> page by page (the caller maps it and drops the wire object) with its position in the list.
    /// </summary>
    /// <returns>How many items were accepted.</returns>
    public async Task<int> ListAsync<T>(
        string call, string path, string? fields, JsonTypeInfo<T> itemType, Func<T, string?> keyOf, Action<T, int> accept,
        CancellationToken cancellationToken)
    {
        var accepted = 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? firstKey = null;
        long offset = 0;
        for (var page = 0; page < MaxPages; page++)
        {
            var query = $"{options.OffsetParameter}={offset.ToString(CultureInfo.InvariantCulture)}"
                + $"&{options.LimitParameter}={options.PageSize.ToString(CultureInfo.InvariantCulture)}";
            if (fields is not null)
            {
                query = "fields=" + fields + "&" + query;
            }

            var pageCall = $"{call} (GET {path}, offset {offset})";
            var (rows, total) = await Http.SendAsync(pageCall, () => new HttpRequestMessage(HttpMethod.Get, options.Url(path, query)),
                async (response, timeout) =>
                {
                    var total = VendorHttp.TotalCount(response);
                    var rows = new List<T>();
                    await foreach (var row in VendorHttp.ReadJsonArrayAsync(response, itemType, pageCall, timeout))
                    {
                        rows.Add(row ?? throw new VendorException($"{pageCall}: item {rows.Count + 1} of the page is null."));
                    }

                    return (rows, total);
                }, cancellationToken);
            if (rows.Count == 0)
            {
                return total is { } announced && accepted < announced
                    ? throw new VendorException($"{call} ended after {accepted} of the {announced} rows announced in X-Total-Count.")
                    : accepted;
            }

            var key = keyOf(rows[0]);
            if (offset > 0 && key is not null && key == firstKey)
            {
                // The vendor ignores offset and sent the first page again: what we have is the whole list.
                return accepted;
            }

            firstKey ??= key;
            foreach (var row in rows)
            {
                if (keyOf(row) is not { } k || seen.Add(k))
                {
                    accept(row, accepted++);
                }
            }

            offset += rows.Count;
            var done = total is { } t ? offset >= t : rows.Count < options.PageSize;
            if (done)
            {
                return accepted;
            }
        }

        throw new VendorException($"{call} did not end after {MaxPages} pages.");
    }

    private static async Task<string> ReadSmallTextAsync(HttpResponseMessage response, RequestTimeout timeout)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
        var buffer = new byte[MaxHelloBodyBytes];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(length), timeout.Token)) > 0)
        {
            length += read;
        }

        return System.Text.Encoding.UTF8.GetString(buffer, 0, length);
    }

    // The real hello body is unknown (reference §5.1): only the status decides; the text is shown when there is one.
    private static HelloResult ParseHello(string body)
    {
        var text = body.Trim();
        if (text.Length == 0)
        {
            return new HelloResult("HTTP 200", null);
        }

        try
        {
            var hello = JsonSerializer.Deserialize(text, OneWebJsonContext.Default.WireHello);
            if (hello?.Message is { Length: > 0 } message)
            {
                return new HelloResult(message, hello.Timestamp);
            }
        }
        catch (JsonException)
        {
            // Plain text (or something else): shown as it came.
        }

        return new HelloResult(text.Length > 200 ? text[..200] + "…" : text, null);
    }
}
