using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Satmon.Tests.Support;

namespace Satmon.Tests;

public sealed class AuthTests(SatmonHost host) : IClassFixture<SatmonHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Api_NoKey_401Problem()
    {
        using var response = await host.Anonymous.GetAsync("/api/elements", Ct);
        var problem = await Http.AssertProblemAsync(response, HttpStatusCode.Unauthorized, Ct);
        Assert.Contains("Bearer", problem.Detail(), StringComparison.Ordinal);
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("smk_not-a-real-key")]
    [InlineData("")]
    public async Task Api_BadKey_401Problem(string key)
    {
        using var client = host.CreateClient(null);
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bearer " + key);
        using var response = await client.GetAsync("/api/elements", Ct);
        var problem = await Http.AssertProblemAsync(response, HttpStatusCode.Unauthorized, Ct);
        Assert.DoesNotContain("not-a-real-key", problem.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_BasicScheme_401Problem()
    {
        using var client = host.CreateClient(null);
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Basic " + host.OperatorKey);
        using var response = await client.GetAsync("/api/elements", Ct);
        var problem = await Http.AssertProblemAsync(response, HttpStatusCode.Unauthorized, Ct);
        Assert.Contains("Bearer <api key>", problem.Detail(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Viewer_Get_200()
    {
        using var response = await host.Viewer.GetAsync("/api/elements", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var connectors = await host.Viewer.GetAsync("/api/connectors", Ct);
        Assert.Equal(HttpStatusCode.OK, connectors.StatusCode);
    }

    [Fact]
    public async Task Viewer_CreateElement_403ProblemAndNothingStored()
    {
        using var response = await host.Viewer.PostAsJsonAsync("/api/elements", new
        {
            name = "Viewer made",
            connector = TestConnector.Id,
            settings = new { baseUrl = "https://vendor.example", token = "t" },
        }, Ct);
        var problem = await Http.AssertProblemAsync(response, HttpStatusCode.Forbidden, Ct);
        Assert.Contains("operator", problem.Detail(), StringComparison.Ordinal);
        var list = await host.Operator.GetArrayAsync("/api/elements", Ct);
        Assert.DoesNotContain(list, e => e!["id"]!.GetValue<string>() == "viewer-made");
    }

    [Fact]
    public async Task Viewer_CommandAndPatches_403()
    {
        var element = await host.CreateElementAsync("Auth target", ct: Ct);
        var id = element["id"]!.GetValue<string>();

        using var command = await host.Viewer.PostAsync($"/api/elements/{id}/commands/authenticate", null, Ct);
        await Http.AssertProblemAsync(command, HttpStatusCode.Forbidden, Ct);
        using var polling = await host.Viewer.PatchAsJsonAsync($"/api/elements/{id}/polling/data", new { enabled = false }, Ct);
        await Http.AssertProblemAsync(polling, HttpStatusCode.Forbidden, Ct);
        using var patch = await host.Viewer.PatchAsJsonAsync($"/api/elements/{id}", new { name = "Renamed" }, Ct);
        await Http.AssertProblemAsync(patch, HttpStatusCode.Forbidden, Ct);
        using var delete = await host.Viewer.DeleteAsync($"/api/elements/{id}", Ct);
        await Http.AssertProblemAsync(delete, HttpStatusCode.Forbidden, Ct);

        // Nothing changed; the operator can do what the viewer could not.
        var after = await host.Viewer.GetObjectAsync($"/api/elements/{id}", Ct);
        Assert.Equal("Auth target", after["name"]!.GetValue<string>());
        using var allowed = await host.Operator.PostAsync($"/api/elements/{id}/commands/authenticate", null, Ct);
        var result = await Http.ReadObjectAsync(allowed, Ct);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.True(result["success"]!.GetValue<bool>());
    }

    [Fact]
    public void Endpoints_EveryMutatingRoute_RequiresOperator()
    {
        var endpoints = host.App.Services.GetServices<EndpointDataSource>().SelectMany(s => s.Endpoints).OfType<RouteEndpoint>().ToList();
        // The API's routes; the dashboard's pages (sign-in is anonymous by nature) are guarded by cookie and role instead.
        var mutating = endpoints
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api", StringComparison.Ordinal) == true)
            .Where(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Any(m => m is "POST" or "PUT" or "PATCH" or "DELETE") == true)
            .ToList();
        Assert.True(mutating.Count >= 9, $"expected the API's mutating routes, found {mutating.Count}");
        foreach (var endpoint in mutating)
        {
            Assert.True(
                endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => a.Policy == "operator"),
                $"{endpoint.RoutePattern.RawText} does not require the operator policy");
            Assert.Null(endpoint.Metadata.GetMetadata<IAllowAnonymous>());
        }
    }

    [Fact]
    public async Task HealthAndMetrics_NoKey_AnonymousByDefault()
    {
        using var health = await host.Anonymous.GetAsync("/api/health", Ct);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        using var metrics = await host.Anonymous.GetAsync("/metrics", Ct);
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
    }
}

/// <summary>A host with anonymous health and metrics turned off.</summary>
public sealed class LockedDownHost : SatmonHost
{
    public override string[] ExtraArgs => ["--Auth:AllowAnonymousHealth=false", "--Auth:AllowAnonymousMetrics=false"];
}

public sealed class LockedDownAuthTests(LockedDownHost host) : IClassFixture<LockedDownHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/api/health")]
    [InlineData("/metrics")]
    public async Task Route_AnonymousOff_401WithoutKeyAnd200WithViewer(string path)
    {
        using var anonymous = await host.Anonymous.GetAsync(path, Ct);
        await Http.AssertProblemAsync(anonymous, HttpStatusCode.Unauthorized, Ct);
        using var viewer = await host.Viewer.GetAsync(path, Ct);
        Assert.Equal(HttpStatusCode.OK, viewer.StatusCode);
    }
}
