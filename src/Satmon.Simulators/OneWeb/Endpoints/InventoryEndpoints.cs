using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Satmon.Simulators.OneWeb.Fleet;
using Satmon.Simulators.OneWeb.Http;
using Satmon.Simulators.OneWeb.Wire;

namespace Satmon.Simulators.OneWeb.Endpoints;

/// <summary>Hello and the inventories: user terminals, products, organizations, sites (reference §4 #1–#6).</summary>
internal static class InventoryEndpoints
{
    public static void MapInventory(this IEndpointRouteBuilder app, SimulatorState s)
    {
        var o = s.Options;
        var json = OneWebJsonContext.Default;

        app.MapGet(o.HelloPath, context =>
            s.Responder.WriteObjectAsync(context, new HelloWire("Hello OneWeb World", s.Time.GetUtcNow()), json.HelloWire));

        app.MapGet(o.UserTerminalPath, async context =>
        {
            if (await s.Responder.ReadPageAsync(context) is not { } page)
            {
                return;
            }

            var now = s.Time.GetUtcNow();
            var items = s.Fleet.Terminals.Skip(page.Offset).Take(page.Limit).Select(t => s.Mapper.Terminal(t, now));
            await s.Responder.WriteListAsync(context, s.Fleet.Terminals.Count, page, items, json.UserTerminalWire);
        });

        app.MapGet(o.UserTerminalPath + "/{imei}", async context =>
        {
            var imei = RouteValue(context, "imei");
            if (!s.Fleet.TryGetTerminal(imei, out var terminal))
            {
                await NotFoundAsync(context, "userTerminal", imei);
                return;
            }

            var wire = s.Mapper.Terminal(terminal, s.Time.GetUtcNow());
            if (o.UserTerminalByImeiAsArray)
            {
                // Confirmed quirk: the public client reads this call as an array ($[0].resourceState).
                await s.Responder.WriteListAsync(context, 1, new Page(0, 1), [wire], json.UserTerminalWire);
            }
            else
            {
                await s.Responder.WriteObjectAsync(context, wire, json.UserTerminalWire);
            }
        });

        app.MapGet(o.ProductPath, async context =>
        {
            if (await s.Responder.ReadPageAsync(context) is not { } page)
            {
                return;
            }

            var query = context.Request.Query;
            var party = query["relatedParty.id"].ToString();
            var status = query["status"].ToString();
            IEnumerable<OneWebProduct> products = s.Fleet.Products;
            if (party.Length > 0)
            {
                products = products.Where(p => p.DistributionPartnerId == party || p.EndCustomerId == party);
            }

            if (status.Length > 0)
            {
                // Every simulated product is active.
                products = products.Where(_ => status == "active");
            }

            var list = party.Length > 0 || status.Length > 0 ? products.ToList() : s.Fleet.Products;
            var items = list.Skip(page.Offset).Take(page.Limit).Select(s.Mapper.Product);
            await s.Responder.WriteListAsync(context, list.Count, page, items, json.ProductWire);
        });

        app.MapGet(o.ProductPath + "/{id}", context => s.Fleet.TryGetProduct(RouteValue(context, "id"), out var p)
            ? s.Responder.WriteObjectAsync(context, s.Mapper.Product(p), json.ProductWire)
            : NotFoundAsync(context, "product", RouteValue(context, "id")));

        app.MapGet(o.OrganizationPath, async context =>
        {
            if (await s.Responder.ReadPageAsync(context) is not { } page)
            {
                return;
            }

            var type = context.Request.Query["organizationType"].ToString();
            var list = type.Length == 0
                ? s.Fleet.Organizations
                : [.. s.Fleet.Organizations.Where(x => string.Equals(x.Type.ToString(), type, StringComparison.OrdinalIgnoreCase))];
            var items = list.Skip(page.Offset).Take(page.Limit).Select(s.Mapper.Organization);
            await s.Responder.WriteListAsync(context, list.Count, page, items, json.OrganizationWire);
        });

        app.MapGet(o.OrganizationPath + "/{id}", context => s.Fleet.TryGetOrganization(RouteValue(context, "id"), out var org)
            ? s.Responder.WriteObjectAsync(context, s.Mapper.Organization(org), json.OrganizationWire)
            : NotFoundAsync(context, "organization", RouteValue(context, "id")));

        app.MapGet(o.SitePath, async context =>
        {
            if (await s.Responder.ReadPageAsync(context) is not { } page)
            {
                return;
            }

            var items = s.Fleet.Sites.Skip(page.Offset).Take(page.Limit).Select(WireMapper.Site);
            await s.Responder.WriteListAsync(context, s.Fleet.Sites.Count, page, items, json.SiteWire);
        });

        app.MapGet(o.SitePath + "/{id}", context => s.Fleet.TryGetSite(RouteValue(context, "id"), out var site)
            ? s.Responder.WriteObjectAsync(context, WireMapper.Site(site), json.SiteWire)
            : NotFoundAsync(context, "geographicSite", RouteValue(context, "id")));
    }

    public static string RouteValue(HttpContext context, string name) =>
        context.Request.RouteValues[name] as string ?? "";

    public static Task NotFoundAsync(HttpContext context, string what, string id) =>
        JsonResponder.WriteErrorAsync(context, StatusCodes.Status404NotFound, "Not Found", $"No {what} with id '{id}'.");
}
