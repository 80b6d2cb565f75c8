using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Satmon.Simulators.SesInventory;

namespace Satmon.Simulators.Tests.SesInventory;

/// <summary>
/// One inventory simulator on 127.0.0.1:0 with a fake clock, and helpers that send each API's credentials.
/// Tests read the JSON with <see cref="JsonNode"/>, never with the simulator's own wire types.
/// </summary>
internal sealed class InventoryHarness : IAsyncDisposable
{
    /// <summary>The fake clock's start (a Monday morning).</summary>
    public static readonly DateTimeOffset Start = new(2025, 6, 2, 8, 0, 0, TimeSpan.Zero);

    private InventoryHarness(FakeTimeProvider clock, SesInventorySimulator simulator, HttpClient client)
    {
        Clock = clock;
        Simulator = simulator;
        Client = client;
    }

    public FakeTimeProvider Clock { get; }

    public SesInventorySimulator Simulator { get; }

    public SesInventorySimulatorOptions Options => Simulator.Options;

    public InventoryGenerator Inventory => Simulator.Inventory;

    /// <summary>A client without credentials; requests add the header of the API they call.</summary>
    public HttpClient Client { get; }

    public string ServicePath => Options.GatewayServicePath;

    public string ResourcePath => Options.GatewayResourcePath;

    /// <summary>Small lists by default so that paging over everything stays fast.</summary>
    public static async Task<InventoryHarness> StartAsync(Action<SesInventorySimulatorOptions>? configure = null)
    {
        var options = new SesInventorySimulatorOptions { Seed = 7, ServiceCount = 230, CarrierCount = 120, ResourceCount = 400 };
        configure?.Invoke(options);
        var clock = new FakeTimeProvider(Start);
        var simulator = new SesInventorySimulator(options, clock);
        try
        {
            await simulator.StartAsync(TestContext.Current.CancellationToken);
        }
        catch
        {
            await simulator.DisposeAsync();
            throw;
        }

        return new InventoryHarness(clock, simulator, new HttpClient { BaseAddress = simulator.BaseAddress });
    }

    public static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    public AuthenticationHeaderValue CredentialsFor(InventoryApi api) => api == InventoryApi.Tmf638
        ? Basic(Options.Tmf638Username, Options.Tmf638Password)
        : Basic(Options.Tmf639Username, Options.Tmf639Password);

    /// <summary>GET with the credentials of the API the path belongs to (or <paramref name="auth"/> when given).</summary>
    public async Task<HttpResponseMessage> GetAsync(string pathAndQuery, AuthenticationHeaderValue? auth = null, bool anonymous = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, pathAndQuery.TrimStart('/'));
        if (!anonymous)
        {
            request.Headers.Authorization = auth ?? CredentialsFor(ApiOf(pathAndQuery));
        }

        return await Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public async Task<(HttpResponseMessage Response, JsonNode? Body)> GetJsonAsync(string pathAndQuery, AuthenticationHeaderValue? auth = null)
    {
        var response = await GetAsync(pathAndQuery, auth);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return (response, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    /// <summary>A page as a JSON array (bare, or inside <c>result</c>).</summary>
    public async Task<(HttpResponseMessage Response, JsonArray Items)> GetPageAsync(string pathAndQuery)
    {
        var (response, body) = await GetJsonAsync(pathAndQuery);
        Assert.True(response.IsSuccessStatusCode, $"GET {pathAndQuery} answered {(int)response.StatusCode}");
        var items = body is JsonObject wrapper ? wrapper["result"]!.AsArray() : body!.AsArray();
        return (response, items);
    }

    /// <summary>
    /// Reads a gateway list as the connector does: <c>recordsPerPage</c> and a page index from the first page until a
    /// short page; returns every item and the number of pages read.
    /// </summary>
    public async Task<(List<JsonNode> Items, int Pages)> ReadGatewayAsync(string path, string filter, int recordsPerPage, string pageParameter = "page")
    {
        var all = new List<JsonNode>();
        var first = Options.FirstPageIndex;
        for (var page = first; ; page++)
        {
            Assert.True(page < first + 10_000, "paging did not end");
            var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
            var (_, items) = await GetPageAsync($"{path}{separator}{filter}recordsPerPage={recordsPerPage}&{pageParameter}={page}");
            all.AddRange(items.Select(i => i!));
            if (items.Count < recordsPerPage)
            {
                return (all, page - first + 1);
            }
        }
    }

    public static List<string> Ids(IEnumerable<JsonNode> items) => [.. items.Select(i => (string)i["id"]!)];

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Simulator.DisposeAsync();
    }

    private InventoryApi ApiOf(string pathAndQuery) =>
        pathAndQuery.StartsWith(Options.GatewayResourcePath, StringComparison.OrdinalIgnoreCase)
        || pathAndQuery.StartsWith(Options.StandardResourcePath, StringComparison.OrdinalIgnoreCase)
            ? InventoryApi.Tmf639
            : InventoryApi.Tmf638;
}
