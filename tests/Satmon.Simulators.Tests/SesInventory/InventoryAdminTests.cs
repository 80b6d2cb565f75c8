using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Satmon.Simulators.SesInventory;

namespace Satmon.Simulators.Tests.SesInventory;

public sealed class InventoryAdminTests
{
    [Fact]
    public async Task AdminFault_PostedOverHttp_AppliesToTheNextCarrierCallOnly()
    {
        await using var harness = await InventoryHarness.StartAsync();

        var posted = await PostAsync(harness, "_admin/inventory/faults", new JsonObject { ["kind"] = "Status", ["entity"] = "Carriers", ["statusCode"] = 502, ["times"] = 1 });
        var listed = await harness.Client.GetFromJsonAsync<JsonArray>("_admin/inventory/faults", TestContext.Current.CancellationToken);
        var failed = await harness.GetAsync($"{harness.ServicePath}?@type=element&recordsPerPage=5");
        var next = await harness.GetAsync($"{harness.ServicePath}?@type=element&recordsPerPage=5");

        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        Assert.Equal("Carriers", (string)Assert.Single(listed!)!["entity"]!);
        Assert.Equal(HttpStatusCode.BadGateway, failed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Empty(harness.Simulator.Faults.Pending);
    }

    [Fact]
    public async Task AdminFault_WithUnknownKind_Returns400()
    {
        await using var harness = await InventoryHarness.StartAsync();

        var response = await PostAsync(harness, "_admin/inventory/faults", new JsonObject { ["kind"] = "Explode" });
        var page = await PostAsync(harness, "_admin/inventory/faults", new JsonObject { ["kind"] = "Status", ["page"] = -1 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Empty(harness.Simulator.Faults.Pending);
    }

    [Fact]
    public async Task AdminDataFaults_Put_ChangesOneShareAndKeepsTheOthers()
    {
        await using var harness = await InventoryHarness.StartAsync(o => o.ExcludedTypePercent = 30);

        using var content = JsonContent.Create(new JsonObject { ["nullExternalIdPercent"] = 100 });
        var put = await harness.Client.PutAsync("_admin/inventory/data-faults", content, TestContext.Current.CancellationToken);
        var (_, services) = await harness.GetPageAsync($"{harness.ServicePath}?recordsPerPage=20");

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(30, harness.Simulator.Faults.Data.ExcludedTypePercent);
        Assert.All(services, s => Assert.Null(s!["externalId"]));
    }

    [Fact]
    public async Task AdminSummary_GivesCountsThatMatchTheInventory()
    {
        await using var harness = await InventoryHarness.StartAsync();

        var summary = await harness.Client.GetFromJsonAsync<JsonObject>("_admin/inventory/summary", TestContext.Current.CancellationToken);

        var now = harness.Clock.GetUtcNow();
        Assert.Equal(230, (int)summary!["services"]!["listed"]!);
        Assert.Equal(harness.Inventory.Count(InventoryEntity.Carriers, now, InventoryFilter.Operational), (int)summary["carriers"]!["operational"]!);
        Assert.Equal(0, (long)summary["epoch"]!);
    }

    [Fact]
    public async Task GenericPathFault_FromTheSharedFaultQueue_AppliesWithItsErrorBody()
    {
        await using var harness = await InventoryHarness.StartAsync();

        var posted = await PostAsync(harness, "_admin/faults", new JsonObject
        {
            ["kind"] = "Status", ["statusCode"] = 503, ["retryAfterSeconds"] = 7, ["pathPrefix"] = harness.ResourcePath,
        });
        var (failed, body) = await harness.GetJsonAsync($"{harness.ResourcePath}?recordsPerPage=5");
        var services = await harness.GetAsync($"{harness.ServicePath}?recordsPerPage=5");

        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), failed.Headers.RetryAfter!.Delta);
        Assert.Equal("failure", (string)body!["status"]!);
        Assert.Equal(HttpStatusCode.OK, services.StatusCode);
    }

    [Fact]
    public async Task AdminRequests_ReportCountsPerEntity_AndDeleteResetsThem()
    {
        await using var harness = await InventoryHarness.StartAsync();
        await harness.GetAsync($"{harness.ResourcePath}?recordsPerPage=5");

        var before = await harness.Client.GetFromJsonAsync<JsonObject>("_admin/inventory/requests", TestContext.Current.CancellationToken);
        await harness.Client.DeleteAsync("_admin/inventory/requests", TestContext.Current.CancellationToken);

        Assert.Equal(1, (int)before!["counts"]!["Resources"]!);
        Assert.Equal("?recordsPerPage=5", (string)before["recent"]![0]!["query"]!);
        Assert.Equal(0, harness.Simulator.RequestCount(InventoryEntity.Resources));
    }

    private static Task<HttpResponseMessage> PostAsync(InventoryHarness harness, string path, JsonObject body) =>
        harness.Client.PostAsJsonAsync(path, body, TestContext.Current.CancellationToken);
}
