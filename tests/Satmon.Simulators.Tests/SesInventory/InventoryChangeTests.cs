using System.Globalization;
using System.Text.Json.Nodes;
using Satmon.Simulators.SesInventory;

namespace Satmon.Simulators.Tests.SesInventory;

public sealed class InventoryChangeTests
{
    [Fact]
    public async Task AdvancingTheClock_MovesLastUpdate_AddsNewItems_AndRetiresOthers()
    {
        await using var harness = await InventoryHarness.StartAsync(o =>
        {
            o.NewItemsPercentPerDay = 5;
            o.RetiredItemsPercentPerDay = 5;
        });
        var before = ById(await ReadAllAsync(harness));

        harness.Clock.Advance(TimeSpan.FromDays(3));
        var after = ById(await ReadAllAsync(harness));

        var kept = before.Keys.Intersect(after.Keys).ToList();
        var moved = kept.Count(id => LastUpdate(after[id]) > LastUpdate(before[id]));
        Assert.True(moved > 10, $"only {moved} items were updated in three days");
        Assert.DoesNotContain(kept, id => LastUpdate(after[id]) < LastUpdate(before[id]));

        var added = after.Keys.Except(before.Keys).ToList();
        Assert.InRange(added.Count, 30, 40); // 230 × 5 % × 3 days ≈ 34
        Assert.All(added, id => Assert.True(LastUpdate(after[id]) > InventoryHarness.Start));

        var operationalBefore = before.Where(p => (string)p.Value["status"]! == "Operational").Select(p => p.Key).ToList();
        var gone = operationalBefore.Count(id => !after.ContainsKey(id));
        var nonOperational = operationalBefore.Count(id => after.TryGetValue(id, out var item) && (string)item["status"]! != "Operational");
        Assert.True(gone > 0, "some retired items leave the list");
        Assert.True(nonOperational > 0, "some retired items stay with a non-Operational status");
    }

    [Fact]
    public async Task WithinOneChangeInterval_ThePageDoesNotChange()
    {
        await using var harness = await InventoryHarness.StartAsync();
        var path = $"{harness.ServicePath}?recordsPerPage=100&page=2";
        var (_, first) = await harness.GetPageAsync(path);

        harness.Clock.Advance(TimeSpan.FromMinutes(59));
        var (_, second) = await harness.GetPageAsync(path);
        harness.Clock.Advance(TimeSpan.FromDays(2));
        var (_, later) = await harness.GetPageAsync(path);

        Assert.Equal(first.ToJsonString(), second.ToJsonString());
        Assert.NotEqual(first.ToJsonString(), later.ToJsonString());
    }

    [Fact]
    public async Task Modem_StatusChangesOverTime_AndLastUpdateFollows()
    {
        await using var harness = await InventoryHarness.StartAsync();
        var modems = harness.Inventory.List(InventoryEntity.Resources, harness.Clock.GetUtcNow(), InventoryFilter.Operational)
            .Where(r => r.Type == "Modem").ToList();
        Assert.NotEmpty(modems);

        // Step hour by hour until some modem that was Operational is down.
        InventoryItem? down = null;
        for (var hour = 1; hour <= 96 && down is null; hour++)
        {
            harness.Clock.Advance(TimeSpan.FromHours(1));
            down = modems.Select(m => harness.Inventory.Item(InventoryEntity.Resources, m.Slot, harness.Clock.GetUtcNow()))
                .FirstOrDefault(m => m.Status == InventoryStatus.NonOperational);
        }

        Assert.NotNull(down);
        var (_, body) = await harness.GetJsonAsync($"{harness.ResourcePath}/resource/{down.Id}");
        Assert.Equal("Non-Operational", (string)body!["status"]!);
        Assert.Equal("disable", (string)body["operationalState"]!);
        Assert.Contains(body["resourceCharacteristic"]!.AsArray(), c => (string)c!["name"]! == "modemState" && (string)c["value"]! == "offline");
        Assert.True(LastUpdate(body) > InventoryHarness.Start);

        var (_, operationalOnly) = await harness.GetPageAsync($"{harness.ResourcePath}?status=1&recordsPerPage=1000");
        Assert.DoesNotContain(operationalOnly, r => (string)r!["id"]! == down.Id);
    }

    [Fact]
    public async Task StatusFilterKeepsModems_ReturnsDownModemsWithStatusOne()
    {
        await using var harness = await InventoryHarness.StartAsync(o =>
        {
            o.StatusFilterKeepsModems = true;
            o.ModemOutagePercent = 100;
        });
        harness.Clock.Advance(TimeSpan.FromDays(1));
        var now = harness.Clock.GetUtcNow();
        var downModems = harness.Inventory.List(InventoryEntity.Resources, now)
            .Where(r => r.Type == "Modem" && r.Status == InventoryStatus.NonOperational).ToList();

        var (_, items) = await harness.GetPageAsync($"{harness.ResourcePath}?status=1&recordsPerPage=1000");

        Assert.NotEmpty(downModems);
        var ids = InventoryHarness.Ids(items.Select(i => i!)).ToHashSet();
        Assert.All(downModems, m => Assert.Contains(m.Id, ids));
        Assert.All(items, i => Assert.True((string)i!["status"]! == "Operational" || (string)i["category"]! == "Modem"));
    }

    [Fact]
    public async Task SameSeed_GivesTheSamePages_AndAnotherSeedDoesNot()
    {
        await using var first = await InventoryHarness.StartAsync();
        await using var second = await InventoryHarness.StartAsync();
        await using var other = await InventoryHarness.StartAsync(o => o.Seed = 8);
        const string query = "?recordsPerPage=25&page=3";

        var (_, a) = await first.GetPageAsync(first.ResourcePath + query);
        var (_, b) = await second.GetPageAsync(second.ResourcePath + query);
        var (_, c) = await other.GetPageAsync(other.ResourcePath + query);

        Assert.Equal(a.ToJsonString(), b.ToJsonString());
        Assert.NotEqual(a.ToJsonString(), c.ToJsonString());
    }

    private static async Task<List<JsonNode>> ReadAllAsync(InventoryHarness harness) =>
        (await harness.ReadGatewayAsync(harness.ServicePath, "", recordsPerPage: 50)).Items;

    private static Dictionary<string, JsonNode> ById(List<JsonNode> items) => items.ToDictionary(i => (string)i["id"]!);

    private static DateTimeOffset LastUpdate(JsonNode item) =>
        DateTimeOffset.Parse((string)item["lastUpdate"]!, CultureInfo.InvariantCulture);
}
