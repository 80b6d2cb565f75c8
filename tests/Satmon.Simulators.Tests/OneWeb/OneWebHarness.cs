using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Satmon.Simulators.OneWeb;

namespace Satmon.Simulators.Tests.OneWeb;

/// <summary>
/// One OneWeb simulator on 127.0.0.1:0 with a fake clock and an HTTP client that sends the right credentials.
/// Tests read the JSON with <see cref="JsonNode"/>, never with the simulator's own wire types.
/// </summary>
internal sealed class OneWebHarness : IAsyncDisposable
{
    /// <summary>The fake clock's start: a Tuesday noon, aligned to the 15-minute grid.</summary>
    public static readonly DateTimeOffset Start = new(2025, 6, 10, 12, 0, 0, TimeSpan.Zero);

    private OneWebHarness(FakeTimeProvider clock, OneWebSimulator simulator, HttpClient client)
    {
        Clock = clock;
        Simulator = simulator;
        Client = client;
    }

    public FakeTimeProvider Clock { get; }

    public OneWebSimulator Simulator { get; }

    public OneWebSimulatorOptions Options => Simulator.Options;

    /// <summary>Sends HTTP Basic with the configured client id and secret.</summary>
    public HttpClient Client { get; }

    public static async Task<OneWebHarness> StartAsync(Action<OneWebSimulatorOptions>? configure = null, DateTimeOffset? start = null)
    {
        var options = new OneWebSimulatorOptions { Seed = 42 };
        configure?.Invoke(options);
        var clock = new FakeTimeProvider(start ?? Start);
        var simulator = new OneWebSimulator(options, clock);
        try
        {
            await simulator.StartAsync(TestContext.Current.CancellationToken);
        }
        catch
        {
            await simulator.DisposeAsync();
            throw;
        }

        var client = new HttpClient { BaseAddress = simulator.BaseAddress };
        client.DefaultRequestHeaders.Authorization = Basic(options.ClientId, options.ClientSecret);
        return new OneWebHarness(clock, simulator, client);
    }

    public static AuthenticationHeaderValue Basic(string id, string secret) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{id}:{secret}")));

    /// <summary>An absolute URI that keeps the path exactly as written (repeated slashes included).</summary>
    public Uri Url(string pathAndQuery) => new(Simulator.BaseAddress.GetLeftPart(UriPartial.Authority) + pathAndQuery);

    public Task<HttpResponseMessage> GetAsync(string pathAndQuery) =>
        Client.GetAsync(Url(pathAndQuery), TestContext.Current.CancellationToken);

    public async Task<(HttpResponseMessage Response, JsonNode Body)> GetJsonAsync(string pathAndQuery)
    {
        var response = await GetAsync(pathAndQuery);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return (response, JsonNode.Parse(text)!);
    }

    /// <summary>Reads every page of a list with <c>limit</c> and checks the paging headers on the way.</summary>
    public async Task<List<JsonNode>> ReadAllPagesAsync(string path, int limit, string extraQuery = "")
    {
        var all = new List<JsonNode>();
        int? total = null;
        for (var offset = 0; ; offset += limit)
        {
            var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
            var (response, body) = await GetJsonAsync($"{path}{separator}offset={offset}&limit={limit}{extraQuery}");
            Assert.True(response.IsSuccessStatusCode, $"{path} offset {offset}: {(int)response.StatusCode}");
            var pageTotal = TotalCount(response);
            total ??= pageTotal;
            Assert.Equal(total, pageTotal);
            var items = body.AsArray();
            Assert.Equal(items.Count.ToString(CultureInfo.InvariantCulture), response.Headers.GetValues("X-Result-Count").Single());
            all.AddRange(items.Select(i => i!));
            if (items.Count == 0 || offset + items.Count >= total)
            {
                break;
            }
        }

        Assert.Equal(total, all.Count);
        return all;
    }

    public static int TotalCount(HttpResponseMessage response) =>
        int.Parse(response.Headers.GetValues("X-Total-Count").Single(), CultureInfo.InvariantCulture);

    public static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Simulator.DisposeAsync();
    }
}
