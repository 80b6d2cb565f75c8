using System.Net;
using Satmon.Tests.Support;

namespace Satmon.Tests;

/// <summary>Health, OpenAPI, the home page, connectors, objects and the fleet list.</summary>
public sealed class DiscoveryApiTests(SatmonHost host) : IClassFixture<SatmonHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Health_StoreReachable_200()
    {
        var health = await host.Anonymous.GetObjectAsync("/api/health", Ct);
        Assert.Equal("healthy", health["status"]!.GetValue<string>());
        Assert.Equal("sqlite", health["storage"]!.GetValue<string>());
    }

    [Fact]
    public async Task OpenApi_Document_ListsTheRoutes()
    {
        var doc = await host.Anonymous.GetObjectAsync("/openapi/v1.json", Ct);
        var paths = doc["paths"]!.AsObject().Select(p => p.Key).ToList();
        foreach (var expected in new[]
        {
            "/api/health", "/api/connectors", "/api/elements", "/api/elements/{id}", "/api/elements/{id}/start",
            "/api/elements/{id}/commands/{command}", "/api/elements/{id}/polling", "/api/elements/{id}/polling/{task}",
            "/api/elements/{id}/polling/{task}/poll", "/api/elements/{id}/polling/poll", "/api/elements/{id}/tables",
            "/api/elements/{id}/tables/{table}", "/api/elements/{id}/tables/{table}/rows/{key}", "/api/elements/{id}/tables/{table}.csv",
            "/api/elements/{id}/history", "/api/objects/{definition}", "/api/objects/{definition}/{objectId}",
            "/api/objects/{definition}/{objectId}/changes", "/api/fleet/terminals",
        })
        {
            Assert.Contains(expected, paths);
        }
    }

    [Fact]
    public async Task Home_NotSignedIn_RedirectsToDashboardSignIn()
    {
        using var response = await host.Anonymous.GetAsync("/", Ct);

        // The dashboard lives at "/"; without its cookie the browser is sent to the sign-in page.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/signin", response.RequestMessage?.RequestUri?.AbsolutePath);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.Contains("id=\"apiKey\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connectors_List_SettingsSchemaTablesTasksCommandsDefinitions()
    {
        var connectors = await host.Viewer.GetArrayAsync("/api/connectors", Ct);
        var test = connectors.Single(c => c!["id"]!.GetValue<string>() == TestConnector.Id)!;
        var settings = test["settings"]!.AsArray();
        var token = settings.Single(s => s!["key"]!.GetValue<string>() == "token")!;
        Assert.True(token["secret"]!.GetValue<bool>());
        Assert.Equal("string", token["type"]!.GetValue<string>());
        var interval = settings.Single(s => s!["key"]!.GetValue<string>() == "intervalSeconds")!;
        Assert.Equal("durationSeconds", interval["type"]!.GetValue<string>());
        Assert.Equal("300", interval["default"]!.GetValue<string>());
        Assert.Equal(10, interval["minimum"]!.GetValue<double>());
        Assert.Equal(86400, interval["maximum"]!.GetValue<double>());
        Assert.Contains(test["tables"]!.AsArray(), t => t!["name"]!.GetValue<string>() == "things"
            && t["columns"]!.AsArray().Any(c => c!["name"]!.GetValue<string>() == "groupId" && c["references"]!.GetValue<string>() == "groups"));
        var data = test["pollTasks"]!.AsArray().Single(t => t!["name"]!.GetValue<string>() == "data")!;
        Assert.Equal(300, data["defaultIntervalSeconds"]!.GetValue<double>());
        Assert.Equal("hello", data["dependsOn"]!.GetValue<string>());
        Assert.Equal("authenticate", test["commands"]![0]!["name"]!.GetValue<string>());
        Assert.Equal("gadgets", test["objectDefinitions"]![0]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Objects_QueryOneAndChanges()
    {
        await host.CreateElementAsync("Gadgeteer", ct: Ct);
        await host.AdvanceAsync("gadgeteer", TimeSpan.FromMinutes(5)); // the second poll changes gadget-1's weight

        var page = await host.Viewer.GetObjectAsync("/api/objects/gadgets?element=gadgeteer&filter=name%20eq%20Sprocket", Ct);
        Assert.Equal(1, page["total"]!.GetValue<long>());
        var item = Assert.Single(page["items"]!.AsArray())!;
        Assert.Equal("gadget-1", item["id"]!.GetValue<string>());
        Assert.Equal(2, item["fields"]!["weight"]!.GetValue<double>());

        var one = await host.Viewer.GetObjectAsync("/api/objects/gadgets/gadget-2?element=gadgeteer", Ct);
        Assert.Equal("Widget", one["fields"]!["name"]!.GetValue<string>());

        var changes = await host.Viewer.GetArrayAsync("/api/objects/gadgets/gadget-1/changes?element=gadgeteer", Ct);
        Assert.Equal(["updated", "created"], changes.Select(c => c!["kind"]!.GetValue<string>()));
        Assert.True(changes[0]!["changedFields"]!.AsObject().ContainsKey("weight"));

        using var unknown = await host.Viewer.GetAsync("/api/objects/spaceships", Ct);
        var problem = await Http.AssertProblemAsync(unknown, HttpStatusCode.NotFound, Ct);
        Assert.Contains("gadgets", problem.Detail(), StringComparison.Ordinal);
        using var badFilter = await host.Viewer.GetAsync("/api/objects/gadgets?filter=colour%20eq%20red", Ct);
        Assert.Contains("colour", (await Http.AssertProblemAsync(badFilter, HttpStatusCode.BadRequest, Ct)).Detail(), StringComparison.Ordinal);
        using var missing = await host.Viewer.GetAsync("/api/objects/gadgets/gadget-99", Ct);
        await Http.AssertProblemAsync(missing, HttpStatusCode.NotFound, Ct);
    }

    [Fact]
    public async Task Fleet_Terminals_NormalisedFromFleetTables()
    {
        await host.CreateElementAsync("Fleet source", ct: Ct);
        var fleet = await host.Viewer.GetArrayAsync("/api/fleet/terminals", Ct);
        var mine = fleet.Where(t => t!["element"]!.GetValue<string>() == "fleet-source").Select(t => t!.AsObject()).ToList();
        Assert.Equal(3, mine.Count);
        var offline = mine.Single(t => t["id"]!.GetValue<string>() == "thing-3");
        Assert.Equal("offline", offline["status"]!.GetValue<string>());
        Assert.Equal("Test Operator", offline["operator"]!.GetValue<string>());
        Assert.Equal("Thing 3", offline["name"]!.GetValue<string>());
        Assert.Equal(53, offline["latitude"]!.GetValue<double>());
        Assert.Equal(9, offline["longitude"]!.GetValue<double>());
        Assert.NotNull(offline["latency"]);
        Assert.Null(offline["throughput"]);
        Assert.Equal("online", mine.Single(t => t["id"]!.GetValue<string>() == "thing-1")["status"]!.GetValue<string>());
        Assert.NotNull(offline["lastSeen"]);
    }

    [Fact]
    public async Task UnknownRoute_404Problem()
    {
        using var response = await host.Viewer.GetAsync("/api/nothing-here", Ct);
        var problem = await Http.AssertProblemAsync(response, HttpStatusCode.NotFound, Ct);
        Assert.Contains("/openapi/v1.json", problem.Detail(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongMethodOrBodyType_ProblemSayingWhatToDo()
    {
        using var put = await host.Operator.PutAsync("/api/elements", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"), Ct);
        Assert.Contains("PUT", (await Http.AssertProblemAsync(put, HttpStatusCode.MethodNotAllowed, Ct)).Detail(), StringComparison.Ordinal);
        using var text = await host.Operator.PostAsync("/api/elements", new StringContent("{}", System.Text.Encoding.UTF8, "text/plain"), Ct);
        Assert.Contains("application/json", (await Http.AssertProblemAsync(text, HttpStatusCode.UnsupportedMediaType, Ct)).Detail(), StringComparison.Ordinal);
    }
}
