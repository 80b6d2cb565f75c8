using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Satmon.Simulators.Faults;
using Satmon.Simulators.SesInventory.Http;

namespace Satmon.Simulators.SesInventory.Faults;

/// <summary>
/// Admin calls of the inventory simulator (no auth, JSON, enums as strings), next to the generic ones of
/// <see cref="FaultAdminEndpoints"/>: <c>POST|GET|DELETE {prefix}/inventory/faults</c>,
/// <c>GET|PUT {prefix}/inventory/data-faults</c>, <c>GET|DELETE {prefix}/inventory/requests</c> and
/// <c>GET {prefix}/inventory/summary</c>.
/// </summary>
internal static class InventoryAdminEndpoints
{
    public static void MapInventoryAdmin(
        this IEndpointRouteBuilder endpoints, string prefix, SesInventoryFaults faults, InventoryGenerator inventory, InventoryRequestLog log, TimeProvider timeProvider)
    {
        var group = endpoints.MapGroup(prefix + "/inventory");
        group.MapPost("/faults", context => AddFaultAsync(context, faults));
        group.MapGet("/faults", context => context.Response.WriteAsJsonAsync(
            faults.Pending.Select(p => ToBody(p.Rule, p.Remaining)).ToList(), AdminJsonContext.Default.ListInventoryFaultBody, cancellationToken: context.RequestAborted));
        group.MapDelete("/faults", context =>
        {
            faults.Clear();
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        });
        group.MapGet("/data-faults", context => context.Response.WriteAsJsonAsync(
            DataBody.From(faults.Data), AdminJsonContext.Default.DataBody, cancellationToken: context.RequestAborted));
        group.MapPut("/data-faults", context => SetDataFaultsAsync(context, faults));
        group.MapGet("/requests", context => context.Response.WriteAsJsonAsync(
            new RequestsBody(
                new Dictionary<InventoryEntity, int>
                {
                    [InventoryEntity.Services] = log.CountFor(InventoryEntity.Services),
                    [InventoryEntity.Carriers] = log.CountFor(InventoryEntity.Carriers),
                    [InventoryEntity.Resources] = log.CountFor(InventoryEntity.Resources),
                },
                log.Recent),
            AdminJsonContext.Default.RequestsBody,
            cancellationToken: context.RequestAborted));
        group.MapDelete("/requests", context =>
        {
            log.Reset();
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        });
        group.MapGet("/summary", context => context.Response.WriteAsJsonAsync(
            Summary(inventory, timeProvider.GetUtcNow()), AdminJsonContext.Default.SummaryBody, cancellationToken: context.RequestAborted));
    }

