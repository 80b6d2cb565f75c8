using System.Net;
using Satmon.Simulators.SesInventory;

namespace Satmon.Simulators.Tests.SesInventory;

public sealed class InventoryGatewayPagingTests
{
    [Theory]
    [InlineData(InventoryEntity.Services, "status=1&")]
    [InlineData(InventoryEntity.Carriers, "@type=element&status=1&")]
    [InlineData(InventoryEntity.Resources, "status=1&")]
    public async Task GatewayPaging_AllPages_ReturnEveryRecordExactlyOnce(InventoryEntity entity, string filter)
    {
        await using var harness = await InventoryHarness.StartAsync();
        var path = entity == InventoryEntity.Resources ? harness.ResourcePath : harness.ServicePath;
        var expected = harness.Inventory.List(entity, harness.Clock.GetUtcNow(), InventoryFilter.Operational);

        var (items, pages) = await harness.ReadGatewayAsync(path, filter, recordsPerPage: 50);

        Assert.Equal(expected.Select(i => i.Id), InventoryHarness.Ids(items));
        Assert.Equal((expected.Count / 50) + 1, pages);
        Assert.All(items, i => Assert.Equal("Operational", (string)i["status"]!));
    }

    [Fact]
    public async Task GatewayPaging_TotalExactMultipleOfPageSize_LastPageIsEmpty()
    {
        // No item is non-Operational at the origin, so status=1 returns exactly the 200 services: 4 full pages.
        await using var harness = await InventoryHarness.StartAsync(o =>
        {
            o.ServiceCount = 200;
            o.InitialNonOperationalPercent = 0;
        });

        var (items, pages) = await harness.ReadGatewayAsync(harness.ServicePath, "status=1&", recordsPerPage: 50);
        var (_, last) = await harness.GetPageAsync($"{harness.ServicePath}?status=1&recordsPerPage=50&page=5");

        Assert.Equal(200, items.Count);
        Assert.Equal(5, pages);
        Assert.Empty(last);
        Assert.Equal(200, InventoryHarness.Ids(items).Distinct().Count());
    }

    [Fact]
    public async Task GatewayPaging_ZeroBasedPageNumberAlias_ReadsTheSameRecords()
    {
        await using var harness = await InventoryHarness.StartAsync(o => o.FirstPageIndex = 0);
        var expected = harness.Inventory.List(InventoryEntity.Services, harness.Clock.GetUtcNow());

        var (items, _) = await harness.ReadGatewayAsync(harness.ServicePath, "", recordsPerPage: 40, pageParameter: "pageNumber");

        Assert.Equal(expected.Select(i => i.Id), InventoryHarness.Ids(items));
    }

    [Fact]
    public async Task ServicePath_WithoutType_ReturnsServicesOnly_AndElementReturnsCarriersOnly()
    {
        await using var harness = await InventoryHarness.StartAsync();

        var (_, services) = await harness.GetPageAsync($"{harness.ServicePath}?recordsPerPage=500");
        var (_, carriers) = await harness.GetPageAsync($"{harness.ServicePath}?@type=element&recordsPerPage=500");
        var (_, unknown) = await harness.GetPageAsync($"{harness.ServicePath}?@type=satellite&recordsPerPage=500");

        Assert.Equal(harness.Inventory.Count(InventoryEntity.Services, harness.Clock.GetUtcNow()), services.Count);
        Assert.Equal(harness.Inventory.Count(InventoryEntity.Carriers, harness.Clock.GetUtcNow()), carriers.Count);
        Assert.All(services, s => Assert.Equal("CFS", (string)s!["@type"]!));
        Assert.All(carriers, c => Assert.Equal("element", (string)c!["@type"]!));
        Assert.Empty(unknown);
    }

    [Fact]
    public async Task GatewayPage_ByDefault_HasNoCountHeaders_AndWithOptionHasThem()
    {
        await using var plain = await InventoryHarness.StartAsync();
        await using var counted = await InventoryHarness.StartAsync(o => o.GatewayCountHeaders = true);

        var (withoutHeaders, _) = await plain.GetPageAsync($"{plain.ServicePath}?recordsPerPage=10&page=1");
        var (withHeaders, _) = await counted.GetPageAsync($"{counted.ServicePath}?recordsPerPage=10&page=1");

        Assert.Equal(HttpStatusCode.OK, withoutHeaders.StatusCode);
        Assert.False(withoutHeaders.Headers.Contains("X-Total-Count"));
        Assert.Equal(HttpStatusCode.OK, withHeaders.StatusCode);
        Assert.Equal(counted.Inventory.Count(InventoryEntity.Services, counted.Clock.GetUtcNow()).ToString(System.Globalization.CultureInfo.InvariantCulture), withHeaders.Headers.GetValues("X-Total-Count").Single());
        Assert.Equal("10", withHeaders.Headers.GetValues("X-Result-Count").Single());
    }

    [Fact]
    public async Task GatewayList_AtFullEndpointAndResourceSubpath_ReturnsTheSamePage()
    {
        await using var harness = await InventoryHarness.StartAsync();

        var (_, endpoint) = await harness.GetPageAsync($"{harness.ResourcePath}?recordsPerPage=20&page=2");
        var (_, subpath) = await harness.GetPageAsync($"{harness.ResourcePath}/resource?recordsPerPage=20&page=2");

        Assert.Equal(20, endpoint.Count);
        Assert.Equal(endpoint.ToJsonString(), subpath.ToJsonString());
    }

    [Theory]
    [InlineData("recordsPerPage=0")]
    [InlineData("recordsPerPage=abc")]
    [InlineData("page=0")]
    [InlineData("status=2")]
    [InlineData("updatedDaysAgo=-1")]
    public async Task GatewayList_WithInvalidParameter_Returns400WithServiceNowBody(string query)
    {
        await using var harness = await InventoryHarness.StartAsync();

        var (response, body) = await harness.GetJsonAsync($"{harness.ServicePath}?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("failure", (string)body!["status"]!);
        Assert.Equal("Bad Request", (string)body["error"]!["message"]!);
    }
}
