using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Satmon.Tests.Support;

namespace Satmon.Tests;

public sealed class PollingApiTests(SatmonHost host) : IClassFixture<SatmonHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Polling_AfterCreate_ListsTasksWithDependencyAndSuccess()
    {
        await host.CreateElementAsync("Rows", ct: Ct);
        var rows = await host.Viewer.GetArrayAsync("/api/elements/rows/polling", Ct);
        var hello = Row(rows, "hello");
        var data = Row(rows, "data");
        Assert.Equal("hello", data["dependsOn"]!.GetValue<string>());
        Assert.Equal(3600, hello["defaultIntervalSeconds"]!.GetValue<double>());
        Assert.Equal(300, data["intervalSeconds"]!.GetValue<double>());
        Assert.Equal("succeeded", hello["status"]!.GetValue<string>());
        Assert.Equal("succeeded", data["status"]!.GetValue<string>());
        Assert.Equal(host.Time.GetUtcNow(), data["lastStart"]!.GetValue<DateTimeOffset>());
        Assert.EndsWith("Z", data["lastStart"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Patch_IntervalAndEnabled_ChangeAndNullResetsAbsentKeeps()
    {
        await host.CreateElementAsync("Patchy", ct: Ct);

        var changed = await PatchAsync("/api/elements/patchy/polling/data", """{"intervalSeconds": 60}""");
        Assert.Equal(60, changed["intervalSeconds"]!.GetValue<double>());
        Assert.Equal(60, changed["customIntervalSeconds"]!.GetValue<double>());

        var disabled = await PatchAsync("/api/elements/patchy/polling/data", """{"enabled": false}""");
        Assert.False(disabled["enabled"]!.GetValue<bool>());
        Assert.Equal("disabled", disabled["status"]!.GetValue<string>());
        Assert.Equal(60, disabled["customIntervalSeconds"]!.GetValue<double>()); // absent: kept

        var reset = await PatchAsync("/api/elements/patchy/polling/data", """{"intervalSeconds": null, "enabled": true}""");
        Assert.True(reset["enabled"]!.GetValue<bool>());
        Assert.Null(reset["customIntervalSeconds"]);
        Assert.Equal(300, reset["intervalSeconds"]!.GetValue<double>());

        var listed = Row(await host.Viewer.GetArrayAsync("/api/elements/patchy/polling", Ct), "data");
        Assert.True(listed["enabled"]!.GetValue<bool>());
        Assert.Equal(300, listed["intervalSeconds"]!.GetValue<double>());
    }

    [Theory]
    [InlineData("""{"intervalSeconds": 0}""", "intervalSeconds")]
    [InlineData("""{"intervalSeconds": "soon"}""", "intervalSeconds")]
    [InlineData("""{"enabled": "maybe"}""", "enabled")]
    public async Task Patch_BadValue_400NamingMember(string json, string member)
    {
        await EnsureElementAsync("badpatch");
        using var response = await host.Operator.PatchAsync("/api/elements/badpatch/polling/data", new StringContent(json, Encoding.UTF8, "application/json"), Ct);
        var problem = await Http.AssertProblemAsync(response, HttpStatusCode.BadRequest, Ct);
        Assert.Contains(member, problem.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Patch_UnknownTask_404ListingTasks()
    {
        await EnsureElementAsync("badpatch");
        using var response = await host.Operator.PatchAsJsonAsync("/api/elements/badpatch/polling/nope", new { enabled = true }, Ct);
        var problem = await Http.AssertProblemAsync(response, HttpStatusCode.NotFound, Ct);
        Assert.Contains("hello", problem.Detail(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PollNow_OneTask_UpdatesLastStart()
    {
        await host.CreateElementAsync("Poll now", ct: Ct);
        var before = Row(await host.Viewer.GetArrayAsync("/api/elements/poll-now/polling", Ct), "data")["lastStart"]!.GetValue<DateTimeOffset>();

        host.Time.Advance(TimeSpan.FromMinutes(1)); // not yet due: the 5-minute interval has not passed
        using var response = await host.Operator.PostAsync("/api/elements/poll-now/polling/data/poll", null, Ct);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await host.Elements.WhenIdleAsync("poll-now");

        var data = await WaitForRowAsync("poll-now", "data", r => r["lastStart"]!.GetValue<DateTimeOffset>() > before);
        Assert.Equal(before + TimeSpan.FromMinutes(1), data["lastStart"]!.GetValue<DateTimeOffset>());
        Assert.Equal("succeeded", data["status"]!.GetValue<string>());
        var hello = Row(await host.Viewer.GetArrayAsync("/api/elements/poll-now/polling", Ct), "hello");
        Assert.Equal(before, hello["lastStart"]!.GetValue<DateTimeOffset>()); // only the one task ran
    }

    [Fact]
    public async Task PollNow_All_UpdatesEveryTask()
    {
        await host.CreateElementAsync("Poll all", ct: Ct);
        host.Time.Advance(TimeSpan.FromSeconds(30));
        var now = host.Time.GetUtcNow();
        using var response = await host.Operator.PostAsync("/api/elements/poll-all/polling/poll", null, Ct);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await host.Elements.WhenIdleAsync("poll-all");
        await WaitForRowAsync("poll-all", "hello", r => r["lastStart"]!.GetValue<DateTimeOffset>() == now);
        await WaitForRowAsync("poll-all", "data", r => r["lastStart"]!.GetValue<DateTimeOffset>() == now);
    }

    [Fact]
    public async Task Interval_Elapsed_PollsAgainOnTheFakeClock()
    {
        await host.CreateElementAsync("Ticking", ct: Ct);
        var first = Row(await host.Viewer.GetArrayAsync("/api/elements/ticking/polling", Ct), "data")["lastStart"]!.GetValue<DateTimeOffset>();
        await host.AdvanceAsync("ticking", TimeSpan.FromMinutes(5));
        var data = await WaitForRowAsync("ticking", "data", r => r["lastStart"]!.GetValue<DateTimeOffset>() > first);
        Assert.Equal(first + TimeSpan.FromMinutes(5), data["lastStart"]!.GetValue<DateTimeOffset>());
    }

    private async Task EnsureElementAsync(string id)
    {
        using var response = await host.Operator.GetAsync($"/api/elements/{id}", Ct);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            await host.CreateElementAsync(id, ct: Ct);
        }
    }

    private async Task<JsonObject> PatchAsync(string path, string json)
    {
        using var response = await host.Operator.PatchAsync(path, new StringContent(json, Encoding.UTF8, "application/json"), Ct);
        var body = await Http.ReadObjectAsync(response, Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        return body;
    }

    /// <summary>Bounded poll on the API: the row is persisted by a background run.</summary>
    private async Task<JsonObject> WaitForRowAsync(string element, string task, Func<JsonObject, bool> condition)
    {
        JsonObject row = null!;
        await Eventually.TrueAsync(async () =>
        {
            row = Row(await host.Viewer.GetArrayAsync($"/api/elements/{element}/polling", Ct), task);
            return condition(row);
        }, $"polling row {element}/{task} did not reach the expected state");
        return row;
    }

    private static JsonObject Row(JsonArray rows, string task) =>
        rows.Single(r => r!["name"]!.GetValue<string>() == task)!.AsObject();
}
