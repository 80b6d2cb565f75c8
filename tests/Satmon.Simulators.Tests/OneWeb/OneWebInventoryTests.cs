using System.Net;
using System.Text.Json.Nodes;
using Satmon.Simulators.OneWeb;
using Satmon.Simulators.OneWeb.Fleet;

namespace Satmon.Simulators.Tests.OneWeb;

public sealed class OneWebInventoryTests
{
    private const string Terminals = "/resourceInventory/v3/userTerminal";
    private const string Products = "/api/webservices/productinventory/v2/product";
    private const string Organizations = "/partyManagement/v4/organization";
    private const string Sites = "/geographicSiteManagement/v4/geographicSite";

    [Theory]
    [InlineData(Terminals)]
    [InlineData(Products)]
    [InlineData(Organizations)]
    [InlineData(Sites)]
    public async Task List_PagedBelowTheMaximum_CoversEveryRowOnceWithTotalCount(string path)
    {
        await using var h = await OneWebHarness.StartAsync(o => o.MaxPageSize = 10);
        var expected = path switch
        {
            Terminals => h.Simulator.Fleet.Terminals.Select(t => t.Imei),
            Products => h.Simulator.Fleet.Products.Select(p => p.Id),
            Organizations => h.Simulator.Fleet.Organizations.Select(o => o.Id),
            _ => h.Simulator.Fleet.Sites.Select(s => s.Id),
        };

        // Every list spans several pages of 10; asking for more than the maximum still gets 10.
        var rows = await h.ReadAllPagesAsync(path, limit: 10);
        var (capped, body) = await h.GetJsonAsync($"{path}?limit=500");

        var ids = rows.Select(r => (string)r["id"]!).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(expected.Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));
        Assert.Equal(10, body.AsArray().Count);
        Assert.Equal(ids.Count, OneWebHarness.TotalCount(capped));
    }

    [Fact]
    public async Task TerminalList_WithoutLimit_ReturnsTheDefaultPageOf150()
    {
        await using var h = await OneWebHarness.StartAsync();

        var (response, body) = await h.GetJsonAsync(Terminals);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(150, body.AsArray().Count);
        Assert.Equal(150, OneWebHarness.TotalCount(response));
    }

    [Fact]
    public async Task TruncatedPage_InPartialContentMode_Is206()
    {
        await using var h = await OneWebHarness.StartAsync(o => o.PartialContentWhenTruncated = true);

        using var partial = await h.GetAsync($"{Terminals}?limit=10");
        using var whole = await h.GetAsync($"{Terminals}?limit=1000");

        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=abc")]
    [InlineData("offset=-1")]
    public async Task List_WithBadPaging_Is400(string query)
    {
        await using var h = await OneWebHarness.StartAsync();

        var (response, body) = await h.GetJsonAsync($"{Terminals}?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("400", (string?)body["status"]);
    }

    [Fact]
    public async Task Fields_SelectsFirstLevelAttributes_AndAlwaysKeepsId()
    {
        await using var h = await OneWebHarness.StartAsync();

        var (_, body) = await h.GetJsonAsync($"{Terminals}?fields=imei,resourceState,location,bogus&limit=5");
        var (_, ignored) = await WithOptionAsync(o => o.HonourFieldsParameter = false, $"{Terminals}?fields=imei&limit=1");

        Assert.All(body.AsArray(), t => Assert.Equal(
            ["id", "imei", "location", "resourceState"],
            t!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal)));
        Assert.NotNull(body[0]!["location"]!["features"]![0]!["geometry"]);
        Assert.NotNull(ignored[0]!["serialNumber"]);
    }

    [Fact]
    public async Task TerminalByImei_ReturnsOneElementArray_AndUnknownIs404()
    {
        await using var h = await OneWebHarness.StartAsync();
        var terminal = h.Simulator.Fleet.Terminals[17];

        var (response, body) = await h.GetJsonAsync($"{Terminals}/{terminal.Imei}?fields=imei,resourceState");
        var (missing, _) = await h.GetJsonAsync($"{Terminals}/000000000000000");
        var (_, asObject) = await WithOptionAsync(o => o.UserTerminalByImeiAsArray = false, $"{Terminals}/{terminal.Imei}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var only = Assert.Single(body.AsArray());
        Assert.Equal(terminal.Imei, (string?)only!["imei"]);
        Assert.Equal(h.Simulator.Fleet.StateAt(terminal, h.Clock.GetUtcNow()).ResourceState, (string?)only["resourceState"]);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.IsType<JsonObject>(asObject);
    }

    [Fact]
    public async Task Terminal_HasTheConfirmedFields_AndGeoJsonInLonLatOrder()
    {
        await using var h = await OneWebHarness.StartAsync();
        await using var latLon = await OneWebHarness.StartAsync(o => o.LocationCoordinateOrder = CoordinateOrder.LatLon);
        var terminal = h.Simulator.Fleet.Terminals[3];

        var (_, body) = await h.GetJsonAsync($"{Terminals}/{terminal.Imei}");
        var (_, swapped) = await latLon.GetJsonAsync($"{Terminals}/{terminal.Imei}");

        var t = body[0]!;
        foreach (var field in new[] { "id", "imei", "imsi", "name", "serialNumber", "firstSeenDate", "lastSeenDate", "resourceState", "relatedParty", "place", "product", "location" })
        {
            Assert.NotNull(t[field]);
        }

        Assert.Equal(terminal.Imei, (string?)t["id"]);
        Assert.Equal(15, terminal.Imei.Length);
        Assert.True(LuhnValid(terminal.Imei), terminal.Imei);
        var coordinates = t["location"]!["features"]![0]!["geometry"]!["coordinates"]!.AsArray();
        Assert.Equal(terminal.Longitude, (double)coordinates[0]!);
        Assert.Equal(terminal.Latitude, (double)coordinates[1]!);
        Assert.Equal(terminal.Latitude, (double)swapped[0]!["location"]!["features"]![0]!["geometry"]!["coordinates"]![0]!);
        Assert.Equal(6, t["resourceRelationship"]!.AsArray().Count);
        Assert.EndsWith("Z", (string)t["firstSeenDate"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Relations_EveryReferenceResolvesInsideTheServedData()
    {
        await using var h = await OneWebHarness.StartAsync(o => o.MaxPageSize = 100);

        var terminals = (await h.ReadAllPagesAsync(Terminals, 100)).ToDictionary(t => (string)t["id"]!);
        var products = (await h.ReadAllPagesAsync(Products, 100)).ToDictionary(p => (string)p["id"]!);
        var organizations = (await h.ReadAllPagesAsync(Organizations, 100)).ToDictionary(o => (string)o["id"]!);
        var sites = (await h.ReadAllPagesAsync(Sites, 100)).ToDictionary(s => (string)s["id"]!);

        static string Party(JsonNode node, string role) =>
            (string)node["relatedParty"]!.AsArray().Single(p => (string?)p!["role"] == role)!["id"]!;

        foreach (var t in terminals.Values)
        {
            var partner = organizations[Party(t, "DistributionPartner")];
            var customer = organizations[Party(t, "EndCustomer")];
            Assert.Equal("DistributionPartner", (string?)partner["organizationType"]);
            Assert.Equal((string?)partner["id"], (string?)customer["organizationParentRelationship"]!["organization"]!["id"]);
            var site = sites[(string)t["place"]!["id"]!];
            Assert.Equal((string?)customer["id"], (string?)site["relatedParty"]![0]!["id"]);
            var product = products[(string)t["product"]![0]!["id"]!];
            Assert.Equal((string?)t["id"], (string?)product["realizingResource"]![0]!["id"]);
        }

        foreach (var p in products.Values)
        {
            var imei = (string)p["productCharacteristic"]!.AsArray().Single(c => (string?)c!["name"] == "imei")!["value"]!;
            Assert.True(terminals.ContainsKey(imei), imei);
            Assert.True(sites.ContainsKey((string)p["place"]![0]!["id"]!));
            Assert.True(organizations.ContainsKey(Party(p, "EndCustomer")));
            Assert.True(organizations.ContainsKey(Party(p, "DistributionPartner")));
        }

        foreach (var o in organizations.Values.Where(o => (string?)o["organizationType"] == "DistributionPartner"))
        {
            var children = o["organizationChildRelationship"]!.AsArray();
            Assert.NotEmpty(children);
            Assert.All(children, c => Assert.Equal(
                (string?)o["id"],
                (string?)organizations[(string)c!["organization"]!["id"]!]["organizationParentRelationship"]!["organization"]!["id"]));
        }

        Assert.All(sites.Values, s => Assert.True(organizations.ContainsKey((string)s["relatedParty"]![0]!["id"]!)));
        Assert.Equal(150, terminals.Count);
        Assert.Equal(150, products.Count);
    }

    [Fact]
    public void Fleet_SameSeedAndSize_IsIdentical_AndAnotherSeedDiffers()
    {
        var options = new OneWebSimulatorOptions { Seed = 7, TerminalCount = 60 };
        var a = new OneWebFleet(options, OneWebHarness.Start);
        var b = new OneWebFleet(options, OneWebHarness.Start);
        var c = new OneWebFleet(new OneWebSimulatorOptions { Seed = 8, TerminalCount = 60 }, OneWebHarness.Start);
        var at = OneWebHarness.Start.AddHours(-3);

        Assert.Equal(a.Terminals.Select(t => (t.Imei, t.Name, t.SiteId, t.Latitude)), b.Terminals.Select(t => (t.Imei, t.Name, t.SiteId, t.Latitude)));
        Assert.Equal(a.Terminals.Select(t => a.TerminalSample(t, at)), b.Terminals.Select(t => b.TerminalSample(t, at)));
        Assert.Equal(a.Products.Select(p => a.UsageAt(p, at)), b.Products.Select(p => b.UsageAt(p, at)));
        Assert.NotEqual(a.Terminals.Select(t => t.Imei), c.Terminals.Select(t => t.Imei));
        Assert.Equal(60, a.Terminals.Select(t => t.Imei).Distinct().Count());
    }

    [Fact]
    public async Task ProductFilter_ByRelatedParty_ReturnsOnlyThatPartysProducts()
    {
        await using var h = await OneWebHarness.StartAsync();
        var customer = h.Simulator.Fleet.Products[5].EndCustomerId;

        var (response, body) = await h.GetJsonAsync($"{Products}?relatedParty.id={customer}");

        var expected = h.Simulator.Fleet.Products.Where(p => p.EndCustomerId == customer).Select(p => p.Id);
        Assert.Equal(expected, body.AsArray().Select(p => (string)p!["id"]!));
        Assert.Equal(expected.Count(), OneWebHarness.TotalCount(response));
    }

    private static async Task<(HttpResponseMessage, JsonNode)> WithOptionAsync(Action<OneWebSimulatorOptions> configure, string path)
    {
        await using var h = await OneWebHarness.StartAsync(configure);
        return await h.GetJsonAsync(path);
    }

    private static bool LuhnValid(string digits)
    {
        var sum = 0;
        for (var k = 0; k < digits.Length; k++)
        {
            var d = digits[^(k + 1)] - '0';
            if (k % 2 == 1)
            {
                d = d * 2 > 9 ? (d * 2) - 9 : d * 2;
            }

            sum += d;
        }

        return sum % 10 == 0;
    }
}
