using Satmon.Connectors.OneWeb;
using Satmon.Core.Tables;
using Satmon.Simulators.OneWeb.Fleet;

namespace Satmon.Connectors.Tests.OneWeb;

public sealed class OneWebUsageTests
{
    [Fact]
    public async Task Usage_AcrossBillCycleBoundary_ResetsAndTrendsAtTheVendorsTimes()
    {
        var start = new DateTimeOffset(2026, 6, 30, 22, 0, 0, TimeSpan.Zero);
        await using var harness = await OneWebHarness.StartAsync(o => o.TerminalCount = 4, start);
        await harness.CreateElementAsync();
        var fleet = harness.Simulator.Fleet;
        var product = fleet.Products[1];

        var june = (await harness.RowAsync(OneWebTables.UsageConsumption, product.Id))!;
        AssertUsage(fleet.UsageAt(product, (DateTimeOffset)june.Values["effectiveDate"]!), june);
        Assert.Equal(new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero), june.Values["billCycleStart"]);

        await harness.AdvanceInStepsAsync(TimeSpan.FromHours(3), TimeSpan.FromMinutes(30));

        var july = (await harness.RowAsync(OneWebTables.UsageConsumption, product.Id))!;
        AssertUsage(fleet.UsageAt(product, (DateTimeOffset)july.Values["effectiveDate"]!), july);
        Assert.Equal(new DateTimeOffset(2026, 7, 1, 0, 0, 0, TimeSpan.Zero), july.Values["billCycleStart"]);
        Assert.True((double)july.Values["used"]! < (double)june.Values["used"]!, "usage starts again with the new cycle");

        // One point per poll (7 polls over 3 h), each at the report's effective date with the vendor's value then.
        var used = await harness.HistoryAsync(OneWebTables.UsageConsumption, product.Id, "used", start - TimeSpan.FromHours(1), start + TimeSpan.FromHours(4));
        Assert.Equal(7, used.Count);
        Assert.All(used, p => Assert.Equal(fleet.UsageAt(product, p.Time).UsedGb, p.Value));
        Assert.Contains(used, p => p.Time < new DateTimeOffset(2026, 7, 1, 0, 0, 0, TimeSpan.Zero));
        Assert.Contains(used, p => p.Time >= new DateTimeOffset(2026, 7, 1, 0, 0, 0, TimeSpan.Zero));
        var balance = await harness.HistoryAsync(OneWebTables.UsageConsumption, product.Id, "currentBalance", start - TimeSpan.FromHours(1), start + TimeSpan.FromHours(4));
        Assert.All(balance, p => Assert.Equal(fleet.UsageAt(product, p.Time).BalanceGb, p.Value));
    }

    private static void AssertUsage(OneWebUsageSnapshot expected, TableRow row)
    {
        Assert.Equal(expected.UsedGb, row.Values["used"]);
        Assert.Equal(expected.MonthlyEntitlementGb, row.Values["monthlyEntitlement"]);
        Assert.Equal(expected.RemainingAllowanceGb, row.Values["remainingAllowance"]);
        Assert.Equal((double)expected.OverageBlocksConsumed, row.Values["overageBlocksConsumed"]);
        Assert.Equal(expected.BalanceGb, row.Values["currentBalance"]);
        Assert.Equal(expected.Units, row.Values["units"]);
        Assert.Equal(expected.CycleStart, row.Values["billCycleStart"]);
        Assert.Equal(expected.ProductId, row.Key);
    }
}
