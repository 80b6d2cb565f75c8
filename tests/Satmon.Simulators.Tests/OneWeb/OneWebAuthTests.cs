using System.Net;
using System.Text.Json.Nodes;
using Satmon.Simulators.OneWeb;

namespace Satmon.Simulators.Tests.OneWeb;

public sealed class OneWebAuthTests
{
    private const string Hello = "/hello/v1/oneweb/world";

    [Theory]
    [InlineData(Hello)]
    [InlineData("/hello/v1//oneweb/world")]
    [InlineData("//hello/v1/oneweb/world")]
    public async Task Hello_WithGoodCredentials_AnswersConfirmationWithClockTime(string path)
    {
        await using var h = await OneWebHarness.StartAsync();
        h.Clock.Advance(TimeSpan.FromMinutes(7));

        var (response, body) = await h.GetJsonAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Hello OneWeb World", (string?)body["message"]);
        Assert.Equal(OneWebHarness.Start.AddMinutes(7), DateTimeOffset.Parse((string)body["timestamp"]!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData(Hello)]
    [InlineData("/resourceInventory/v3/userTerminal")]
    [InlineData("/performanceMonitoring/v2/performanceReport?reportType=UserTerminalTraffic")]
    [InlineData("/no/such/path")]
    public async Task AnyPath_WithWrongSecret_Is401BeforeRouting(string path)
    {
        await using var h = await OneWebHarness.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, h.Url(path));
        request.Headers.Authorization = OneWebHarness.Basic(h.Options.ClientId, "wrong");

        using var response = await h.Client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
        Assert.NotNull((string?)body["error"]);
        Assert.DoesNotContain(h.Options.ClientSecret, body.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_WithoutCredentials_Is401()
    {
        await using var h = await OneWebHarness.StartAsync();
        using var anonymous = new HttpClient();

        using var response = await anonymous.GetAsync(h.Url(Hello), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Request_WithUnknownClientId_Is401()
    {
        await using var h = await OneWebHarness.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, h.Url(Hello));
        request.Headers.Authorization = OneWebHarness.Basic("someone-else", h.Options.ClientSecret);

        using var response = await h.Client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData(Hello)]
    [InlineData("/resourceInventory/v3/userTerminal")]
    public async Task BadCredentials_In404Mode_Are404(string path)
    {
        await using var h = await OneWebHarness.StartAsync(o => o.BadCredentialsStatus = 404);
        using var request = new HttpRequestMessage(HttpMethod.Get, h.Url(path));
        request.Headers.Authorization = OneWebHarness.Basic(h.Options.ClientId, "wrong");

        using var response = await h.Client.SendAsync(request, TestContext.Current.CancellationToken);
        using var good = await h.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
    }

    [Fact]
    public async Task Request_WithClientIdHeaders_IsAcceptedUnlessDisabled()
    {
        await using var tolerant = await OneWebHarness.StartAsync();
        await using var strict = await OneWebHarness.StartAsync(o => o.AcceptClientIdHeaders = false);

        async Task<HttpStatusCode> SendAsync(OneWebHarness h)
        {
            using var client = new HttpClient();
            using var request = new HttpRequestMessage(HttpMethod.Get, h.Url(Hello));
            request.Headers.Add("client_id", h.Options.ClientId);
            request.Headers.Add("client_secret", h.Options.ClientSecret);
            using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, await SendAsync(tolerant));
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(strict));
    }

    [Fact]
    public async Task UnknownPath_WithGoodCredentials_Is404WithTmfError()
    {
        await using var h = await OneWebHarness.StartAsync();

        var (response, body) = await h.GetJsonAsync("/no/such/path");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("404", (string?)body["status"]);
    }

    [Fact]
    public async Task Requests_AreCountedPerPath_RejectedIncluded_AdminExcluded()
    {
        await using var h = await OneWebHarness.StartAsync();
        using var anonymous = new HttpClient();

        (await h.GetAsync(Hello)).Dispose();
        (await h.GetAsync("/hello/v1//oneweb/world")).Dispose();
        (await anonymous.GetAsync(h.Url(Hello), TestContext.Current.CancellationToken)).Dispose();
        (await h.GetAsync("/resourceInventory/v3/userTerminal?limit=1")).Dispose();
        (await h.GetAsync("/_admin/requests")).Dispose();

        Assert.Equal(3, h.Simulator.RequestCountsByPath[Hello]);
        Assert.Equal(1, h.Simulator.RequestCount("/resourceInventory"));
        Assert.Equal(0, h.Simulator.RequestCount("/_admin"));
        Assert.Contains(h.Simulator.Requests, r => r.Path == Hello && r.StatusCode == 401);
        Assert.All(h.Simulator.Requests, r => Assert.Equal(OneWebHarness.Start, r.Time));
    }

    [Fact]
    public void Options_WithInvalidValues_FailNamingTheKeys()
    {
        var options = new OneWebSimulatorOptions
        {
            BadCredentialsStatus = 403,
            MaxPageSize = 0,
            ProductPath = "no-slash",
            Granularity = TimeSpan.FromMinutes(7),
            BillCycleReferenceDay = 31,
        };

        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(
            () => new OneWebSimulator(options, TimeProvider.System));

        Assert.Contains("BadCredentialsStatus", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxPageSize", error.Message, StringComparison.Ordinal);
        Assert.Contains("ProductPath", error.Message, StringComparison.Ordinal);
        Assert.Contains("Granularity", error.Message, StringComparison.Ordinal);
        Assert.Contains("BillCycleReferenceDay", error.Message, StringComparison.Ordinal);
    }
}