    private static async Task AddFaultAsync(HttpContext context, SesInventoryFaults faults)
    {
        var body = await FaultAdminEndpoints.ReadBodyAsync(context, AdminJsonContext.Default.InventoryFaultBody);
        if (body is null)
        {
            return;
        }

        if (body.Kind is not { } kind)
        {
            await FaultAdminEndpoints.WriteErrorAsync(context, $"kind is required: one of {string.Join(", ", Enum.GetNames<InventoryFaultKind>())}.");
            return;
        }

        var rule = new InventoryFaultRule
        {
            Kind = kind,
            Api = body.Api,
            Entity = body.Entity,
            Page = body.Page,
            UpdatedOnly = body.UpdatedOnly,
            StatusCode = body.StatusCode ?? (kind == InventoryFaultKind.Status ? 504 : 500),
            Delay = TimeSpan.FromMilliseconds(body.DelayMilliseconds ?? 0),
            Times = body.Times,
        };
        try
        {
            faults.Add(rule);
        }
        catch (ArgumentException ex)
        {
            await FaultAdminEndpoints.WriteErrorAsync(context, ex.Message);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status201Created;
        await context.Response.WriteAsJsonAsync(ToBody(rule, rule.Times), AdminJsonContext.Default.InventoryFaultBody, cancellationToken: context.RequestAborted);
    }

    private static async Task SetDataFaultsAsync(HttpContext context, SesInventoryFaults faults)
    {
        var body = await FaultAdminEndpoints.ReadBodyAsync(context, AdminJsonContext.Default.DataBody);
        if (body is null)
        {
            return;
        }

        // Absent shares keep their current value, so one share can be changed alone.
        var current = faults.Data;
        var next = new InventoryDataFaults(
            body.DuplicateExternalIdPercent ?? current.DuplicateExternalIdPercent,
            body.NullExternalIdPercent ?? current.NullExternalIdPercent,
            body.EmptyExternalIdPercent ?? current.EmptyExternalIdPercent,
            body.ExcludedTypePercent ?? current.ExcludedTypePercent);
        try
        {
            faults.Data = next;
        }
        catch (ArgumentException ex)
        {
            await FaultAdminEndpoints.WriteErrorAsync(context, ex.Message);
            return;
        }

        await context.Response.WriteAsJsonAsync(DataBody.From(next), AdminJsonContext.Default.DataBody, cancellationToken: context.RequestAborted);
    }

    private static InventoryFaultBody ToBody(InventoryFaultRule rule, int? remaining) => new()
    {
        Kind = rule.Kind,
        Api = rule.Api,
        Entity = rule.Entity,
        Page = rule.Page,
        UpdatedOnly = rule.UpdatedOnly,
        StatusCode = rule.Kind == InventoryFaultKind.Status ? rule.StatusCode : null,
        DelayMilliseconds = rule.Kind == InventoryFaultKind.Delay ? (long)rule.Delay.TotalMilliseconds : null,
        Times = remaining,
    };

    private static SummaryBody Summary(InventoryGenerator inventory, DateTimeOffset now)
    {
        EntitySummary Of(InventoryEntity entity) => new(
            inventory.SlotCount(entity, now),
            inventory.Count(entity, now),
            inventory.Count(entity, now, InventoryFilter.Operational),
            inventory.Count(entity, now, new InventoryFilter(UpdatedDaysAgo: 0)));
        return new SummaryBody(now, inventory.Origin, inventory.EpochAt(now), Of(InventoryEntity.Services), Of(InventoryEntity.Carriers), Of(InventoryEntity.Resources));
    }
}

/// <summary>Admin JSON of an <see cref="InventoryFaultRule"/>; when listing, <c>times</c> is what is left (null = unlimited).</summary>
internal sealed class InventoryFaultBody
{
    public InventoryFaultKind? Kind { get; set; }

    public InventoryApi? Api { get; set; }

    public InventoryEntity? Entity { get; set; }

    public int? Page { get; set; }

    public bool? UpdatedOnly { get; set; }

    public int? StatusCode { get; set; }

    public long? DelayMilliseconds { get; set; }

    public int? Times { get; set; }
}

/// <summary>Admin JSON of <see cref="InventoryDataFaults"/>; on PUT, absent shares are left as they are.</summary>
internal sealed class DataBody
{
    public double? DuplicateExternalIdPercent { get; set; }

    public double? NullExternalIdPercent { get; set; }

    public double? EmptyExternalIdPercent { get; set; }

    public double? ExcludedTypePercent { get; set; }

    public static DataBody From(InventoryDataFaults faults) => new()
    {
        DuplicateExternalIdPercent = faults.DuplicateExternalIdPercent,
        NullExternalIdPercent = faults.NullExternalIdPercent,
        EmptyExternalIdPercent = faults.EmptyExternalIdPercent,
        ExcludedTypePercent = faults.ExcludedTypePercent,
    };
}

internal sealed record RequestsBody(IReadOnlyDictionary<InventoryEntity, int> Counts, IReadOnlyList<InventoryRequest> Recent);

/// <summary>Slots created so far, items listed, Operational ones, and those updated in the last 24 h.</summary>
internal sealed record EntitySummary(long Slots, int Listed, int Operational, int UpdatedLastDay);

internal sealed record SummaryBody(DateTimeOffset Now, DateTimeOffset Origin, long Epoch, EntitySummary Services, EntitySummary Carriers, EntitySummary Resources);

[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web, UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(InventoryFaultBody))]
[JsonSerializable(typeof(List<InventoryFaultBody>))]
[JsonSerializable(typeof(DataBody))]
[JsonSerializable(typeof(RequestsBody))]
[JsonSerializable(typeof(SummaryBody))]
internal sealed partial class AdminJsonContext : JsonSerializerContext;
