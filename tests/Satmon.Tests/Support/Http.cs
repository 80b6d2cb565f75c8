using System.Net;
using System.Text.Json.Nodes;

namespace Satmon.Tests.Support;

/// <summary>Small helpers to read JSON answers and problem details.</summary>
public static class Http
{
    public static async Task<JsonObject> ReadObjectAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct);
        return JsonNode.Parse(text) as JsonObject ?? throw new Xunit.Sdk.XunitException($"Not a JSON object: {text}");
    }

    public static async Task<JsonArray> ReadArrayAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct);
        return JsonNode.Parse(text) as JsonArray ?? throw new Xunit.Sdk.XunitException($"Not a JSON array: {text}");
    }

    public static async Task<JsonObject> GetObjectAsync(this HttpClient client, string url, CancellationToken ct)
    {
        using var response = await client.GetAsync(url, ct);
        var body = await ReadObjectAsync(response, ct);
        Assert.True(response.IsSuccessStatusCode, $"GET {url}: {(int)response.StatusCode} {body.ToJsonString()}");
        return body;
    }

    public static async Task<JsonArray> GetArrayAsync(this HttpClient client, string url, CancellationToken ct)
    {
        using var response = await client.GetAsync(url, ct);
        Assert.True(response.IsSuccessStatusCode, $"GET {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
        return await ReadArrayAsync(response, ct);
    }

    /// <summary>Asserts an RFC 9457 problem with the status, and returns it.</summary>
    public static async Task<JsonObject> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct);
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(text)!.AsObject();
        Assert.Equal((int)status, problem["status"]!.GetValue<int>());
        Assert.False(string.IsNullOrWhiteSpace(problem["title"]?.GetValue<string>()), "problem has a title");
        return problem;
    }

    public static string Detail(this JsonObject problem) => problem["detail"]?.GetValue<string>() ?? "";
}
