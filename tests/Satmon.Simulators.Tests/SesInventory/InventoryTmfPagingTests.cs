using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Satmon.Simulators.SesInventory;

namespace Satmon.Simulators.Tests.SesInventory;

public sealed class InventoryTmfPagingTests
{
    [Theory]
    [InlineData(InventoryEntity.Services, 37)]
    [InlineData(InventoryEntity.Resources, 100)]
    public async Task TmfPaging_OffsetLimit_ReturnsEveryRecordOnceWithCountHeaders(InventoryEntity entity, int limit)
    {
        await using var harness = await InventoryHarness.StartAsync();
        var path = entity == InventoryEntity.Resources ? harness.Options.StandardResourcePath : harness.Options.StandardServicePath;
        var expected = harness.Inventory.List(entity, harness.Clock.GetUtcNow());
        var total = expected.Count.ToString(CultureInfo.InvariantCulture);
        var seen = new List<JsonNode>();

        for (var offset = 0; offset < expected.Count; offset += limit)
        {
            var (response, items) = await harness.GetPageAsync($"{path}?offset={offset}&limit={limit}");

            Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
            Assert.Equal(total, response.Headers.GetValues("X-Total-Count").Single());
            Assert.Equal(items.Count.ToString(CultureInfo.InvariantCulture), response.Headers.GetValues("X-Result-Count").Single());
            Assert.Equal(offset + limit < expected.Count, response.Headers.Contains("Link"));
            seen.AddRange(items.Select(i => i!));
        }

        Assert.Equal(expected.Select(i => i.Id), InventoryHarness.Ids(seen));
    }

    [Fact]
    public async Task TmfPage_HoldingEverything_Returns200()
    {
        await using var harness = await InventoryHarness.StartAsync();

        var (response, items) = await harness.GetPageAsync($"{harness.Options.StandardServicePath}?@type=element&offset=0&limit=1000");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(harness.Inventory.Count(InventoryEntity.Carriers, harness.Clock.GetUtcNow()), items.Count);
    }

    [Fact]
    public async Task TmfPaging_NextLink_KeepsFiltersAndAdvancesOffset()
    {
        await using var harness = await InventoryHarness.StartAsync();

        var (response, _) = await harness.GetPageAsync($"{harness.Options.StandardServicePath}?status=1&offset=20&limit=10");

        var link = response.Headers.GetValues("Link").Single();
        Assert.Contains("status=1", link, StringComparison.Ordinal);
        Assert.Contains("offset=30&limit=10", link, StringComparison.Ordinal);
        Assert.EndsWith("rel=\"next\"", link, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TmfList_WithFields_ReturnsOnlyThoseAttributesPlusIdAndHref()
    {
        await using var harness = await InventoryHarness.StartAsync();

        var (_, items) = await harness.GetPageAsync($"{harness.Options.StandardResourcePath}?fields=name,status&limit=5");

        Assert.Equal(5, items.Count);
        Assert.All(items, i => Assert.Equal(["href", "id", "name", "status"], i!.AsObject().Select(p => p.Key).Order()));
    }

    [Fact]
    public async Task List_InResultWrapperMode_WrapsTheArray()
    {
        await using var harness = await InventoryHarness.StartAsync(o => o.WrapInResult = true);

        var (_, body) = await harness.GetJsonAsync($"{harness.ServicePath}?recordsPerPage=7&page=1");

        var result = Assert.IsType<JsonObject>(body)["result"]!.AsArray();
        Assert.Equal(7, result.Count);
    }

    [Fact]
    public async Task GetById_ServiceCarrierAndResource_ReturnTheRecord_AndUnknownIdReturns404()
    {
        await using var harness = await InventoryHarness.StartAsync();
        var now = harness.Clock.GetUtcNow();
        var service = harness.Inventory.List(InventoryEntity.Services, now)[3];
        var carrier = harness.Inventory.List(InventoryEntity.Carriers, now)[5];
        var resource = harness.Inventory.List(InventoryEntity.Resources, now)[7];

        var (_, serviceBody) = await harness.GetJsonAsync($"{harness.ServicePath}/{service.Id}");
        var (_, carrierBody) = await harness.GetJsonAsync($"{harness.Options.StandardServicePath}/{carrier.Id}");
        var (_, resourceBody) = await harness.GetJsonAsync($"{harness.ResourcePath}/resource/{resource.Id}");
        var (missing, missingBody) = await harness.GetJsonAsync($"{harness.ServicePath}/{new string('0', 32)}");

        Assert.Equal(service.ExternalId, (string?)serviceBody!["externalId"]);
        Assert.Equal("element", (string)carrierBody!["@type"]!);
        Assert.Equal(carrier.Name, (string)carrierBody["name"]!);
        Assert.Equal(resource.Name, (string)resourceBody!["name"]!);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("failure", (string)missingBody!["status"]!);
    }
}
