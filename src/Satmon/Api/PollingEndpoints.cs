using Microsoft.AspNetCore.Http.HttpResults;
using Satmon.Core.Elements;

namespace Satmon.Api;

/// <summary>The polling manager of an element: rows, enable/interval, poll now.</summary>
internal static class PollingEndpoints
{
    public static RouteGroupBuilder MapPollingEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/elements/{id}/polling").WithTags("Polling");
        group.MapGet("/", ListAsync).WithSummary("Polling-manager rows.");
        group.MapPatch("/{task}", UpdateAsync)
            .WithSummary("Sets {enabled, intervalSeconds}; intervalSeconds null goes back to the default, absent leaves it.")
            .ProducesValidationProblem();
        group.MapPost("/{task}/poll", PollOneAsync).WithSummary("Polls one task now.");
        group.MapPost("/poll", PollAllAsync).WithSummary("Polls every enabled task now.");
        return group;
    }

    private static async Task<Ok<List<PollTaskDto>>> ListAsync(string id, IElementManager elements, CancellationToken ct) =>
        TypedResults.Ok((await elements.GetPollingAsync(id, ct)).Select(PollTaskDto.From).ToList());

    private static async Task<Ok<PollTaskDto>> UpdateAsync(
        string id, string task, PollingPatchBody body, IElementManager elements, CancellationToken ct)
    {
        TimeSpan? interval = null;
        if (body.IntervalSeconds is { } seconds)
        {
            if (seconds < 1)
            {
                throw new ApiValidationException("intervalSeconds", $"'intervalSeconds' must be at least 1 (or null for the default); got {seconds}.");
            }

            interval = TimeSpan.FromSeconds(seconds);
        }

        var reset = body.IntervalSecondsGiven && body.IntervalSeconds is null;
        var view = await elements.UpdatePollingAsync(id, task, body.Enabled, interval, reset, ct);
        return TypedResults.Ok(PollTaskDto.From(view));
    }

    private static Task<Accepted> PollOneAsync(string id, string task, IElementManager elements, CancellationToken ct) =>
        PollAsync(id, task, elements, ct);

    private static Task<Accepted> PollAllAsync(string id, IElementManager elements, CancellationToken ct) =>
        PollAsync(id, null, elements, ct);

    private static async Task<Accepted> PollAsync(string id, string? task, IElementManager elements, CancellationToken ct)
    {
        try
        {
            await elements.PollNowAsync(id, task, ct);
        }
        catch (InvalidOperationException ex)
        {
            // The polling manager refuses to poll a disabled task; its message says so and what to do.
            throw new ApiConflictException(ex.Message);
        }

        return TypedResults.Accepted($"/api/elements/{Uri.EscapeDataString(id)}/polling");
    }
}
