using Satmon.Connectors.OneWeb;
using Satmon.Core.Polling;
using Satmon.Core.Tables;

namespace Satmon.Connectors.Tests.OneWeb;

public sealed class OneWebInventoryTests
{
    private const string TerminalPath = "/resourceInventory/v3/userTerminal";

    [Fact]
    public async Task Tables_FirstPoll_CompleteAndEveryReferenceResolves()
    {
        await using var harness = await OneWebHarness.StartAsync(o => o.TerminalCount = 40);
        await harness.CreateElementAsync();
        var fleet = harness.Simulator.Fleet;

        var tables = new Dictionary<string, List<TableRow>>();
        foreach (var table in OneWebTables.All)
        {
            tables[table.Name] = await harness.RowsAsync(table.Name);
        }

        Assert.Equal(fleet.Terminals.Count, tables[OneWebTables.UserTerminals].Count);
        Assert.Equal(fleet.Terminals.Sum(t => t.Components.Count), tables[OneWebTables.TerminalComponents].Count);
        Assert.Equal(fleet.Products.Count, tables[OneWebTables.Products].Count);
        Assert.Equal(fleet.Organizations.Count, tables[OneWebTables.Organizations].Count);
        Assert.Equal(fleet.Sites.Count, tables[OneWebTables.Sites].Count);
        Assert.Equal(fleet.Terminals.Count, tables[OneWebTables.TerminalPerformance].Count);
        Assert.Equal(fleet.Products.Count, tables[OneWebTables.ProductPerformance].Count);
        Assert.Equal(fleet.Products.Count, tables[OneWebTables.UsageConsumption].Count);

        foreach (var table in OneWebTables.All)
        {
            foreach (var column in table.Columns.Where(c => c.References is not null))
            {
                var keys = tables[column.References!].Select(r => r.Key).ToHashSet(StringComparer.Ordinal);
                var values = tables[table.Name].Select(r => r.Values.GetValueOrDefault(column.Name) as string).OfType<string>().ToList();
                Assert.True(values.Count > 0, $"{table.Name}.{column.Name} holds no reference at all");
                Assert.All(values, v => Assert.True(keys.Contains(v), $"{table.Name}.{column.Name} = '{v}' names no row of {column.References}"));
            }
        }

        var terminals = tables[OneWebTables.UserTerminals].ToDictionary(r => r.Key);
        foreach (var t in fleet.Terminals)
        {
            var row = terminals[t.Imei].Values;
            Assert.Equal(t.Name, row["name"]);
            Assert.Equal(t.SerialNumber, row["serialNumber"]);
            Assert.Equal(t.SiteId, row["site"]);
            Assert.Equal(t.DistributionPartnerId, row["distributionPartner"]);
            Assert.Equal(t.EndCustomerId, row["endCustomer"]);
            Assert.Equal(t.ProductId, row["product"]);
            Assert.Equal(t.FirmwareVersion, row["firmwareVersion"]);
            // GeoJSON order [lon, lat] read the right way round.
            Assert.Equal(t.Latitude, (double)row["latitude"]!, 9);
            Assert.Equal(t.Longitude, (double)row["longitude"]!, 9);
            Assert.Equal(t.FirstSeen, row["firstSeen"]);
        }

        var products = tables[OneWebTables.Products].ToDictionary(r => r.Key);
        Assert.All(fleet.Products, p =>
        {
            Assert.Equal(p.Imei, products[p.Id].Values["terminal"]);
            Assert.Equal(p.SiteId, products[p.Id].Values["site"]);
            Assert.Equal(p.EndCustomerId, products[p.Id].Values["endCustomer"]);
            Assert.Equal(p.DistributionPartnerId, products[p.Id].Values["distributionPartner"]);
        });
        var organizations = tables[OneWebTables.Organizations].ToDictionary(r => r.Key);
        Assert.All(fleet.Organizations, o =>
        {
            Assert.Equal(o.TradingName, organizations[o.Id].Values["tradingName"]);
            Assert.Equal(o.ParentId, organizations[o.Id].Values["parent"]);
        });
        var sites = tables[OneWebTables.Sites].ToDictionary(r => r.Key);
        Assert.All(fleet.Sites, s =>
        {
            Assert.Equal(s.OwnerId, sites[s.Id].Values["relatedParty"]);
            Assert.Equal(s.Latitude, (double)sites[s.Id].Values["latitude"]!, 4);
            Assert.Equal(s.Longitude, (double)sites[s.Id].Values["longitude"]!, 4);
        });
    }

