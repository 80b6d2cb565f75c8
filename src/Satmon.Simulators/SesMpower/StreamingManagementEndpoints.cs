using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Satmon.Simulators.SesMpower;

/// <summary>MEF W147 Streaming Management (reference §5): topics and subscriptions, offset/limit paging.</summary>
internal static class StreamingManagementEndpoints
{
    public const string RelativePath = "/mefApi/legato/streamingManagement/v1";

    public static void Map(IEndpointRouteBuilder endpoints, SesMpowerRuntime runtime)
    {
        var group = endpoints.MapGroup(runtime.Options.ApiPrefix + RelativePath);
        group.MapGet("/topic", context => ListTopicsAsync(context, runtime));
        group.MapGet("/topic/{id}", context => GetTopicAsync(context, runtime));
        group.MapGet("/subscription", context => ListSubscriptionsAsync(context, runtime));
        group.MapPost("/subscription", context => CreateSubscriptionAsync(context, runtime));
        group.MapGet("/subscription/{id}", context => GetSubscriptionAsync(context, runtime));
        group.MapDelete("/subscription/{id}", context => DeleteSubscriptionAsync(context, runtime));
    }

    private static Topic TopicOf(SesMpowerRuntime runtime) => new(
        runtime.Options.TopicId,
        "IP",
        "O3b mPOWER terminal performance",
        "https://ses-n-brace.com/schemas/terminalPerformance.1.0.0.schema.json",
        [new ChannelDescription("https", "Pull via pm-reports")]);

    private static Task ListTopicsAsync(HttpContext context, SesMpowerRuntime runtime)
    {
        var query = context.Request.Query;
        IEnumerable<Topic> topics = [TopicOf(runtime)];
        if (query["category"].ToString() is { Length: > 0 } category)
        {
            topics = topics.Where(t => string.Equals(t.Category, category, StringComparison.OrdinalIgnoreCase));
        }

        if (query["protocol"].ToString() is { Length: > 0 } protocol)
        {
            topics = topics.Where(t => t.AvailableChannels.Any(c => string.Equals(c.Protocol, protocol, StringComparison.OrdinalIgnoreCase)));
        }

        return PageAsync(context, runtime, [.. topics], SesMpowerJsonContext.Default.ListTopic);
    }

    private static Task GetTopicAsync(HttpContext context, SesMpowerRuntime runtime)
    {
        var id = RouteId(context);
        var topic = TopicOf(runtime);
        return string.Equals(id, topic.Id, StringComparison.Ordinal)
            ? MefErrors.WriteJsonAsync(context, topic, SesMpowerJsonContext.Default.Topic)
            : MefErrors.NotFoundAsync(context, $"Topic '{id}' does not exist");
    }

    private static Task ListSubscriptionsAsync(HttpContext context, SesMpowerRuntime runtime)
    {
        // W147 lets a client ask for an AsyncAPI document instead; the simulator cannot produce one (§5.1: 406).
        if (context.Request.Headers.Accept.ToString().Contains("application/vnd.aai.asyncapi+json", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.StatusCode = StatusCodes.Status406NotAcceptable;
            return Task.CompletedTask;
        }

        var query = context.Request.Query;
        IEnumerable<Subscription> subscriptions = runtime.Subscriptions.List(ApiAuthentication.UserOf(context));
        if (query["topicId"].ToString() is { Length: > 0 } topicId)
        {
            subscriptions = subscriptions.Where(s => string.Equals(s.TopicId, topicId, StringComparison.Ordinal));
        }

        if (query["protocol"].ToString() is { Length: > 0 } protocol)
        {
            subscriptions = subscriptions.Where(s => string.Equals(s.Protocol, protocol, StringComparison.OrdinalIgnoreCase));
        }

        return PageAsync(context, runtime, [.. subscriptions.Select(s => ToWire(context, runtime, s))], SesMpowerJsonContext.Default.ListTopicSubscription);
    }

    private static async Task CreateSubscriptionAsync(HttpContext context, SesMpowerRuntime runtime)
    {
        SubscriptionRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync(context.Request.Body, SesMpowerJsonContext.Default.SubscriptionRequest, context.RequestAborted);
        }
        catch (JsonException ex)
        {
            await MefErrors.WriteAsync(context, StatusCodes.Status400BadRequest, "invalidBody", "The body is not valid JSON", ex.Message);
            return;
        }

        if (request is null)
        {
            await MefErrors.WriteAsync(context, StatusCodes.Status400BadRequest, "invalidBody", "A TopicSubscriptionRequest body is required");
            return;
        }

        var topic = TopicOf(runtime);
        if (string.IsNullOrWhiteSpace(request.TopicId))
        {
            await MefErrors.UnprocessableAsync(context, "missingProperty", "topicId is required", propertyPath: "/topicId");
            return;
        }

        if (!string.Equals(request.TopicId, topic.Id, StringComparison.Ordinal))
        {
            await MefErrors.UnprocessableAsync(context, "referenceNotFound", $"Topic '{request.TopicId}' does not exist",
                $"Available topics: {topic.Id}", "/topicId");
            return;
        }

        if (string.IsNullOrWhiteSpace(request.Protocol))
        {
            await MefErrors.UnprocessableAsync(context, "missingProperty", "protocol is required", propertyPath: "/protocol");
            return;
        }

        var channel = topic.AvailableChannels.FirstOrDefault(c => string.Equals(c.Protocol, request.Protocol, StringComparison.OrdinalIgnoreCase));
        if (channel is null)
        {
            await MefErrors.UnprocessableAsync(context, "invalidValue", $"Protocol '{request.Protocol}' is not offered by topic '{topic.Id}'",
                $"Offered: {string.Join(", ", topic.AvailableChannels.Select(c => c.Protocol))}", "/protocol");
            return;
        }

        var subscription = runtime.Subscriptions.Create(ApiAuthentication.UserOf(context), topic.Id, channel.Protocol, request.Description, request.Priority);
        Log.SubscriptionCreated(runtime.Logger, subscription.Id, subscription.ExpiresAt);
        context.Response.StatusCode = StatusCodes.Status201Created;
        context.Response.Headers.Location = $"{context.Request.PathBase}{context.Request.Path}/{subscription.Id}";
        await MefErrors.WriteJsonAsync(context, ToWire(context, runtime, subscription), SesMpowerJsonContext.Default.TopicSubscription);
    }

