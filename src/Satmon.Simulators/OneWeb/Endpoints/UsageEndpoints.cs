using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Satmon.Simulators.OneWeb.Fleet;
using Satmon.Simulators.OneWeb.Wire;

namespace Satmon.Simulators.OneWeb.Endpoints;

/// <summary>
/// Usage consumption (reference §4 #9, §5.7): one TMF677 report per product for the current bill cycle,
/// filtered by <c>product.id</c> or paged over every product.
/// </summary>
internal static class UsageEndpoints
{
    public static void MapUsage(this IEndpointRouteBuilder app, SimulatorState s)
    {
        app.MapGet(s.Options.UsageConsumptionPath, async context =>
        {
            if (await s.Responder.ReadPageAsync(context) is not { } page)
            {
                return;
            }

            var now = s.Time.GetUtcNow();
            var productId = context.Request.Query["product.id"].ToString();
            IReadOnlyList<OneWebProduct> products = s.Fleet.Products;
            if (productId.Length > 0)
            {
                // A TMF filter that matches nothing answers an empty list, not 404.
                products = [.. productId.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Select(id => s.Fleet.TryGetProduct(id, out var p) ? p : null)
                    .OfType<OneWebProduct>()];
            }

            var items = products.Skip(page.Offset).Take(page.Limit).Select(p => WireMapper.Usage(p, s.Fleet.UsageAt(p, now)));
            await s.Responder.WriteListAsync(context, products.Count, page, items, OneWebJsonContext.Default.UsageReportWire);
        });
    }
}
