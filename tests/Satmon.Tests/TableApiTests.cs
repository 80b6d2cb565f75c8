using System.Net;
using Satmon.Tests.Support;

namespace Satmon.Tests;

public sealed class TableApiTests(SatmonHost host) : IClassFixture<SatmonHost>, IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        using var existing = await host.Operator.GetAsync("/api/elements/tabular", Ct);
        if (existing.StatusCode == HttpStatusCode.NotFound)
        {
            await host.CreateElementAsync("Tabular", ct: Ct);
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Tables_List_SchemasAndRowCounts()
    {
        var tables = await host.Viewer.GetArrayAsync("/api/elements/tabular/tables", Ct);
        var things = tables.Single(t => t!["name"]!.GetValue<string>() == "things")!;
        Assert.Equal(3, things["rowCount"]!.GetValue<long>());
        var value = things["columns"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == "value")!;
        Assert.Equal("number", value["type"]!.GetValue<string>());
        Assert.Equal("ms", value["unit"]!.GetValue<string>());
        Assert.True(value["trended"]!.GetValue<bool>());
        Assert.Equal(2, tables.Single(t => t!["name"]!.GetValue<string>() == "groups")!["rowCount"]!.GetValue<long>());
    }

    [Fact]
    public async Task Query_FilterSortPaging_ReturnsPageAndTotal()
    {
        var page = await host.Viewer.GetObjectAsync("/api/elements/tabular/tables/things?filter=status%20eq%20online&sort=-value&limit=1", Ct);
        Assert.Equal(2, page["total"]!.GetValue<long>());
        var row = Assert.Single(page["rows"]!.AsArray())!;
        Assert.Equal("thing-2", row["key"]!.GetValue<string>());
        Assert.Equal("online", row["values"]!["status"]!.GetValue<string>());

        var second = await host.Viewer.GetObjectAsync("/api/elements/tabular/tables/things?filter=status%20eq%20online&sort=-value&limit=1&offset=1", Ct);
        Assert.Equal("thing-1", Assert.Single(second["rows"]!.AsArray())!["key"]!.GetValue<string>());

        // Repeated filters combine with AND.
        var both = await host.Viewer.GetObjectAsync("/api/elements/tabular/tables/things?filter=status%20eq%20online&filter=value%20gt%2015", Ct);
        Assert.Equal("thing-2", Assert.Single(both["rows"]!.AsArray())!["key"]!.GetValue<string>());
    }

    [Fact]
    public async Task Query_FollowingNextCursor_ReadsEachRowOnceThenStops()
    {
        var keys = new List<string>();
        var url = "/api/elements/tabular/tables/things?sort=-value&limit=2";
        var page = await host.Viewer.GetObjectAsync(url, Ct);
        keys.AddRange(page["rows"]!.AsArray().Select(r => r!["key"]!.GetValue<string>()));
        var cursor = page["nextCursor"]!.GetValue<string>();

        var next = await host.Viewer.GetObjectAsync($"{url}&cursor={Uri.EscapeDataString(cursor)}", Ct);
        keys.AddRange(next["rows"]!.AsArray().Select(r => r!["key"]!.GetValue<string>()));

        Assert.Equal(3, next["total"]!.GetValue<long>());
        Assert.Null(next["nextCursor"]);
        var all = await host.Viewer.GetObjectAsync("/api/elements/tabular/tables/things?sort=-value", Ct);
        Assert.Equal(all["rows"]!.AsArray().Select(r => r!["key"]!.GetValue<string>()), keys);
    }

    [Theory]
    [InlineData("sort=-value&cursor=garbage", "cursor is not a page cursor")]
    [InlineData("sort=value&cursor={0}", "cursor was made for sort '-value'")]
    [InlineData("sort=-value&offset=1&cursor={0}", "cursor and offset")]
    public async Task Query_BadCursor_400NamingCursor(string query, string expected)
    {
        var page = await host.Viewer.GetObjectAsync("/api/elements/tabular/tables/things?sort=-value&limit=1", Ct);
        var cursor = Uri.EscapeDataString(page["nextCursor"]!.GetValue<string>());

        using var response = await host.Viewer.GetAsync($"/api/elements/tabular/tables/things?{string.Format(System.Globalization.CultureInfo.InvariantCulture, query, cursor)}", Ct);

        var problem = await Http.AssertProblemAsync(response, HttpStatusCode.BadRequest, Ct);
        Assert.Contains(expected, problem.Detail(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("colour%20eq%20red", "colour")]
    [InlineData("value%20like%201", "like")]
    [InlineData("value%20gt%20lots", "lots")]
    public async Task Query_BadFilter_400NamingWhatToFix(string filter, string named)
    {
        using var response = await host.Viewer.GetAsync($"/api/elements/tabular/tables/things?filter={filter}", Ct);
        var problem = await Http.AssertProblemAsync(response, HttpStatusCode.BadRequest, Ct);
        Assert.Contains(named, problem.Detail(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_BadLimit_400()
    {
        using var response = await host.Viewer.GetAsync("/api/elements/tabular/tables/things?limit=0", Ct);
        var problem = await Http.AssertProblemAsync(response, HttpStatusCode.BadRequest, Ct);
        Assert.Contains("limit", problem.Detail(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_UnknownTable_404ListingTables()
    {
        using var response = await host.Viewer.GetAsync("/api/elements/tabular/tables/widgets", Ct);
        var problem = await Http.AssertProblemAsync(response, HttpStatusCode.NotFound, Ct);
        Assert.Contains("things", problem.Detail(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Row_WithReference_LinksToReferencedRow()
    {
        var row = await host.Viewer.GetObjectAsync("/api/elements/tabular/tables/things/rows/thing-3", Ct);
        Assert.Equal("Thing 3", row["values"]!["name"]!.GetValue<string>());
        var link = row["links"]!["groupId"]!.GetValue<string>();
        Assert.Equal("/api/elements/tabular/tables/groups/rows/g2", link);
        var group = await host.Viewer.GetObjectAsync(link, Ct);
        Assert.Equal("Group two", group["values"]!["name"]!.GetValue<string>());

        using var missing = await host.Viewer.GetAsync("/api/elements/tabular/tables/things/rows/thing-99", Ct);
        await Http.AssertProblemAsync(missing, HttpStatusCode.NotFound, Ct);
    }

    [Fact]
    public async Task Csv_Export_HeaderRowsAndRfc4180Quoting()
    {
        using var response = await host.Viewer.GetAsync("/api/elements/tabular/tables/groups.csv", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal("key,name\r\ng1,\"Group, \"\"one\"\"\"\r\ng2,Group two\r\n", text);

        using var things = await host.Viewer.GetAsync("/api/elements/tabular/tables/things.csv", Ct);
        var lines = (await things.Content.ReadAsStringAsync(Ct)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("key,name,status,value,groupId,latitude,longitude,lastSeen", lines[0]);
        Assert.Equal(4, lines.Length);
        Assert.StartsWith("thing-1,Thing 1,online,", lines[1], StringComparison.Ordinal);
        Assert.EndsWith(",g1,51,7,2025-06-02T12:00:00Z", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Csv_UnknownTable_404Problem()
    {
        using var response = await host.Viewer.GetAsync("/api/elements/tabular/tables/nope.csv", Ct);
        await Http.AssertProblemAsync(response, HttpStatusCode.NotFound, Ct);
    }
}
