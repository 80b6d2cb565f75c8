using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Satmon.Tests.Support;

namespace Satmon.Tests;

public sealed class ElementApiTests(SatmonHost host) : IClassFixture<SatmonHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Secret_SetThroughApi_NeverInResponsesLogsOrDatabaseFile()
    {
        const string secret = "Sup3r-S3cret-T0ken-value-4711";
        const string secret2 = "Second-S3cret-T0ken-value-0815";
        var responses = new List<string>();

        using (var create = await host.Operator.PostAsJsonAsync("/api/elements", new
        {
            name = "Secret keeper",
            connector = TestConnector.Id,
            settings = new { baseUrl = "https://vendor.example", token = secret },
        }, Ct))
        {
            Assert.Equal(HttpStatusCode.Created, create.StatusCode);
            Assert.Equal("/api/elements/secret-keeper", create.Headers.Location?.OriginalString);
            responses.Add(await create.Content.ReadAsStringAsync(Ct));
        }

        await host.Elements.WhenIdleAsync("secret-keeper");
        var one = await host.Operator.GetObjectAsync("/api/elements/secret-keeper", Ct);
        Assert.True(one["settings"]!["token"]!["set"]!.GetValue<bool>());
        Assert.Equal("https://vendor.example", one["settings"]!["baseUrl"]!.GetValue<string>());
        responses.Add(one.ToJsonString());
        responses.Add((await host.Operator.GetArrayAsync("/api/elements", Ct)).ToJsonString());
        responses.Add((await host.Viewer.GetArrayAsync("/api/elements", Ct)).ToJsonString());

        using (var patch = await host.Operator.PatchAsJsonAsync("/api/elements/secret-keeper", new { settings = new { token = secret2 } }, Ct))
        {
            var body = await Http.ReadObjectAsync(patch, Ct);
            Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
            Assert.True(body["settings"]!["token"]!["set"]!.GetValue<bool>());
            responses.Add(body.ToJsonString());
        }

        // An invalid change that includes a secret: the error must not echo it either.
        using (var bad = await host.Operator.PatchAsJsonAsync("/api/elements/secret-keeper", new { settings = new { token = secret, baseUrl = "nope" } }, Ct))
        {
            await Http.AssertProblemAsync(bad, HttpStatusCode.BadRequest, Ct);
            responses.Add(await bad.Content.ReadAsStringAsync(Ct));
        }

        await host.Elements.WhenIdleAsync("secret-keeper");
        responses.Add((await host.Operator.GetArrayAsync("/api/elements/secret-keeper/polling", Ct)).ToJsonString());

        foreach (var text in responses)
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            Assert.DoesNotContain(secret2, text, StringComparison.Ordinal);
        }

        var logLines = host.Logs.GetSnapshot().Select(r => $"{r.Category} {r.Message} {r.Exception} {string.Join(";", r.StructuredState ?? [])}").ToList();
        Assert.NotEmpty(logLines);
        Assert.Contains(logLines, l => l.Contains("secret-keeper", StringComparison.Ordinal)); // the capture sees this element's lines
        Assert.DoesNotContain(logLines, l => l.Contains(secret, StringComparison.Ordinal) || l.Contains(secret2, StringComparison.Ordinal));

        foreach (var file in Directory.EnumerateFiles(host.DataDirectory, "*", SearchOption.AllDirectories))
        {
            var bytes = await ReadSharedAsync(file);
            foreach (var s in new[] { secret, secret2 })
            {
                Assert.False(Contains(bytes, Encoding.UTF8.GetBytes(s)), $"{Path.GetFileName(file)} holds a secret in UTF-8");
                Assert.False(Contains(bytes, Encoding.Unicode.GetBytes(s)), $"{Path.GetFileName(file)} holds a secret in UTF-16");
            }
        }
    }

    [Theory]
    [InlineData("baseUrl", """{"baseUrl":"not a url","token":"t"}""")]
    [InlineData("intervalSeconds", """{"baseUrl":"https://v.example","token":"t","intervalSeconds":5}""")]
    [InlineData("colour", """{"baseUrl":"https://v.example","token":"t","colour":"red"}""")]
    [InlineData("token", """{"baseUrl":"https://v.example"}""")]
    [InlineData("token", """{"baseUrl":"https://v.example","token":{"nested":true}}""")]
    public async Task Create_InvalidSettings_400NamingKeyAndNothingStored(string key, string settingsJson)
    {
        var before = (await host.Operator.GetArrayAsync("/api/elements", Ct)).ToJsonString();
        var body = $$"""{"name":"Invalid one","connector":"test","settings":{{settingsJson}}}""";
        using var response = await host.Operator.PostAsync("/api/elements", new StringContent(body, Encoding.UTF8, "application/json"), Ct);
        var problem = await Http.AssertProblemAsync(response, HttpStatusCode.BadRequest, Ct);
        var errors = problem["errors"]!.AsObject();
        Assert.True(errors.ContainsKey(key), $"errors should name '{key}': {problem.ToJsonString()}");
        Assert.Contains(key, errors[key]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(before, (await host.Operator.GetArrayAsync("/api/elements", Ct)).ToJsonString());
    }

    [Fact]
    public async Task Create_UnknownConnector_400ListingKnown()
    {
        using var response = await host.Operator.PostAsJsonAsync("/api/elements", new { name = "X", connector = "nope", settings = new { } }, Ct);
        var problem = await Http.AssertProblemAsync(response, HttpStatusCode.BadRequest, Ct);
        Assert.Contains("nope", problem.Detail(), StringComparison.Ordinal);
        Assert.Contains("test", problem.Detail(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_MalformedJson_400SayingWhatIsWrong()
    {
        using var response = await host.Operator.PostAsync("/api/elements", new StringContent("{\"name\": ", Encoding.UTF8, "application/json"), Ct);
        var problem = await Http.AssertProblemAsync(response, HttpStatusCode.BadRequest, Ct);
        Assert.Contains("JSON", problem.Detail(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_MissingName_400NamingName()
    {
        using var response = await host.Operator.PostAsJsonAsync("/api/elements", new { connector = "test", settings = new { } }, Ct);
        var problem = await Http.AssertProblemAsync(response, HttpStatusCode.BadRequest, Ct);
        Assert.True(problem["errors"]!.AsObject().ContainsKey("name"));
    }

    [Fact]
    public async Task Create_SameNameTwice_409()
    {
        await host.CreateElementAsync("Twin", ct: Ct);
        using var response = await host.Operator.PostAsJsonAsync("/api/elements", new
        {
            name = "Twin",
            connector = TestConnector.Id,
            settings = new { baseUrl = "https://vendor.example", token = "t" },
        }, Ct);
        var problem = await Http.AssertProblemAsync(response, HttpStatusCode.Conflict, Ct);
        Assert.Contains("twin", problem.Detail(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "/api/elements/no-such-element")]
    [InlineData("PATCH", "/api/elements/no-such-element")]
    [InlineData("DELETE", "/api/elements/no-such-element")]
    [InlineData("POST", "/api/elements/no-such-element/start")]
    [InlineData("GET", "/api/elements/no-such-element/polling")]
    [InlineData("GET", "/api/elements/no-such-element/tables/things")]
    public async Task UnknownElement_404Problem(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "PATCH")
        {
            request.Content = JsonContent.Create(new { name = "x" });
        }

        using var response = await host.Operator.SendAsync(request, Ct);
        var problem = await Http.AssertProblemAsync(response, HttpStatusCode.NotFound, Ct);
        Assert.Contains("no-such-element", problem.Detail(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Element_StopStartDelete_StateFollows()
    {
        await host.CreateElementAsync("Lifecycle", ct: Ct);
        var stopped = await PostObjectAsync("/api/elements/lifecycle/stop");
        Assert.Equal("stopped", stopped["state"]!.GetValue<string>());
        Assert.False(stopped["enabled"]!.GetValue<bool>());

        using (var poll = await host.Operator.PostAsync("/api/elements/lifecycle/polling/poll", null, Ct))
        {
            var problem = await Http.AssertProblemAsync(poll, HttpStatusCode.Conflict, Ct);
            Assert.Contains("start", problem.Detail(), StringComparison.Ordinal);
        }

        var started = await PostObjectAsync("/api/elements/lifecycle/start");
        Assert.True(started["enabled"]!.GetValue<bool>());
        await host.Elements.WhenIdleAsync("lifecycle");
        var running = await host.Operator.GetObjectAsync("/api/elements/lifecycle", Ct);
        Assert.Equal("running", running["state"]!.GetValue<string>());

        using var delete = await host.Operator.DeleteAsync("/api/elements/lifecycle", Ct);
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        using var gone = await host.Operator.GetAsync("/api/elements/lifecycle", Ct);
        await Http.AssertProblemAsync(gone, HttpStatusCode.NotFound, Ct);
    }

    [Fact]
    public async Task Command_Unknown_404ListingCommands()
    {
        await host.CreateElementAsync("Commander", ct: Ct);
        using var response = await host.Operator.PostAsync("/api/elements/commander/commands/launch", null, Ct);
        var problem = await Http.AssertProblemAsync(response, HttpStatusCode.NotFound, Ct);
        Assert.Contains("authenticate", problem.Detail(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Command_UnexpectedException_500ProblemWithoutDetailsOrSecrets()
    {
        await host.CreateElementAsync("Exploder", token: "exploding-secret-token", ct: Ct);
        using var response = await host.Operator.PostAsync("/api/elements/exploder/commands/explode", null, Ct);
        var problem = await Http.AssertProblemAsync(response, HttpStatusCode.InternalServerError, Ct);
        var text = problem.ToJsonString();
        Assert.DoesNotContain("Internal detail", text, StringComparison.Ordinal);
        Assert.DoesNotContain("exploding-secret-token", text, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        Assert.Contains("traceId", problem.Detail(), StringComparison.Ordinal);
    }

    private async Task<JsonObject> PostObjectAsync(string path)
    {
        using var response = await host.Operator.PostAsync(path, null, Ct);
        var body = await Http.ReadObjectAsync(response, Ct);
        Assert.True(response.IsSuccessStatusCode, body.ToJsonString());
        return body;
    }

    private static async Task<byte[]> ReadSharedAsync(string path)
    {
        // The host still has the database open; read it without locking it.
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, Ct);
        return copy.ToArray();
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;
}