    private static Task GetSubscriptionAsync(HttpContext context, SesMpowerRuntime runtime)
    {
        var id = RouteId(context);
        var subscription = runtime.Subscriptions.Find(id, ApiAuthentication.UserOf(context));
        return subscription is null
            ? MefErrors.NotFoundAsync(context, $"Subscription '{id}' does not exist")
            : MefErrors.WriteJsonAsync(context, ToWire(context, runtime, subscription), SesMpowerJsonContext.Default.TopicSubscription);
    }

    private static Task DeleteSubscriptionAsync(HttpContext context, SesMpowerRuntime runtime)
    {
        var id = RouteId(context);
        if (!runtime.Subscriptions.Delete(id, ApiAuthentication.UserOf(context)))
        {
            return MefErrors.NotFoundAsync(context, $"Subscription '{id}' does not exist");
        }

        context.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }

    private static TopicSubscription ToWire(HttpContext context, SesMpowerRuntime runtime, Subscription s)
    {
        var request = context.Request;
        var apiUrl = $"{request.Scheme}://{request.Host}{request.PathBase}{runtime.Options.ApiPrefix}";
        return new TopicSubscription(
            s.Id, s.TopicId, s.Protocol, s.Description, s.Priority,
            new ConnectionConfig(
                new Dictionary<string, ServerDescription> { ["nbrace"] = new(apiUrl, s.Protocol) },
                new ChannelRef($"pm-reports/{s.Id}")),
            runtime.Subscriptions.StatusOf(s),
            s.CreatedAt,
            s.ExpiresAt);
    }

    /// <summary>MEF offset/limit paging with X-Total-Count (all matching) and X-Result-Count (in this page).</summary>
    private static Task PageAsync<T>(HttpContext context, SesMpowerRuntime runtime, List<T> items, System.Text.Json.Serialization.Metadata.JsonTypeInfo<List<T>> typeInfo)
    {
        if (!PageRequest.TryRead(context.Request.Query, runtime.Options.MaxPageSize, out var request, out var error))
        {
            return MefErrors.InvalidQueryAsync(context, error);
        }

        var page = items.Skip((int)request.Offset).Take(request.Limit).ToList();
        var headers = context.Response.Headers;
        headers["X-Total-Count"] = items.Count.ToString(CultureInfo.InvariantCulture);
        headers["X-Result-Count"] = page.Count.ToString(CultureInfo.InvariantCulture);
        headers["X-Pagination-Throttled"] = request.Throttled && request.Offset + request.Limit < items.Count ? "true" : "false";
        return MefErrors.WriteJsonAsync(context, page, typeInfo);
    }

    private static string RouteId(HttpContext context) => context.Request.RouteValues["id"]?.ToString() ?? "";
}

/// <summary>A MEF <c>offset</c>/<c>limit</c> page request.</summary>
/// <param name="Offset">0-based index of the first item.</param>
/// <param name="Limit">Items to return at most, after the server maximum.</param>
/// <param name="RequestedLimit">The limit as sent; null when absent.</param>
internal sealed record PageRequest(long Offset, int Limit, int? RequestedLimit)
{
    /// <summary>True when the requested limit was larger than the server maximum and was cut.</summary>
    public bool Throttled => RequestedLimit > Limit;

    /// <summary>Reads offset/limit; a missing limit means <paramref name="maxPageSize"/>.</summary>
    public static bool TryRead(IQueryCollection query, int maxPageSize, out PageRequest page, out string error)
    {
        page = new PageRequest(0, maxPageSize, null);
        if (!TryReadInt(query, "offset", out var offset, out error) || !TryReadInt(query, "limit", out var limit, out error))
        {
            return false;
        }

        page = new PageRequest(offset ?? 0, Math.Min(limit ?? maxPageSize, maxPageSize), limit);
        return true;
    }

    private static bool TryReadInt(IQueryCollection query, string name, out int? value, out string error)
    {
        value = null;
        error = "";
        var raw = query[name].ToString();
        if (raw.Length == 0)
        {
            return true;
        }

        if (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
        {
            error = $"{name} must be a non-negative integer (was '{raw}')";
            return false;
        }

        value = parsed;
        return true;
    }
}
