using System.Globalization;
using System.Text.Json.Nodes;

namespace Satmon.Simulators.Tests.OneWeb;

public sealed class OneWebUsageTests
{
    private const string Usage = "/usageConsumption/v4/usageConsumptionReport";
    private static readonly DateTimeOffset CycleStart = new(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Usage_ThroughABillCycle_GrowsAddsOverageBlocksAndResetsAtTheNextCycle()
    {
        await using var h = await OneWebHarness.StartAsync(start: CycleStart.AddHours(1));
        var fleet = h.Simulator.Fleet;

        // A product whose use passes its entitlement before the cycle ends (about half of them do).
        var product = fleet.Products.First(p => fleet.UsageAt(p, CycleStart.AddDays(29.9)).OverageBlocksConsumed > 0);
        var readings = new List<Reading>();
        foreach (var day in new[] { 0.0, 5, 12, 20, 26, 29.9 })
        {
            h.Clock.SetUtcNow(CycleStart.AddHours(1).AddDays(day));
            readings.Add(await ReadAsync(h, product.Id));
        }

        h.Clock.SetUtcNow(new DateTimeOffset(2025, 7, 1, 1, 0, 0, TimeSpan.Zero));
        var next = await ReadAsync(h, product.Id);

        Assert.All(readings, r => Assert.Equal("2025-06-01", r.ReferenceDate));
        Assert.All(readings.Zip(readings.Skip(1)), pair => Assert.True(pair.Second.Used > pair.First.Used, $"{pair.First.Used} then {pair.Second.Used}"));
        Assert.True(readings[0].Used < readings[0].Entitlement);
        Assert.Equal(0, readings[0].Blocks);
        Assert.Equal(readings[0].Entitlement - readings[0].Used, readings[0].Balance, 2);

        var last = readings[^1];
        Assert.True(last.Used > last.Entitlement, $"used {last.Used} of {last.Entitlement}");
        Assert.Equal((int)Math.Ceiling((last.Used - last.Entitlement) / product.OverageBlockGb), last.Blocks);
        Assert.Equal(0.0, last.Remaining);
        Assert.Equal(last.Entitlement + (last.Blocks * product.OverageBlockGb) - last.Used, last.Balance, 2);
        Assert.InRange(last.Balance, 0, product.OverageBlockGb);

        Assert.Equal("2025-07-01", next.ReferenceDate);
        Assert.Equal(0, next.Blocks);
        Assert.True(next.Used < readings[1].Used, $"after the reset {next.Used}");
        Assert.Equal(new DateTimeOffset(2025, 7, 1, 0, 0, 0, TimeSpan.Zero), next.ValidFrom);
        Assert.EndsWith("-202507", next.Id, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Usage_WithReferenceDay15_StartsItsCycleOnThe15th()
    {
        await using var h = await OneWebHarness.StartAsync(o => o.BillCycleReferenceDay = 15);
        var product = h.Simulator.Fleet.Products[0];

        var before = await ReadAsync(h, product.Id);
        h.Clock.SetUtcNow(new DateTimeOffset(2025, 6, 15, 0, 30, 0, TimeSpan.Zero));
        var after = await ReadAsync(h, product.Id);

        Assert.Equal("2025-05-15", before.ReferenceDate);
        Assert.Equal("2025-06-15", after.ReferenceDate);
        Assert.True(after.Used < before.Used);
    }

    [Fact]
    public async Task Usage_Served_EqualsTheFleetsPureFunction()
    {
        await using var h = await OneWebHarness.StartAsync(o => o.MaxPageSize = 64);

        var reports = await h.ReadAllPagesAsync(Usage, 64);

        Assert.Equal(150, reports.Count);
        foreach (var report in reports)
        {
            var productId = (string)report["bucket"]![0]!["product"]![0]!["id"]!;
            h.Simulator.Fleet.TryGetProduct(productId, out var product);
            var expected = h.Simulator.Fleet.UsageAt(product!, h.Clock.GetUtcNow());
            var reading = Parse(report);
            Assert.Equal(expected.UsedGb, reading.Used);
            Assert.Equal(expected.BalanceGb, reading.Balance);
            Assert.Equal(expected.OverageBlocksConsumed, reading.Blocks);
            Assert.Equal(product!.EndCustomerId, (string?)report["relatedParty"]!["id"]);
        }
    }

    [Fact]
    public async Task Usage_FilteredByUnknownProduct_IsAnEmptyList()
    {
        await using var h = await OneWebHarness.StartAsync();

        var (response, body) = await h.GetJsonAsync($"{Usage}?product.id=SC-000");

        Assert.Empty(body.AsArray());
        Assert.Equal(0, OneWebHarness.TotalCount(response));
    }

    private static async Task<Reading> ReadAsync(OneWebHarness h, string productId)
    {
        var (_, body) = await h.GetJsonAsync($"{Usage}?product.id={productId}");
        return Parse(Assert.Single(body.AsArray())!);
    }

    private static Reading Parse(JsonNode report)
    {
        var bucket = report["bucket"]![0]!;
        double Counter(string type) => (double)bucket["bucketCounter"]!.AsArray().Single(c => (string?)c!["counterType"] == type)!["value"]!["amount"]!;
        var balance = bucket["bucketBalance"]![0]!;
        Assert.Equal(Counter("balance"), (double)balance["remainingValue"]!["amount"]!);
        Assert.Equal("GB", (string?)balance["remainingValue"]!["units"]);
        return new Reading(
            (string)report["id"]!,
            (string)report["billCycleReferenceDate"]!,
            DateTimeOffset.Parse((string)balance["validFor"]!["startDateTime"]!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal),
            Counter("entitlement"),
            Counter("used"),
            Counter("remainingAllowance"),
            (int)Counter("overageBlocksConsumed"),
            Counter("balance"));
    }

    private sealed record Reading(
        string Id, string ReferenceDate, DateTimeOffset ValidFrom, double Entitlement, double Used, double Remaining, int Blocks, double Balance);
}
