using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Satmon.Simulators.Faults;

/// <summary>
/// The generic admin surface of a simulator (no auth, JSON): queue, list and clear fault rules, read and reset
/// request counts. Vendor-specific admin calls (expire tokens, subscriptions) are mapped by each simulator.
/// </summary>
public static class FaultAdminEndpoints
{
    /// <summary>
    /// Maps <c>POST|GET|DELETE {prefix}/faults</c>, <c>GET|DELETE {prefix}/requests</c> and
    /// <c>GET {prefix}/faults/delays</c> (requests waiting in an injected delay).
    /// </summary>
    public static RouteGroupBuilder MapFaultAdmin(
        this IEndpointRouteBuilder endpoints, FaultQueue queue, FaultInjection injection, RequestRecorder recorder, string prefix = "/_admin")
    {
        var group = endpoints.MapGroup(prefix);
        group.MapPost("/faults", context => AddFaultAsync(context, queue));
        group.MapGet("/faults", context => WriteAsync(context, queue.Pending.Select(ToBody).ToList(), FaultsJsonContext.Default.ListFaultRuleBody));
        group.MapDelete("/faults", context =>
        {
            queue.Clear();
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        });
        group.MapGet("/faults/delays", context =>
            WriteAsync(context, new DelaysBody(injection.DelaysInProgress), FaultsJsonContext.Default.DelaysBody));
        group.MapGet("/requests", context =>
            WriteAsync(context, new RequestsBody(recorder.CountsByPath, recorder.Recent), FaultsJsonContext.Default.RequestsBody));
        group.MapDelete("/requests", context =>
        {
            recorder.Reset();
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        });
        return group;
    }

    /// <summary>Reads an admin JSON body; answers 400 and returns null when it is missing or invalid.</summary>
    public static async Task<T?> ReadBodyAsync<T>(HttpContext context, JsonTypeInfo<T> typeInfo)
        where T : class
    {
        try
        {
            var body = await context.Request.ReadFromJsonAsync(typeInfo, cancellationToken: context.RequestAborted);
            if (body is not null)
            {
                return body;
            }
        }
        catch (JsonException ex)
        {
            await WriteErrorAsync(context, $"Invalid JSON body: {ex.Message}");
            return null;
        }
        catch (InvalidOperationException ex)
        {
            // No or wrong Content-Type.
            await WriteErrorAsync(context, ex.Message);
            return null;
        }

        await WriteErrorAsync(context, "A JSON body is required.");
        return null;
    }

    /// <summary>Answers 400 with <c>{"error": message}</c>.</summary>
    public static Task WriteErrorAsync(HttpContext context, string message)
    {
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        return context.Response.WriteAsJsonAsync(new AdminError(message), FaultsJsonContext.Default.AdminError, cancellationToken: context.RequestAborted);
    }

    private static async Task AddFaultAsync(HttpContext context, FaultQueue queue)
    {
        var body = await ReadBodyAsync(context, FaultsJsonContext.Default.FaultRuleBody);
        if (body is null)
        {
            return;
        }

        if (!Enum.TryParse<FaultKind>(body.Kind, ignoreCase: true, out var kind) || !Enum.IsDefined(kind))
        {
            await WriteErrorAsync(context, $"kind must be one of {string.Join(", ", Enum.GetNames<FaultKind>())} (was '{body.Kind}').");
            return;
        }

        var rule = new FaultRule
        {
            Kind = kind,
            Count = body.Count ?? 1,
            PathPrefix = body.PathPrefix,
            StatusCode = body.StatusCode ?? 500,
            RetryAfter = body.RetryAfterSeconds is { } s ? TimeSpan.FromSeconds(s) : null,
            Delay = TimeSpan.FromMilliseconds(body.DelayMilliseconds ?? 0),
            Items = body.Items ?? 1,
        };
        try
        {
            queue.Add(rule);
        }
        catch (ArgumentException ex)
        {
            await WriteErrorAsync(context, ex.Message);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status201Created;
        await context.Response.WriteAsJsonAsync(ToBody(new PendingFault(rule, rule.Count)), FaultsJsonContext.Default.FaultRuleBody, cancellationToken: context.RequestAborted);
    }

    private static FaultRuleBody ToBody(PendingFault pending)
    {
        var rule = pending.Rule;
        return new FaultRuleBody
        {
            Kind = rule.Kind.ToString(),
            Count = pending.Remaining,
            PathPrefix = rule.PathPrefix,
            StatusCode = rule.Kind == FaultKind.Status ? rule.StatusCode : null,
            RetryAfterSeconds = rule.RetryAfter is { } r ? (long)Math.Ceiling(r.TotalSeconds) : null,
            DelayMilliseconds = rule.Kind == FaultKind.Delay ? (long)rule.Delay.TotalMilliseconds : null,
            Items = rule.Kind == FaultKind.Duplicate ? rule.Items : null,
        };
    }

    private static Task WriteAsync<T>(HttpContext context, T value, JsonTypeInfo<T> typeInfo) =>
        context.Response.WriteAsJsonAsync(value, typeInfo, cancellationToken: context.RequestAborted);
}

/// <summary>Admin JSON for a fault rule: <c>kind</c> is Status, Delay, TruncateBody or Duplicate (any case).</summary>
public sealed class FaultRuleBody
{
    public string? Kind { get; set; }

    /// <summary>Requests the rule applies to (when listing: requests it has left).</summary>
    public int? Count { get; set; }

    public string? PathPrefix { get; set; }

    public int? StatusCode { get; set; }

    public long? RetryAfterSeconds { get; set; }

    public long? DelayMilliseconds { get; set; }

    public int? Items { get; set; }
}

internal sealed record AdminError(string Error);

internal sealed record DelaysBody(int InProgress);

internal sealed record RequestsBody(IReadOnlyDictionary<string, int> Counts, IReadOnlyList<RecordedRequest> Recent);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(FaultRuleBody))]
[JsonSerializable(typeof(List<FaultRuleBody>))]
[JsonSerializable(typeof(AdminError))]
[JsonSerializable(typeof(DelaysBody))]
[JsonSerializable(typeof(RequestsBody))]
internal sealed partial class FaultsJsonContext : JsonSerializerContext;
