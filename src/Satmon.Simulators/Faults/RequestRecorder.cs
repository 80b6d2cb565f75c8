using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Satmon.Simulators.Faults;

/// <summary>One request the simulator answered.</summary>
/// <param name="Time">When it arrived, on the simulator's clock.</param>
/// <param name="Method">HTTP method.</param>
/// <param name="Path">Request path without query.</param>
/// <param name="Query">Raw query string, including the leading '?', or empty.</param>
/// <param name="StatusCode">Status code that was sent.</param>
public sealed record RecordedRequest(DateTimeOffset Time, string Method, string Path, string Query, int StatusCode);

/// <summary>
/// Counts requests per path and keeps the most recent ones, so tests can assert how a client behaved
/// (how many token calls, which query parameters). Admin paths are not recorded.
/// </summary>
public sealed class RequestRecorder
{
    private readonly ConcurrentDictionary<string, int> counts = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentQueue<RecordedRequest> recent = new();
    private readonly TimeProvider timeProvider;
    private readonly PathString excluded;

    /// <param name="timeProvider">Clock that stamps the records.</param>
    /// <param name="capacity">How many recent requests to keep (older ones are dropped; counts are kept).</param>
    /// <param name="excludedPrefix">Paths never recorded (the admin endpoints).</param>
    public RequestRecorder(TimeProvider timeProvider, int capacity = 10_000, string excludedPrefix = "/_admin")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        this.timeProvider = timeProvider;
        Capacity = capacity;
        excluded = new PathString(excludedPrefix);
    }

    /// <summary>How many recent requests are kept.</summary>
    public int Capacity { get; }

    /// <summary>The most recent requests, oldest first, once they have been answered.</summary>
    public IReadOnlyList<RecordedRequest> Recent => [.. recent];

    /// <summary>Requests received per path (counted on arrival, so a request still waiting is included).</summary>
    public IReadOnlyDictionary<string, int> CountsByPath => new Dictionary<string, int>(counts, StringComparer.OrdinalIgnoreCase);

    /// <summary>Requests received for exactly <paramref name="path"/> (case-insensitive).</summary>
    public int CountFor(string path) => counts.TryGetValue(path, out var n) ? n : 0;

    /// <summary>Forget all counts and records.</summary>
    public void Reset()
    {
        counts.Clear();
        recent.Clear();
    }

    /// <summary>Adds the recording middleware to <paramref name="app"/>; add it first so it sees every answer.</summary>
    public void UseIn(IApplicationBuilder app) => app.Use(next => context => InvokeAsync(context, next));

    private async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        if (request.Path.StartsWithSegments(excluded, StringComparison.OrdinalIgnoreCase))
        {
            await next(context);
            return;
        }

        var arrived = timeProvider.GetUtcNow();
        var path = request.Path.Value ?? "/";
        counts.AddOrUpdate(path, 1, (_, n) => n + 1);
        try
        {
            await next(context);
        }
        finally
        {
            recent.Enqueue(new RecordedRequest(arrived, request.Method, path, request.QueryString.Value ?? "", context.Response.StatusCode));
            while (recent.Count > Capacity && recent.TryDequeue(out _))
            {
            }
        }
    }
}