    [Fact]
    public async Task UserTerminals_MoreRowsThanOnePage_EveryPageReadOnce()
    {
        await using var harness = await OneWebHarness.StartAsync(o =>
        {
            o.TerminalCount = 30;
            o.MaxPageSize = 7;
        });

        // The element asks for 10 a page; the vendor caps pages at 7 and says how many there are in X-Total-Count.
        await harness.CreateElementAsync(new Dictionary<string, string?> { ["pageSize"] = "10" });

        Assert.Equal(30, (await harness.RowsAsync(OneWebTables.UserTerminals)).Count);
        Assert.Equal(30, (await harness.RowsAsync(OneWebTables.Products)).Count);
        Assert.Equal(5, harness.Simulator.RequestCount(TerminalPath));
    }

    [Theory]
    [InlineData("serialNumber", "serialNo")]
    [InlineData("imei", "IMEI")]
    [InlineData("resourceState", null)]
    public async Task UserTerminals_FieldRenamedOrMissing_TaskFailsNamingFieldAndRowsStayUnchanged(string field, string? newName)
    {
        await using var harness = await OneWebHarness.StartAsync();
        await harness.CreateElementAsync();
        var before = await harness.RowsAsync(OneWebTables.UserTerminals);
        if (newName is null)
        {
            harness.Simulator.Faults.DropFieldNext(field, pathPrefix: TerminalPath);
        }
        else
        {
            harness.Simulator.Faults.RenameFieldNext(field, newName, pathPrefix: TerminalPath);
        }

        await harness.AdvanceAsync(TimeSpan.FromMinutes(5));

        var task = await harness.TaskAsync(OneWebTasks.UserTerminals);
        Assert.Equal(PollStatus.Failed, task.State.Status);
        Assert.Contains($"'{field}'", task.State.Reason, StringComparison.Ordinal);
        if (newName is not null)
        {
            Assert.Contains($"'{newName}'", task.State.Reason, StringComparison.Ordinal);
        }

        AssertSameRows(before, await harness.RowsAsync(OneWebTables.UserTerminals));

        // The same poll without the fault does change rows (last seen moves on), so the check above could fail.
        await harness.AdvanceAsync(TimeSpan.FromMinutes(5));
        Assert.Equal(PollStatus.Succeeded, (await harness.TaskAsync(OneWebTasks.UserTerminals)).State.Status);
        Assert.NotEqual(Flatten(before), Flatten(await harness.RowsAsync(OneWebTables.UserTerminals)));
    }

    [Fact]
    public async Task Products_MalformedJson_FailsNamingTheCallAndKeepsRows()
    {
        await using var harness = await OneWebHarness.StartAsync();
        await harness.CreateElementAsync();
        var before = await harness.RowsAsync(OneWebTables.Products);
        harness.Simulator.Faults.MalformNext(pathPrefix: "/api/webservices/productinventory");

        await harness.PollNowAsync(OneWebTasks.Products);

        var task = await harness.TaskAsync(OneWebTasks.Products);
        Assert.Equal(PollStatus.Failed, task.State.Status);
        Assert.Contains("Products", task.State.Reason, StringComparison.Ordinal);
        Assert.Contains("malformed JSON", task.State.Reason, StringComparison.Ordinal);
        AssertSameRows(before, await harness.RowsAsync(OneWebTables.Products));
    }

    private static void AssertSameRows(List<TableRow> expected, List<TableRow> actual) =>
        Assert.Equal(Flatten(expected), Flatten(actual));

    private static List<string> Flatten(List<TableRow> rows) =>
        rows.OrderBy(r => r.Key, StringComparer.Ordinal)
            .Select(r => r.Key + ":" + string.Join("|", r.Values.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => $"{v.Key}={v.Value}")))
            .ToList();
}
