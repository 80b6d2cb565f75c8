using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Satmon.Connectors.Http;
using Satmon.Core.Connectors;

namespace Satmon.Connectors.SesMpower;

/// <summary>
/// The SES API calls of one element: streaming management (MEF W147, reference §5) and pm-reports (§6). Every call
/// carries a current bearer token; a 401 gets a fresh token once and the call is retried once (reference §4.6).
/// </summary>
internal sealed class MpowerClient(MpowerOptions options, IElementContext context, MpowerAuth auth)
{
    private const string SubscriptionPath = "mefApi/legato/streamingManagement/v1/subscription";
    private const int SubscriptionPageSize = 100;

    /// <summary>A subscription by id, or null when the vendor no longer knows it (404/410).</summary>
    public async Task<SubscriptionDto?> GetSubscriptionAsync(string id, CancellationToken cancellationToken)
    {
        var call = $"GET subscription {id}";
        try
        {
            using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, options.ApiUrl($"{SubscriptionPath}/{Uri.EscapeDataString(id)}")), call, cancellationToken);
            return await VendorHttp.ReadJsonAsync(response.Response, MpowerJsonContext.Default.SubscriptionDto, call, response.Timeout);
        }
        catch (VendorHttpException ex) when (ex.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone)
        {
            return null;
        }
    }

    /// <summary>The caller's subscriptions to a topic, every page.</summary>
    public async Task<List<SubscriptionDto>> ListSubscriptionsAsync(string topicId, CancellationToken cancellationToken)
    {
        var all = new List<SubscriptionDto>();
        while (true)
        {
            var query = $"?topicId={Uri.EscapeDataString(topicId)}&offset={all.Count}&limit={SubscriptionPageSize}";
            var call = $"GET subscription list (topic {topicId}, offset {all.Count})";
            using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, options.ApiUrl(SubscriptionPath + query)), call, cancellationToken);
            var total = VendorHttp.TotalCount(response.Response);
            var page = await VendorHttp.ReadJsonAsync(response.Response, MpowerJsonContext.Default.ListSubscriptionDto, call, response.Timeout);
            all.AddRange(page);
            if (page.Count == 0 || (total is { } t ? all.Count >= t : page.Count < SubscriptionPageSize))
            {
                return all;
            }
        }
    }

    /// <summary>Subscribes to the configured topic (POST; 201 expected).</summary>
    public async Task<SubscriptionDto> CreateSubscriptionAsync(CancellationToken cancellationToken)
    {
        var call = $"POST subscription (topic {options.TopicId})";
        var body = new SubscriptionRequest { TopicId = options.TopicId, Protocol = options.SubscriptionProtocol };
        using var response = await SendAsync(
            () => new HttpRequestMessage(HttpMethod.Post, options.ApiUrl(SubscriptionPath))
            {
                Content = JsonContent.Create(body, MpowerJsonContext.Default.SubscriptionRequest),
            },
            call,
            cancellationToken);
        var created = await VendorHttp.ReadJsonAsync(response.Response, MpowerJsonContext.Default.SubscriptionDto, call, response.Timeout);
        return created.Id is { Length: > 0 } ? created : throw new VendorException($"{call} answered without a subscription id.");
    }

    /// <summary>
    /// Opens one page of pm-reports for the range (both bounds exclusive). The body is left to stream: read it with
    /// <see cref="VendorHttp.ReadJsonArrayAsync{T}"/> and dispose the response.
    /// </summary>
    public Task<VendorResponse> OpenPmReportsAsync(
        string subscriptionId, DateTimeOffset from, DateTimeOffset to, int offset, CancellationToken cancellationToken)
    {
        var range = $"{options.RangeFromParameter}={Time(from)}, {options.RangeToParameter}={Time(to)}";
        var query = $"?{Uri.EscapeDataString(options.RangeFromParameter)}={Uri.EscapeDataString(Time(from))}"
            + $"&{Uri.EscapeDataString(options.RangeToParameter)}={Uri.EscapeDataString(Time(to))}"
            + $"&offset={offset}&limit={options.PageSize}";
        var url = options.ApiUrl($"pm-reports/{Uri.EscapeDataString(subscriptionId)}{query}");
        return SendAsync(() => new HttpRequestMessage(HttpMethod.Get, url), $"GET pm-reports ({range}, offset {offset})", cancellationToken);
    }

    private async Task<VendorResponse> SendAsync(Func<HttpRequestMessage> create, string call, CancellationToken cancellationToken)
    {
        var client = context.HttpClientFactory.CreateClient(SesMpowerConnector.HttpClientName);
        string? rejected = null;
        while (true)
        {
            var token = await auth.GetAccessTokenAsync(rejected, cancellationToken);
            var timeout = new RequestTimeout(options.RequestTimeout, context.Time, cancellationToken);
            HttpResponseMessage? response = null;
            try
            {
                using var request = create();
                request.Headers.Authorization = new("Bearer", token);
                response = await VendorHttp.SendAsync(client, request, call, timeout);
                if (response.StatusCode == HttpStatusCode.Unauthorized && rejected is null)
                {
                    // Expired early or revoked on the vendor's side: one fresh token, one retry.
                    rejected = token;
                    response.Dispose();
                    timeout.Dispose();
                    continue;
                }

                await VendorHttp.EnsureSuccessAsync(response, call, context.Time, timeout.Token);
                return new VendorResponse(response, timeout, call);
            }
            catch (VendorHttpException ex) when (ex.StatusCode == HttpStatusCode.Unauthorized)
            {
                response?.Dispose();
                timeout.Dispose();
                throw new AuthenticationFailedException($"{ex.Message} (refused even with a fresh token of user '{options.Username}')", ex);
            }
            catch
            {
                response?.Dispose();
                timeout.Dispose();
                throw;
            }
        }
    }

    // Whole seconds in UTC: the most widely parsed ISO-8601 form; windows are aligned to seconds to match.
    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
