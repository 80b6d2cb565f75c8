using System.Net;
using System.Text.Json;
using Satmon.Simulators.SesInventory;

namespace Satmon.Simulators.Tests.SesInventory;

public sealed class InventoryFaultTests
{
    [Fact]
    public async Task FailPage_ChosenPage_Returns504EveryTime_AndOtherPagesStillAnswer()
    {
        await using var harness = await InventoryHarness.StartAsync();
        harness.Simulator.Faults.FailPage(InventoryEntity.Services, page: 2);
        string Page(int index) => $"{harness.ServicePath}?status=1&recordsPerPage=50&page={index}";

        var first = await harness.GetAsync(Page(3));
        var again = await harness.GetAsync(Page(3));
        var body = await again.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var before = await harness.GetAsync(Page(2));
        var after = await harness.GetAsync(Page(4));
        var carriers = await harness.GetAsync($"{harness.ServicePath}?@type=element&recordsPerPage=50&page=3");

        Assert.Equal(HttpStatusCode.GatewayTimeout, first.StatusCode);
        Assert.Equal(HttpStatusCode.GatewayTimeout, again.StatusCode);
        Assert.Equal("Gateway Timeout", JsonNode(body)["error"]!["message"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal(HttpStatusCode.OK, carriers.StatusCode);
    }

    [Fact]
    public async Task FailPage_InTmfFlavour_MatchesTheOffsetPage()
    {
        await using var harness = await InventoryHarness.StartAsync();
        harness.Simulator.Faults.FailPage(InventoryEntity.Resources, page: 1, times: 1);

        var failed = await harness.GetAsync($"{harness.Options.StandardResourcePath}?offset=20&limit=20");
        var retried = await harness.GetAsync($"{harness.Options.StandardResourcePath}?offset=20&limit=20");

        Assert.Equal(HttpStatusCode.GatewayTimeout, failed.StatusCode);
        Assert.Equal(HttpStatusCode.PartialContent, retried.StatusCode);
    }

    [Fact]
    public async Task FailEntity_Carriers_Returns502ForCarriersOnly()
    {
        await using var harness = await InventoryHarness.StartAsync();
        harness.Simulator.Faults.FailEntity(InventoryEntity.Carriers);

        var carriers = await harness.GetAsync($"{harness.ServicePath}?@type=element&recordsPerPage=50&page=1");
        var carriersLater = await harness.GetAsync($"{harness.ServicePath}?@type=element&recordsPerPage=50&page=2");
        var services = await harness.GetAsync($"{harness.ServicePath}?recordsPerPage=50&page=1");
        var resources = await harness.GetAsync($"{harness.ResourcePath}?recordsPerPage=50&page=1");

        Assert.Equal(HttpStatusCode.BadGateway, carriers.StatusCode);
        Assert.Equal(HttpStatusCode.BadGateway, carriersLater.StatusCode);
        Assert.Equal(HttpStatusCode.OK, services.StatusCode);
        Assert.Equal(HttpStatusCode.OK, resources.StatusCode);
    }

    [Fact]
    public async Task Unauthorized_ForTmf639_Returns401WithRightCredentials_ThenRecovers()
    {
        await using var harness = await InventoryHarness.StartAsync();
        harness.Simulator.Faults.Unauthorized(InventoryApi.Tmf639, times: 1);

        var rejected = await harness.GetAsync($"{harness.ResourcePath}?recordsPerPage=5");
        var services = await harness.GetAsync($"{harness.ServicePath}?recordsPerPage=5");
        var accepted = await harness.GetAsync($"{harness.ResourcePath}?recordsPerPage=5");

        Assert.Equal(HttpStatusCode.Unauthorized, rejected.StatusCode);
        Assert.Equal(HttpStatusCode.OK, services.StatusCode);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    [Fact]
    public async Task Slow_Page_AnswersOnlyAfterTheClockPassesTheDelay()
    {
        await using var harness = await InventoryHarness.StartAsync();
        harness.Simulator.Faults.Slow(TimeSpan.FromSeconds(30), InventoryEntity.Services, page: 0);

        var pending = harness.GetAsync($"{harness.ServicePath}?recordsPerPage=10&page=1");
        await WaitUntilAsync(() => harness.Simulator.Faults.DelaysInProgress == 1);
        harness.Clock.Advance(TimeSpan.FromSeconds(29));
        Assert.False(pending.IsCompleted);
        harness.Clock.Advance(TimeSpan.FromSeconds(1));
        var response = await pending;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, harness.Simulator.Faults.DelaysInProgress);
    }

    [Fact]
    public async Task Malformed_NextResourcePage_IsCutJson_ThenTheNextIsWhole()
    {
        await using var harness = await InventoryHarness.StartAsync();
        harness.Simulator.Faults.Malformed(InventoryEntity.Resources);

        var cut = await harness.GetAsync($"{harness.ResourcePath}?recordsPerPage=10&page=1");
        var cutText = await cut.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var whole = await harness.GetAsync($"{harness.ResourcePath}?recordsPerPage=10&page=1");
        var wholeText = await whole.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, cut.StatusCode);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(cutText));
        Assert.StartsWith(cutText, wholeText, StringComparison.Ordinal);
        Assert.Equal(10, JsonDocument.Parse(wholeText).RootElement.GetArrayLength());
    }

