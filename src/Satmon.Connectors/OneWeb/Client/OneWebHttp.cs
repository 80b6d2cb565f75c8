using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Satmon.Connectors.Http;
using Satmon.Core.Connectors;

namespace Satmon.Connectors.OneWeb.Client;

/// <summary>
/// Sends one element's OneWeb calls: HTTP Basic on every call, a cap on requests in flight, the vendor's rate limit
/// honoured across all of the element's tasks, and every failure turned into an exception whose message names the call.
/// </summary>
internal sealed class OneWebHttp : IDisposable
{
    /// <summary>Name of the HttpClient registered by <see cref="OneWebServiceCollectionExtensions.AddOneWebConnector"/>.</summary>
    public const string ClientName = "oneweb";

    private readonly IHttpClientFactory _clients;
    private readonly TimeProvider _time;
    private readonly OneWebOptions _options;
    private readonly AuthenticationHeaderValue _authorization;
    private readonly SemaphoreSlim _inFlight;
    private readonly Lock _gate = new();
    private DateTimeOffset _blockedUntil = DateTimeOffset.MinValue;

    public OneWebHttp(IHttpClientFactory clients, TimeProvider time, OneWebOptions options)
    {
        _clients = clients;
        _time = time;
        _options = options;
        // Built once: the secret lives in this header value only, which is never logged.
        var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.ClientId}:{options.ClientSecret}"));
        _authorization = new AuthenticationHeaderValue("Basic", credentials);
        _inFlight = new SemaphoreSlim(options.MaxConcurrentRequests, options.MaxConcurrentRequests);
    }

    /// <summary>
    /// Sends a request and lets <paramref name="read"/> consume a successful response under the same timeout.
    /// 401 → <see cref="AuthenticationFailedException"/>; 429 → <see cref="RetryAfterException"/> (and every
    /// other call of the element waits too); other errors → <see cref="VendorException"/> naming <paramref name="call"/>.
    /// </summary>
    public async Task<T> SendAsync<T>(
        string call,
        Func<HttpRequestMessage> createRequest,
        Func<HttpResponseMessage, RequestTimeout, Task<T>> read,
        CancellationToken cancellationToken)
    {
        ThrowIfRateLimited(call);
        await _inFlight.WaitAsync(cancellationToken);
        try
        {
            // A 429 may have arrived while this call waited for its turn: do not add to the burst.
            ThrowIfRateLimited(call);
            using var timeout = new RequestTimeout(_options.RequestTimeout, _time, cancellationToken);
            using var request = createRequest();
            request.Headers.Authorization = _authorization;
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            var client = _clients.CreateClient(ClientName);
            using var response = await VendorHttp.SendAsync(client, request, call, timeout);
            await ThrowIfFailedAsync(response, call, cancellationToken);
            return await read(response, timeout);
        }
        finally
        {
            _inFlight.Release();
        }
    }

    public void Dispose() => _inFlight.Dispose();

    private async Task ThrowIfFailedAsync(HttpResponseMessage response, string call, CancellationToken cancellationToken)
    {
        switch (response.StatusCode)
        {
            case HttpStatusCode.TooManyRequests:
                var delay = RateLimitDelay(response);
                lock (_gate)
                {
                    var until = _time.GetUtcNow() + delay;
                    _blockedUntil = until > _blockedUntil ? until : _blockedUntil;
                }

                throw new RetryAfterException(
                    $"{call} was rate-limited (HTTP 429); every call of this element waits {delay.TotalSeconds:0.#} s.", delay);
            case HttpStatusCode.Unauthorized:
                throw new AuthenticationFailedException(
                    $"{call} was refused with HTTP 401: the client id or client secret is not accepted.");
            case HttpStatusCode.Forbidden:
                throw new VendorException(
                    $"{call} was refused with HTTP 403: the client application has no contract for this API (disable the task if that is expected).");
            default:
                await VendorHttp.EnsureSuccessAsync(response, call, _time, cancellationToken);
                return;
        }
    }

    private void ThrowIfRateLimited(string call)
    {
        TimeSpan wait;
        lock (_gate)
        {
            wait = _blockedUntil - _time.GetUtcNow();
        }

        if (wait > TimeSpan.Zero)
        {
            throw new RetryAfterException($"{call} not sent: the vendor's rate limit holds for another {wait.TotalSeconds:0.#} s.", wait);
        }
    }

    /// <summary>Retry-After (seconds or a date) first, then MuleSoft's X-Ratelimit-Reset (milliseconds to the next window).</summary>
    private TimeSpan RateLimitDelay(HttpResponseMessage response)
    {
        if (VendorHttp.RetryAfter(response, _time) is { } retryAfter)
        {
            return retryAfter;
        }

        if (response.Headers.TryGetValues("X-Ratelimit-Reset", out var values)
            && long.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var milliseconds)
            && milliseconds >= 0)
        {
            // Cap a nonsense value (an epoch time, say) so one odd header cannot park the element for years.
            return TimeSpan.FromMilliseconds(Math.Min(milliseconds, TimeSpan.FromDays(1).TotalMilliseconds));
        }

        return _options.RateLimitFallback;
    }
}
