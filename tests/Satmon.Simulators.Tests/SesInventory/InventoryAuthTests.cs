using System.Net;
using Satmon.Simulators.SesInventory;

namespace Satmon.Simulators.Tests.SesInventory;

public sealed class InventoryAuthTests
{
    [Fact]
    public async Task List_WithoutCredentials_Returns401WithServiceNowBody()
    {
        await using var harness = await InventoryHarness.StartAsync();

        var response = await harness.GetAsync($"{harness.ServicePath}?recordsPerPage=5&page=1", anonymous: true);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Basic", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal("""{"error":{"message":"User Not Authenticated","detail":"Required to provide Auth information"},"status":"failure"}""", body);
    }

    [Fact]
    public async Task EachApi_WithTheOtherApisCredentials_Returns401()
    {
        await using var harness = await InventoryHarness.StartAsync();

        var services = await harness.GetAsync($"{harness.ServicePath}?recordsPerPage=5", harness.CredentialsFor(InventoryApi.Tmf639));
        var resources = await harness.GetAsync($"{harness.ResourcePath}?recordsPerPage=5", harness.CredentialsFor(InventoryApi.Tmf638));
        var servicesOk = await harness.GetAsync($"{harness.ServicePath}?recordsPerPage=5");
        var resourcesOk = await harness.GetAsync($"{harness.ResourcePath}?recordsPerPage=5");

        Assert.Equal(HttpStatusCode.Unauthorized, services.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, resources.StatusCode);
        Assert.Equal(HttpStatusCode.OK, servicesOk.StatusCode);
        Assert.Equal(HttpStatusCode.OK, resourcesOk.StatusCode);
    }

    [Fact]
    public async Task List_WithWrongPassword_Returns401()
    {
        await using var harness = await InventoryHarness.StartAsync();

        var response = await harness.GetAsync(
            $"{harness.ResourcePath}/resource?recordsPerPage=5", InventoryHarness.Basic(harness.Options.Tmf639Username, "wrong"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Unauthorized_WithTmfErrorFormat_ReturnsTmfErrorBody()
    {
        await using var harness = await InventoryHarness.StartAsync(o => o.ErrorFormat = InventoryErrorFormat.Tmf);

        var response = await harness.GetAsync($"{harness.ServicePath}?recordsPerPage=5", anonymous: true);
        var body = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("401", (string)body["code"]!);
        Assert.Equal("User Not Authenticated", (string)body["reason"]!);
    }

    [Fact]
    public async Task StandardPaths_UseTheSameCredentialsPerApi()
    {
        await using var harness = await InventoryHarness.StartAsync();

        var services = await harness.GetAsync($"{harness.Options.StandardServicePath}?limit=5", harness.CredentialsFor(InventoryApi.Tmf639));
        var resources = await harness.GetAsync($"{harness.Options.StandardResourcePath}?limit=5");

        Assert.Equal(HttpStatusCode.Unauthorized, services.StatusCode);
        Assert.Equal(HttpStatusCode.PartialContent, resources.StatusCode);
    }
}