    [Fact]
    public async Task DataFaults_NullEmptyAndDuplicateExternalIds_AppearAsTheInventorySays()
    {
        await using var harness = await InventoryHarness.StartAsync();
        harness.Simulator.Faults.Data = new InventoryDataFaults(DuplicateExternalIdPercent: 10, NullExternalIdPercent: 5, EmptyExternalIdPercent: 5);
        var expected = harness.Inventory.List(InventoryEntity.Carriers, harness.Clock.GetUtcNow());

        var (items, _) = await harness.ReadGatewayAsync(harness.ServicePath, "@type=element&", recordsPerPage: 50);

        var externalIds = items.Select(i => i.AsObject().TryGetPropertyValue("externalId", out var v) ? (v is null ? null : (string)v!) : "<missing>").ToList();
        Assert.Equal(expected.Select(e => e.ExternalId), externalIds);
        Assert.Contains(null, externalIds);
        Assert.Contains("", externalIds);
        Assert.Contains(externalIds.Where(e => !string.IsNullOrEmpty(e)).GroupBy(e => e), g => g.Count() > 1);
        Assert.Equal(items.Count, InventoryHarness.Ids(items).Distinct().Count());
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(20.0)]
    [InlineData(100.0)]
    public async Task ExcludedTypePercent_DecidesHowManyResourcesHaveExcludedTypes(double percent)
    {
        await using var harness = await InventoryHarness.StartAsync(o => o.ExcludedTypePercent = percent);

        var (_, items) = await harness.GetPageAsync($"{harness.ResourcePath}?recordsPerPage=1000");

        var excluded = items.Count(i => InventoryGenerator.ExcludedResourceTypes.Contains((string)i!["category"]!));
        Assert.All(items, i => Assert.Equal((string)i!["category"]!, (string)i["resourceSpecification"]!["name"]!));
        switch (percent)
        {
            case 0:
                Assert.Equal(0, excluded);
                break;
            case 100:
                Assert.Equal(items.Count, excluded);
                break;
            default:
                Assert.InRange(excluded, items.Count / 10, items.Count * 3 / 10);
                Assert.Contains(items, i => (string)i!["category"]! == "Modem");
                break;
        }
    }

    [Fact]
    public async Task ListRequests_AreCountedPerEntity_WithTheirQueryStrings()
    {
        await using var harness = await InventoryHarness.StartAsync();

        await harness.GetAsync($"{harness.ServicePath}?status=1&updatedDaysAgo=0&recordsPerPage=50&page=1");
        await harness.GetAsync($"{harness.ServicePath}?@type=element&status=1&recordsPerPage=50&page=2");
        await harness.GetAsync($"{harness.ServicePath}?@type=element&status=1&recordsPerPage=50&page=3");

        Assert.Equal(1, harness.Simulator.RequestCount(InventoryEntity.Services));
        Assert.Equal(2, harness.Simulator.RequestCount(InventoryEntity.Carriers));
        Assert.Equal(0, harness.Simulator.RequestCount(InventoryEntity.Resources));
        var services = Assert.Single(harness.Simulator.InventoryRequests, r => r.Entity == InventoryEntity.Services);
        Assert.Contains("updatedDaysAgo=0", services.Query, StringComparison.Ordinal);
        Assert.Equal([1, 2], harness.Simulator.InventoryRequests.Where(r => r.Entity == InventoryEntity.Carriers).Select(r => r.Page));
        Assert.Equal(3, harness.Simulator.Requests.CountFor(harness.ServicePath));
    }

    internal static System.Text.Json.Nodes.JsonNode JsonNode(string text) => System.Text.Json.Nodes.JsonNode.Parse(text)!;

    internal static async Task WaitUntilAsync(Func<bool> condition)
    {
        // Real I/O (a request reaching the server) is awaited with a bounded poll, never with the fake clock.
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10), TestContext.Current.CancellationToken);
        }

        Assert.True(condition(), "condition not met within 5 s");
    }
}
