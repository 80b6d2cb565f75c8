using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Satmon.Simulators.SesMpower;

namespace Satmon.Simulators.Tests.SesMpower;

/// <summary>A started simulator on 127.0.0.1:0 with a fake clock and a client for it.</summary>
internal sealed class MpowerHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2025, 1, 10, 8, 0, 0, TimeSpan.Zero);

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private MpowerHarness(SesMpowerSimulator simulator, FakeTimeProvider time, HttpClient client)
    {
        Simulator = simulator;
        Time = time;
        Client = client;
    }

    public SesMpowerSimulator Simulator { get; }

    public FakeTimeProvider Time { get; }

    public HttpClient Client { get; }

    public SesMpowerFleet Fleet => Simulator.Fleet;

    public static async Task<MpowerHarness> StartAsync(Action<SesMpowerSimulatorOptions>? configure = null, FakeTimeProvider? time = null)
    {
        time ??= new FakeTimeProvider(Start);
        var options = new SesMpowerSimulatorOptions();
        configure?.Invoke(options);
        var simulator = new SesMpowerSimulator(options, time);
        var baseAddress = await simulator.StartAsync(TestContext.Current.CancellationToken);
        return new MpowerHarness(simulator, time, new HttpClient { BaseAddress = baseAddress });
    }

    public Task<HttpResponseMessage> PasswordGrantAsync(string? password = null, string? clientId = null) =>
        PostFormAsync(new()
        {
            ["grant_type"] = "password",
            ["client_id"] = clientId ?? Simulator.Options.ClientId,
            ["username"] = Simulator.Options.Username,
            ["password"] = password ?? Simulator.Options.Password,
        });

    public Task<HttpResponseMessage> RefreshGrantAsync(string refreshToken) =>
        PostFormAsync(new() { ["grant_type"] = "refresh_token", ["client_id"] = Simulator.Options.ClientId, ["refresh_token"] = refreshToken });

    public async Task<HttpResponseMessage> PostFormAsync(Dictionary<string, string> form)
    {
        using var content = new FormUrlEncodedContent(form);
        return await Client.PostAsync(Simulator.TokenPath, content, TestContext.Current.CancellationToken);
    }

    /// <summary>Logs in and makes every later client call carry the access token. Returns the token response.</summary>
    public async Task<JsonObject> LoginAsync()
    {
        using var response = await PasswordGrantAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await ReadObjectAsync(response);
        UseAccessToken(body["access_token"]!.GetValue<string>());
        return body;
    }

    public void UseAccessToken(string? token) =>
        Client.DefaultRequestHeaders.Authorization = token is null ? null : new AuthenticationHeaderValue("Bearer", token);

    public async Task<string> CreateSubscriptionAsync()
    {
        using var response = await Client.PostAsJsonAsync(
            Simulator.StreamingManagementPath + "/subscription",
            new { topicId = Simulator.Options.TopicId, protocol = "https" },
            TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await ReadObjectAsync(response))["id"]!.GetValue<string>();
    }

    /// <summary>Logs in and subscribes; returns the subscription id.</summary>
    public async Task<string> LoginAndSubscribeAsync()
    {
        await LoginAsync();
        return await CreateSubscriptionAsync();
    }

    public Task<HttpResponseMessage> GetPmReportsAsync(string subscriptionId, string query) =>
        Client.GetAsync($"{Simulator.PmReportsPath}/{subscriptionId}?{query}", TestContext.Current.CancellationToken);

    public static string Range(DateTimeOffset exclusiveFrom, DateTimeOffset exclusiveTo) =>
        $"eventTime.gt={Uri.EscapeDataString(exclusiveFrom.ToString("O"))}&eventTime.lt={Uri.EscapeDataString(exclusiveTo.ToString("O"))}";

    public static async Task<JsonObject> ReadObjectAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!.AsObject();

    public static async Task<JsonArray> ReadArrayAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!.AsArray();

    public static async Task<List<MpowerMessage>> ReadMessagesAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return JsonSerializer.Deserialize<List<MpowerMessage>>(body, Json)!;
    }

    public static long Header(HttpResponseMessage response, string name) =>
        long.Parse(response.Headers.GetValues(name).Single(), System.Globalization.CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Simulator.DisposeAsync();
    }
}
