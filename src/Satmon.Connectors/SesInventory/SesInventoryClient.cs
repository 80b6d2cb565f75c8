using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Satmon.Connectors.Http;
using Satmon.Core.Connectors;

namespace Satmon.Connectors.SesInventory;

/// <summary>Which of the two APIs a call goes to; named in every message so the operator knows which credentials to fix.</summary>
internal enum InventoryApi
{
    Tmf638,
    Tmf639,
}

/// <summary>How one page request ended.</summary>
internal enum PageStatus
{
    /// <summary>The page arrived.</summary>
    Ok,

    /// <summary>504: the gateway times out on some pages; skip it and go on with the next (seed 002, reference §6).</summary>
    Skipped,

    /// <summary>Any other failure (502, transport, malformed body): this entity type's run ends.</summary>
    Failed,
}

/// <summary>One page: its status, how many records the vendor sent (paging decides on that), and the mapped items.</summary>
internal sealed record PageFetch(PageStatus Status, int RawCount, IReadOnlyList<MappedItem> Items, string? Reason)
{
    public static PageFetch Skip(string reason) => new(PageStatus.Skipped, 0, [], reason);

    public static PageFetch Fail(string reason) => new(PageStatus.Failed, 0, [], reason);
}

/// <summary>
/// The SES gateway calls of one element: pages of services, carriers (TMF638) and resources (TMF639), each API with its
/// own HTTP Basic credentials. Status codes are sorted here into the three outcomes the sync understands; a 401
/// becomes <see cref="AuthenticationFailedException"/> naming the API.
/// </summary>
internal sealed class SesInventoryClient(SesInventoryOptions options, IElementContext context)
{
    private readonly AuthenticationHeaderValue _tmf638Auth = Basic(options.Tmf638Username, options.Tmf638Password);
    private readonly AuthenticationHeaderValue _tmf639Auth = Basic(options.Tmf639Username, options.Tmf639Password);

    /// <summary>One page of services (<paramref name="carriers"/> false) or carriers, mapped.</summary>
    /// <param name="carriers">Ask for carriers (the carrier filter) instead of services.</param>
    /// <param name="page">Zero-based page ordinal.</param>
    /// <param name="updatesOnly">Only items updated in the last 24 h (<c>updatedDaysAgo=0</c>).</param>
    /// <param name="cancellationToken">Caller cancellation.</param>
    public Task<PageFetch> GetServicePageAsync(bool carriers, int page, bool updatesOnly, CancellationToken cancellationToken)
    {
        var what = carriers ? "carriers" : "services";
        var url = PageUrl(options.ServicesUrl, page, updatesOnly, carriers);
        Func<ServiceDto, MappedItem> map = carriers ? SesInventoryMapper.MapCarrier : SesInventoryMapper.MapService;
        return FetchAsync(InventoryApi.Tmf638, what, page, url, async (response, timeout, call) =>
        {
            var body = await VendorHttp.ReadJsonAsync(response, SesInventoryJsonContext.Default.ServicePage, call, timeout);
            return (body.Items.Count, body.Items.Select(map).ToList());
        }, cancellationToken);
    }

    /// <summary>One page of resources, mapped.</summary>
    public Task<PageFetch> GetResourcePageAsync(int page, bool updatesOnly, CancellationToken cancellationToken)
    {
        var url = PageUrl(options.ResourcesUrl, page, updatesOnly, carriers: false);
        return FetchAsync(InventoryApi.Tmf639, "resources", page, url, async (response, timeout, call) =>
        {
            var body = await VendorHttp.ReadJsonAsync(response, SesInventoryJsonContext.Default.ResourcePage, call, timeout);
            return (body.Items.Count, body.Items.Select(SesInventoryMapper.MapResource).ToList());
        }, cancellationToken);
    }

    /// <summary>The API's display name, as messages and the README use it.</summary>
    public static string Name(InventoryApi api) => api == InventoryApi.Tmf638 ? "TMF638" : "TMF639";

    private async Task<PageFetch> FetchAsync(
        InventoryApi api,
        string what,
        int page,
        Uri url,
        Func<HttpResponseMessage, RequestTimeout, string, Task<(int Count, List<MappedItem> Items)>> read,
        CancellationToken cancellationToken)
    {
        var call = $"GET {Name(api)} {what} page {(page + 1).ToString(CultureInfo.InvariantCulture)}";
        var client = context.HttpClientFactory.CreateClient(options.BypassProxy ? SesInventoryConnector.DirectHttpClientName : SesInventoryConnector.HttpClientName);
        using var timeout = new RequestTimeout(options.RequestTimeout, context.Time, cancellationToken);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Authorization = api == InventoryApi.Tmf638 ? _tmf638Auth : _tmf639Auth;
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            using var response = await VendorHttp.SendAsync(client, request, call, timeout);
            await VendorHttp.EnsureSuccessAsync(response, call, context.Time, timeout.Token);
            var (count, items) = await read(response, timeout, call);
            return new PageFetch(PageStatus.Ok, count, items, null);
        }
        catch (VendorHttpException ex) when (ex.StatusCode == HttpStatusCode.Unauthorized)
        {
            var user = api == InventoryApi.Tmf638 ? options.Tmf638Username : options.Tmf639Username;
            throw new AuthenticationFailedException(
                $"{Name(api)} API refused the credentials of user '{user}' (check {Name(api)} username and password): {ex.Message}", ex);
        }
        catch (VendorHttpException ex) when (ex.StatusCode == HttpStatusCode.GatewayTimeout)
        {
            return PageFetch.Skip(ex.Message);
        }
        catch (VendorException ex) when (ex is not RetryAfterException && !cancellationToken.IsCancellationRequested)
        {
            // 502 and every other failure (transport, timeout, malformed JSON) end this type's run (seed 002).
            return PageFetch.Fail(ex.Message);
        }
    }

    private Uri PageUrl(Uri collection, int page, bool updatesOnly, bool carriers)
    {
        // The build-up asks for Operational items only; updates do too only when configured (README: services cleanup).
        var query = new StringBuilder("?");
        if (!updatesOnly || options.UpdateStatusFilter)
        {
            Append(query, "status", "1");
        }

        if (options.OffsetPaging)
        {
            Append(query, "offset", (page * (long)options.RecordsPerPage).ToString(CultureInfo.InvariantCulture));
            Append(query, "limit", options.RecordsPerPage.ToString(CultureInfo.InvariantCulture));
        }
        else
        {
            Append(query, "recordsPerPage", options.RecordsPerPage.ToString(CultureInfo.InvariantCulture));
            Append(query, options.PageParameter, (options.FirstPageIndex + page).ToString(CultureInfo.InvariantCulture));
        }

        if (updatesOnly)
        {
            Append(query, "updatedDaysAgo", "0");
        }

        if (carriers)
        {
            Append(query, options.CarrierFilterName, options.CarrierFilterValue);
        }

        return new Uri(collection.AbsoluteUri + query);
    }

    private static void Append(StringBuilder query, string name, string value) =>
        query.Append(query.Length > 1 ? "&" : "").Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));

    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
}
