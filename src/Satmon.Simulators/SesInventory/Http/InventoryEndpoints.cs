using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Satmon.Simulators.SesInventory.Faults;
using Satmon.Simulators.SesInventory.Model;
using Satmon.Simulators.SesInventory.Wire;

namespace Satmon.Simulators.SesInventory.Http;

/// <summary>
/// The TMF638 and TMF639 routes (reference §9): gateway and standard paths, each list also answering get-by-id,
/// each API behind its own Basic credentials. Order per call: auth, query, injected faults, then the page.
/// </summary>
internal sealed class InventoryEndpoints
{
    private readonly SesInventorySimulatorOptions options;
    private readonly InventoryGenerator inventory;
    private readonly SesInventoryFaults faults;
    private readonly InventoryRequestLog log;
    private readonly InventoryResponses responses;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;
    private readonly ServiceRecords serviceRecords;
    private readonly ResourceRecords resourceRecords;

    public InventoryEndpoints(
        SesInventorySimulatorOptions options, InventoryGenerator inventory, SesInventoryFaults faults, InventoryRequestLog log, TimeProvider timeProvider, ILogger logger)
    {
        this.options = options;
        this.inventory = inventory;
        this.faults = faults;
        this.log = log;
        this.timeProvider = timeProvider;
        this.logger = logger;
        responses = new InventoryResponses(options);
        var directory = new InventoryDirectory(options.Seed, options.ServiceCount);
        serviceRecords = new ServiceRecords(inventory, directory, options.ResourceCount);
        resourceRecords = new ResourceRecords(inventory, directory);
    }

    public InventoryResponses Responses => responses;

    public void Map(IEndpointRouteBuilder app)
    {
        var gatewayResources = options.GatewayResourcePath + "/resource";
        MapCollection(app, new Collection(InventoryApi.Tmf638, options.GatewayServicePath, options.GatewayServicePath, gatewayResources));
        MapCollection(app, new Collection(InventoryApi.Tmf638, options.StandardServicePath, options.StandardServicePath, options.StandardResourcePath));
        MapCollection(app, new Collection(InventoryApi.Tmf639, gatewayResources, gatewayResources, gatewayResources));
        MapCollection(app, new Collection(InventoryApi.Tmf639, options.StandardResourcePath, options.StandardResourcePath, options.StandardResourcePath));

        // The TMF639 "full endpoint" lists resources itself; get-by-id lives under /resource only.
        app.MapGet(options.GatewayResourcePath, context => ListAsync(context, new Collection(InventoryApi.Tmf639, options.GatewayResourcePath, gatewayResources, gatewayResources)));
    }

    private void MapCollection(IEndpointRouteBuilder app, Collection collection)
    {
        app.MapGet(collection.Path, context => ListAsync(context, collection));
        app.MapGet(collection.Path + "/{id}", context => GetAsync(context, collection, (string)context.Request.RouteValues["id"]!));
    }

    private async Task ListAsync(HttpContext context, Collection collection)
    {
        var arrived = timeProvider.GetUtcNow();
        var entity = collection.EntityFor(context.Request.Query["@type"].ToString());
        int? page = null;
        try
        {
            if (!await AuthorizeAsync(context, collection.Api))
            {
                return;
            }

            var query = ListQuery.Parse(context.Request.Query, options, out var error);
            if (query is null)
            {
                await responses.WriteErrorAsync(context, StatusCodes.Status400BadRequest, error!);
                return;
            }

            page = query.PageOrdinal;
            var (stop, malformed) = await ApplyFaultsAsync(context, entity ?? InventoryEntity.Services, page, query.Filter.UpdatedDaysAgo is not null);
            if (stop)
            {
                return;
            }

            if (entity is not { } listed)
            {
                // An @type no list has: an equality filter that matches nothing.
                await responses.WritePageAsync(context, query, 0, Array.Empty<ServiceWire>(), InventoryJsonContext.Default.ServiceWire, malformed);
                return;
            }

            // Read the clock after any injected delay: the page shows the data of the moment it is answered.
            var (snapshot, slots) = inventory.Match(listed, timeProvider.GetUtcNow(), query.Filter);
            var start = Math.Min(query.Offset, slots.Length);
            var count = Math.Min(query.PageSize, slots.Length - start);
            if (listed == InventoryEntity.Resources)
            {
                var items = new ResourceWire[count];
                for (var i = 0; i < count; i++)
                {
                    items[i] = resourceRecords.Resource(slots[start + i], snapshot, collection.HrefBase);
                }

                await responses.WritePageAsync(context, query, slots.Length, items, InventoryJsonContext.Default.ResourceWire, malformed);
            }
            else
            {
                var items = new ServiceWire[count];
                for (var i = 0; i < count; i++)
                {
                    items[i] = ServiceOf(listed, slots[start + i], snapshot, collection);
                }

                await responses.WritePageAsync(context, query, slots.Length, items, InventoryJsonContext.Default.ServiceWire, malformed);
            }
        }
        finally
        {
            Record(context, arrived, entity ?? InventoryEntity.Services, page);
        }
    }

