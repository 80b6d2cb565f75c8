using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Satmon.Simulators.SesInventory;

namespace Satmon.Simulators.Tests.SesInventory;

public sealed class InventoryRecordTests
{
    [Fact]
    public async Task Service_HasTheSesFieldsAndTheTmf638Shape()
    {
        await using var harness = await InventoryHarness.StartAsync();

        var (_, items) = await harness.GetPageAsync($"{harness.ServicePath}?recordsPerPage=100");

        Assert.All(items, s =>
        {
            Assert.Matches("^[0-9a-f]{32}$", (string)s!["id"]!);
            Assert.Matches("^CFS-[0-9]{6}$", (string)s["externalId"]!);
            Assert.Equal("CFS", (string)s["category"]!);
            Assert.EndsWith("Z", (string)s["lastUpdate"]!, StringComparison.Ordinal);
            Assert.Single(s["relatedParty"]!.AsArray(), p => (string)p!["role"]! == "Customer");
            Assert.Single(s["place"]!.AsArray(), p => (string)p!["role"]! == "Site");
            Assert.NotEmpty(s["serviceCharacteristic"]!.AsArray());
            Assert.All(s["supportingResource"]!.AsArray(), r => Assert.Equal("Modem", (string)r!["@referredType"]!));
        });

        // The customer is not always the first party: clients must pick it by role.
        Assert.Contains(items, s => (string)s!["relatedParty"]![0]!["role"]! != "Customer");
    }

    [Fact]
    public async Task Carrier_HasCharacteristicsSatelliteTransponderAndBandwidthSegments()
    {
        await using var harness = await InventoryHarness.StartAsync();

        var (_, items) = await harness.GetPageAsync($"{harness.ServicePath}?@type=element&recordsPerPage=100");

        Assert.All(items, c =>
        {
            var characteristics = c!["serviceCharacteristic"]!.AsArray().ToDictionary(x => (string)x!["name"]!, x => (string)x!["value"]!);
            Assert.Equal("Carrier", characteristics["ElementType"]);
            Assert.Contains(characteristics["type"], new[] { "Forward", "Return" });
            Assert.Equal($"UL-{c["externalId"]}", characteristics["uplinkAlias"]);
            Assert.Equal($"DL-{c["externalId"]}", characteristics["downlinkAlias"]);
            Assert.True(double.Parse(characteristics["uplinkRfCenterFrequency"], CultureInfo.InvariantCulture) > double.Parse(characteristics["downlinkRfCenterFrequency"], CultureInfo.InvariantCulture));
            Assert.Equal(["Gateway", "Terminal"], c["place"]!.AsArray().Select(p => (string)p!["role"]!));
            Assert.Equal(["Satellite", "Transponder"], c["supportingResource"]!.AsArray().Select(r => (string)r!["@referredType"]!));
            Assert.All(c["supportingService"]!.AsArray(), s => Assert.Equal("BandwidthSegment", (string)s!["serviceType"]!));
        });

        // Not every bandwidth segment is an Operational CFS: the connector has to filter them.
        var segments = items.SelectMany(c => c!["supportingService"]!.AsArray()).ToList();
        Assert.Contains(segments, s => (string)s!["category"]! == "CFS" && (string)s["status"]! == "Operational");
        Assert.Contains(segments, s => (string)s!["category"]! != "CFS" || (string)s["status"]! != "Operational");
    }

    [Fact]
    public async Task Resource_HasTheTmf639ShapeWithTypeRelationshipsAndModemDetails()
    {
        await using var harness = await InventoryHarness.StartAsync();

        var (_, items) = await harness.GetPageAsync($"{harness.ResourcePath}?recordsPerPage=400");

        Assert.All(items, r =>
        {
            Assert.Equal((string)r!["category"]!, (string)r["resourceSpecification"]!["name"]!);
            Assert.Contains((string)r["@type"]!, new[] { "PhysicalResource", "LogicalResource" });
            Assert.IsType<JsonObject>(r["place"]);
            Assert.Equal("Owner", (string)r["relatedParty"]![0]!["role"]!);
        });
        var modem = items.First(r => (string)r!["category"]! == "Modem")!;
        Assert.Contains(modem["resourceCharacteristic"]!.AsArray(), c => (string)c!["name"]! == "modemState");
        Assert.Equal("reliesOn", (string)modem["resourceRelationship"]![0]!["relationshipType"]!);
        var card = items.First(r => (string)r!["category"]! is "Card" or "Port" or "Slot")!;
        var parent = card["resourceRelationship"]![0]!;
        Assert.Equal("isContainedIn", (string)parent["relationshipType"]!);
        Assert.Equal((string)parent["id"]!, (string)parent["resource"]!["id"]!);
        Assert.NotNull(harness.Inventory.Find(InventoryEntity.Resources, (string)parent["id"]!, harness.Clock.GetUtcNow()));
    }

    [Fact]
    public void Constructor_WithInvalidOptions_ThrowsNamingEachKey()
    {
        var options = new SesInventorySimulatorOptions
        {
            ServiceCount = -1,
            FirstPageIndex = 2,
            ChangeInterval = TimeSpan.FromSeconds(10),
            GatewayServicePath = "no-slash",
            PageIndexParameterNames = ["offset"],
            NullExternalIdPercent = 60,
            EmptyExternalIdPercent = 60,
        };

        var error = Assert.Throws<OptionsValidationException>(() => new SesInventorySimulator(options, new FakeTimeProvider()));

        foreach (var key in new[] { "ServiceCount", "FirstPageIndex", "ChangeInterval", "GatewayServicePath", "PageIndexParameterNames", "NullExternalIdPercent" })
        {
            Assert.Contains(key, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Generator_AtTheOrigin_HoldsExactlyTheConfiguredCounts()
    {
        var options = new SesInventorySimulatorOptions { ServiceCount = 1_234, CarrierCount = 56, ResourceCount = 789 };
        var generator = new InventoryGenerator(options, InventoryHarness.Start);

        Assert.Equal(1_234, generator.Count(InventoryEntity.Services, InventoryHarness.Start));
        Assert.Equal(56, generator.Count(InventoryEntity.Carriers, InventoryHarness.Start));
        Assert.Equal(789, generator.Count(InventoryEntity.Resources, InventoryHarness.Start));
        Assert.Equal(
            generator.List(InventoryEntity.Services, InventoryHarness.Start).Select(i => i.ExternalId),
            Enumerable.Range(1, 1_234).Select(i => $"CFS-{i:D6}"));
    }
}
