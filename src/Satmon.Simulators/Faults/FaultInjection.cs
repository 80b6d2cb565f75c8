using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Satmon.Simulators.Faults;

/// <summary>Writes the body of an injected error response (status and headers are already set).</summary>
public delegate Task FaultResponseWriter(HttpContext context, FaultRule rule);

/// <summary>
/// Applies the generic rules of a <see cref="FaultQueue"/> (status, delay, truncated body) to requests.
/// <see cref="FaultKind.Duplicate"/> rules are left for the endpoints that know what an item is.
/// </summary>
public sealed class FaultInjection : IDisposable
{
    private readonly FaultQueue queue;
    private readonly TimeProvider timeProvider;
    private readonly FaultResponseWriter writeError;
    private readonly PathString excluded;
    private readonly CancellationTokenSource stopping = new();
    private int delaysInProgress;

    /// <param name="queue">Rules to apply.</param>
    /// <param name="timeProvider">Clock for delays. With a fake clock a delayed request only finishes when the
    /// test advances the clock past the delay; poll <see cref="DelaysInProgress"/> before advancing.</param>
    /// <param name="writeError">Body writer for injected status codes (the vendor's error shape).</param>
    /// <param name="excludedPrefix">Paths never touched (the admin endpoints).</param>
    public FaultInjection(FaultQueue queue, TimeProvider timeProvider, FaultResponseWriter writeError, string excludedPrefix = "/_admin")
    {
        this.queue = queue;
        this.timeProvider = timeProvider;
        this.writeError = writeError;
        excluded = new PathString(excludedPrefix);
    }

    /// <summary>Requests currently waiting in an injected delay.</summary>
    public int DelaysInProgress => Volatile.Read(ref delaysInProgress);

    /// <summary>
    /// Ends every injected delay now (the held requests fail). Call before stopping the server: with a fake
    /// clock nothing else would ever release them, and graceful shutdown would wait for its full timeout.
    /// </summary>
    public void CancelDelays() => stopping.Cancel();

    /// <inheritdoc />
    public void Dispose() => stopping.Dispose();

    /// <summary>Adds the fault middleware to <paramref name="app"/>.</summary>
    public void UseIn(IApplicationBuilder app) => app.Use(next => context => InvokeAsync(context, next));

    private async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var path = context.Request.Path;
        if (path.StartsWithSegments(excluded, StringComparison.OrdinalIgnoreCase))
        {
            await next(context);
            return;
        }

        if (queue.TryTake(path, r => r.Kind == FaultKind.Delay, out var slow))
        {
            // Count only once the timer exists: a test that sees the count and advances a fake clock must not
            // be able to do so before the delay started measuring.
            using var aborted = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping.Token);
            var delay = Task.Delay(slow.Delay, timeProvider, aborted.Token);
            Interlocked.Increment(ref delaysInProgress);
            try
            {
                await delay;
            }
            finally
            {
                Interlocked.Decrement(ref delaysInProgress);
            }
        }

        if (!queue.TryTake(path, r => r.Kind is FaultKind.Status or FaultKind.TruncateBody, out var rule))
        {
            await next(context);
            return;
        }

        if (rule.Kind == FaultKind.Status)
        {
            context.Response.StatusCode = rule.StatusCode;
            if (rule.RetryAfter is { } retryAfter)
            {
                var seconds = (long)Math.Ceiling(retryAfter.TotalSeconds);
                context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            }

            await writeError(context, rule);
            return;
        }

        await TruncateAsync(context, next);
    }

    // The whole body is buffered so that exactly half of it goes out with a matching Content-Length: the client
    // sees a complete HTTP response whose JSON is cut, not a broken connection.
    private static async Task TruncateAsync(HttpContext context, RequestDelegate next)
    {
        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }

        var cut = (int)(buffer.Length / 2);
        context.Response.ContentLength = cut;
        await original.WriteAsync(buffer.GetBuffer().AsMemory(0, cut), context.RequestAborted);
    }
}