    private async Task GetAsync(HttpContext context, Collection collection, string id)
    {
        var arrived = timeProvider.GetUtcNow();
        var entity = collection.Api == InventoryApi.Tmf639 ? InventoryEntity.Resources : InventoryEntity.Services;
        try
        {
            if (!await AuthorizeAsync(context, collection.Api))
            {
                return;
            }

            // The service path holds services and carriers: the id tells which.
            if (entity == InventoryEntity.Services && !inventory.TryDecodeId(entity, id, out _) && inventory.TryDecodeId(InventoryEntity.Carriers, id, out _))
            {
                entity = InventoryEntity.Carriers;
            }

            var (stop, malformed) = await ApplyFaultsAsync(context, entity, page: null, updated: false);
            if (stop)
            {
                return;
            }

            var snapshot = inventory.SnapshotAt(entity, timeProvider.GetUtcNow());
            if (!inventory.TryDecodeId(entity, id, out var slot) || slot >= snapshot.SlotCount || snapshot.Status[slot] == InventoryStatus.Absent)
            {
                await responses.WriteErrorAsync(context, StatusCodes.Status404NotFound, "No resource with given id found");
                return;
            }

            var fields = ListQuery.Parse(context.Request.Query, options, out _)?.Fields;
            if (entity == InventoryEntity.Resources)
            {
                var resource = resourceRecords.Resource(slot, snapshot, collection.HrefBase);
                await responses.WriteObjectAsync(context, resource, InventoryJsonContext.Default.ResourceWire, fields, malformed);
            }
            else
            {
                await responses.WriteObjectAsync(context, ServiceOf(entity, slot, snapshot, collection), InventoryJsonContext.Default.ServiceWire, fields, malformed);
            }
        }
        finally
        {
            Record(context, arrived, entity, page: null);
        }
    }

    private ServiceWire ServiceOf(InventoryEntity entity, long slot, Snapshot snapshot, Collection collection) =>
        entity == InventoryEntity.Carriers
            ? serviceRecords.Carrier(slot, snapshot, collection.HrefBase)
            : serviceRecords.Service(slot, snapshot, collection.HrefBase, collection.ResourceHrefBase);

    private async Task<(bool Stop, bool Malformed)> ApplyFaultsAsync(HttpContext context, InventoryEntity entity, int? page, bool updated)
    {
        if (faults.TryTake(InventoryFaultKind.Delay, entity, page, updated, out var slow))
        {
            faults.EnterDelay();
            try
            {
                await Task.Delay(slow.Delay, timeProvider, context.RequestAborted);
            }
            finally
            {
                faults.LeaveDelay();
            }
        }

        if (faults.TryTake(InventoryFaultKind.Status, entity, page, updated, out var failure))
        {
            InventoryLog.FaultInjected(logger, nameof(InventoryFaultKind.Status), entity, page, failure.StatusCode);
            await responses.WriteErrorAsync(context, failure.StatusCode, "The request failed (fault injected by the simulator).");
            return (true, false);
        }

        var malformed = faults.TryTake(InventoryFaultKind.MalformedJson, entity, page, updated, out _);
        if (malformed)
        {
            InventoryLog.FaultInjected(logger, nameof(InventoryFaultKind.MalformedJson), entity, page, StatusCodes.Status200OK);
        }

        return (false, malformed);
    }

    private async Task<bool> AuthorizeAsync(HttpContext context, InventoryApi api)
    {
        var (user, password) = api == InventoryApi.Tmf638
            ? (options.Tmf638Username, options.Tmf638Password)
            : (options.Tmf639Username, options.Tmf639Password);
        if (BasicCredentialsMatch(context.Request.Headers.Authorization.ToString(), user, password))
        {
            return true;
        }

        InventoryLog.Unauthorized(logger, api, context.Request.Path);
        await responses.WriteErrorAsync(context, StatusCodes.Status401Unauthorized, "Required to provide Auth information");
        return false;
    }

    private static bool BasicCredentialsMatch(string header, string user, string password)
    {
        const string scheme = "Basic ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[scheme.Length..].Trim()));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            return colon >= 0
                && string.Equals(decoded[..colon], user, StringComparison.Ordinal)
                && string.Equals(decoded[(colon + 1)..], password, StringComparison.Ordinal);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private void Record(HttpContext context, DateTimeOffset arrived, InventoryEntity entity, int? page) =>
        log.Add(new InventoryRequest(arrived, entity, context.Request.Path.Value ?? "/", context.Request.QueryString.Value ?? "", page, context.Response.StatusCode));

    /// <summary>One mapped collection: its API, path, and the bases of the hrefs it writes.</summary>
    private sealed record Collection(InventoryApi Api, string Path, string HrefBase, string ResourceHrefBase)
    {
        /// <summary>The list a call reads: the service path holds services and carriers (<c>@type=element</c>); null = no such type.</summary>
        public InventoryEntity? EntityFor(string atType)
        {
            if (Api == InventoryApi.Tmf639)
            {
                return InventoryEntity.Resources;
            }

            return atType switch
            {
                "" or "CFS" or "Service" => InventoryEntity.Services,
                "element" => InventoryEntity.Carriers,
                _ => null,
            };
        }
    }
}
