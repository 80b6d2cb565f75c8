using Satmon.Simulators.SesInventory;

namespace Satmon.Simulators.Tests.SesInventory;

public sealed class InventoryFilterTests
{
    [Theory]
    [InlineData(InventoryEntity.Services)]
    [InlineData(InventoryEntity.Resources)]
    public async Task StatusOne_ReturnsOnlyOperational_WhileNoFilterAlsoReturnsTheOthers(InventoryEntity entity)
    {
        await using var harness = await InventoryHarness.StartAsync(o => o.InitialNonOperationalPercent = 20);
        var path = entity == InventoryEntity.Resources ? harness.ResourcePath : harness.ServicePath;

        var (_, operational) = await harness.GetPageAsync($"{path}?status=1&recordsPerPage=1000");
        var (_, all) = await harness.GetPageAsync($"{path}?recordsPerPage=1000");

        Assert.All(operational, i => Assert.Equal("Operational", (string)i!["status"]!));
        Assert.Contains(all, i => (string)i!["status"]! != "Operational");
        Assert.Equal(harness.Inventory.Count(entity, harness.Clock.GetUtcNow(), InventoryFilter.Operational), operational.Count);
        Assert.True(operational.Count < all.Count);
    }

    [Fact]
    public async Task UpdatedDaysAgoZero_ReturnsOnlyItemsUpdatedInTheLast24Hours()
    {
        await using var harness = await InventoryHarness.StartAsync(o => o.ServiceCount = 1_000);
        harness.Clock.Advance(TimeSpan.FromDays(2));
        var now = harness.Clock.GetUtcNow();
        var expected = harness.Inventory.List(InventoryEntity.Services, now, new InventoryFilter(UpdatedDaysAgo: 0));

        var (_, items) = await harness.GetPageAsync($"{harness.ServicePath}?updatedDaysAgo=0&recordsPerPage=1000");

        Assert.NotEmpty(items);
        Assert.True(items.Count < harness.Inventory.Count(InventoryEntity.Services, now), "the filter must leave out older items");
        Assert.Equal(expected.Select(i => i.Id), InventoryHarness.Ids(items.Select(i => i!)));
        Assert.All(items, i =>
        {
            var lastUpdate = DateTimeOffset.Parse((string)i!["lastUpdate"]!, System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(lastUpdate, now.AddDays(-1), now);
        });
    }

    [Fact]
    public async Task UpdatedDaysAgoOne_CoversTwoDays_AndCombinesWithStatus()
    {
        await using var harness = await InventoryHarness.StartAsync(o => o.ServiceCount = 1_000);
        harness.Clock.Advance(TimeSpan.FromDays(5));
        var now = harness.Clock.GetUtcNow();

        var (_, twoDays) = await harness.GetPageAsync($"{harness.ServicePath}?status=1&updatedDaysAgo=1&recordsPerPage=1000");

        Assert.Contains(twoDays, i => DateTimeOffset.Parse((string)i!["lastUpdate"]!, System.Globalization.CultureInfo.InvariantCulture) < now.AddDays(-1));
        Assert.Equal(harness.Inventory.Count(InventoryEntity.Services, now, new InventoryFilter(true, 1)), twoDays.Count);
        Assert.All(twoDays, i =>
        {
            Assert.Equal("Operational", (string)i!["status"]!);
            Assert.True(DateTimeOffset.Parse((string)i["lastUpdate"]!, System.Globalization.CultureInfo.InvariantCulture) >= now.AddDays(-2));
        });
    }
}
