using System.Globalization;
using System.Text.Json;
using Satmon.Connectors.OneWeb.Client;
using Satmon.Core.Tables;

namespace Satmon.Connectors.OneWeb;

/// <summary>
/// Turns inventory items into table rows, checking every field a column depends on (see <see cref="WireCheck"/>).
/// Relations follow the Skyline ERD: terminal → site, partner; product → terminal, site, customer; organization → parent.
/// </summary>
internal static class InventoryMapper
{
    private const string DistributionPartnerRole = "DistributionPartner";
    private const string EndCustomerRole = "EndCustomer";

    public static TableRow Terminal(WireUserTerminal t, WireCheck c, bool latitudeFirst, List<TableRow> components)
    {
        var imei = c.RequireText(t.Imei, "imei");
        var parties = c.Require(t.RelatedParty, "relatedParty");
        var place = c.Require(t.Place, "place");
        var location = c.Require(t.Location, "location");
        var resourceState = c.RequireText(t.ResourceState, "resourceState");
        double? latitude = null, longitude = null;
        if (location.Features is { Count: > 0 } features)
        {
            // GeoJSON says [lon, lat]; the only public client reads [lat, lon], so the order is a setting.
            var coordinates = features[0].Geometry?.Coordinates;
            if (coordinates is not { Count: >= 2 })
            {
                throw c.Missing("location.features[0].geometry.coordinates");
            }

            (latitude, longitude) = latitudeFirst ? (coordinates[0], coordinates[1]) : (coordinates[1], coordinates[0]);
        }

        var names = new List<string>();
        foreach (var (relationship, i) in (t.ResourceRelationship ?? []).Select((r, i) => (r, i)))
        {
            var resource = c.Require(relationship.Resource, $"resourceRelationship[{i}].resource");
            var code = c.RequireText(resource.Name, $"resourceRelationship[{i}].resource.name");
            names.Add(code);
            components.Add(new TableRow(resource.Id is { Length: > 0 } id ? id : $"{imei}-{code}", new Dictionary<string, object?>
            {
                ["terminal"] = imei,
                ["component"] = code,
                ["relationshipType"] = relationship.RelationshipType,
                ["softwareVersion"] = Characteristic(resource.ResourceCharacteristic, "softwareVersion"),
                ["serialNumber"] = Characteristic(resource.ResourceCharacteristic, "serialNumber"),
            }));
        }

        return new TableRow(imei, new Dictionary<string, object?>
        {
            ["name"] = c.RequireText(t.Name, "name"),
            ["imsi"] = c.RequireText(t.Imsi, "imsi"),
            ["serialNumber"] = c.RequireText(t.SerialNumber, "serialNumber"),
            ["operationalState"] = c.RequireText(t.OperationalState, "operationalState"),
            ["resourceState"] = resourceState,
            ["networkStatus"] = NetworkStatus(resourceState),
            ["firmwareVersion"] = c.RequireText(t.ResourceVersion, "resourceVersion"),
            ["hardwareComponents"] = string.Join(", ", names),
            ["manufacturer"] = c.RequireText(t.Manufacturer, "manufacturer"),
            ["model"] = c.RequireText(t.Model, "model"),
            ["distributionPartner"] = PartyWithRole(parties, DistributionPartnerRole),
            ["endCustomer"] = PartyWithRole(parties, EndCustomerRole),
            ["site"] = c.RequireText(place.Id, "place.id"),
            ["placeExternalId"] = place.ExternalId,
            ["product"] = t.Product?.FirstOrDefault()?.Id,
            ["latitude"] = latitude,
            ["longitude"] = longitude,
            ["firstSeen"] = c.Require(t.FirstSeenDate, "firstSeenDate"),
            ["lastSeen"] = t.LastSeenDate,
        });
    }

    public static TableRow Product(WireProduct p, WireCheck c)
    {
        var id = c.RequireText(p.Id, "id");
        var parties = c.Require(p.RelatedParty, "relatedParty");
        var places = c.Require(p.Place, "place");
        var site = places.FirstOrDefault(x => x.Role is "InstallationSite") ?? places.FirstOrDefault();
        var characteristics = p.ProductCharacteristic;
        // The terminal is the realising resource; the IMEI characteristic is the fallback the reference also shows.
        var terminal = (p.RealizingResource?.FirstOrDefault(r => r.ReferredType is "UserTerminal") ?? p.RealizingResource?.FirstOrDefault())?.Id
            ?? Characteristic(characteristics, "imei")
            ?? throw c.Missing("realizingResource");
        return new TableRow(id, new Dictionary<string, object?>
        {
            ["name"] = c.RequireText(p.Name, "name"),
            ["status"] = c.RequireText(p.Status, "status"),
            ["specification"] = p.ProductSpecification?.Name,
            ["startDate"] = p.StartDate,
            ["contractNumber"] = Characteristic(characteristics, "contractNumber"),
            ["distributionPartner"] = PartyWithRole(parties, DistributionPartnerRole),
            ["endCustomer"] = PartyWithRole(parties, EndCustomerRole),
            ["site"] = c.RequireText(site?.Id, "place[0].id"),
            ["terminal"] = terminal,
            ["monthlyEntitlement"] = Number(characteristics, "monthlyEntitlementGB"),
            ["downlinkMir"] = Number(characteristics, "downlinkMIRMbps"),
            ["downlinkCir"] = Number(characteristics, "downlinkCIRMbps"),
        });
    }

    public static TableRow Organization(WireOrganization o, WireCheck c) =>
        new(c.RequireText(o.Id, "id"), new Dictionary<string, object?>
        {
            ["tradingName"] = c.RequireText(o.TradingName, "tradingName"),
            // Customers often have a trading name only (reference §5.4), so the legal name is optional.
            ["name"] = o.Name,
            ["type"] = c.RequireText(o.OrganizationType, "organizationType"),
            ["status"] = o.Status,
            ["parent"] = o.OrganizationParentRelationship?.Organization?.Id,
        });

    public static TableRow Site(WireSite s, WireCheck c)
    {
        var id = c.RequireText(s.Id, "id");
        var parties = c.Require(s.RelatedParty, "relatedParty");
        var places = c.Require(s.Place, "place");
        var address = places.FirstOrDefault(p => p.Type is "GeographicAddress") ?? places.FirstOrDefault(p => p.City is not null || p.Country is not null);
        var location = places.FirstOrDefault(p => p.Type is "GeographicLocation") ?? places.FirstOrDefault(p => p.Geometry is not null);
        var point = location?.Geometry?.FirstOrDefault();
        if (location is not null && (point?.X is null || point.Y is null))
        {
            throw c.Missing("place[GeographicLocation].geometry[0].x/y");
        }

        return new TableRow(id, new Dictionary<string, object?>
        {
            ["name"] = c.RequireText(s.Name, "name"),
            ["status"] = s.Status,
            ["relatedParty"] = c.RequireText(parties.FirstOrDefault()?.Id, "relatedParty[0].id"),
            ["address"] = address is null ? null : FormatAddress(address),
            // TMF points: x is the longitude, y the latitude.
            ["latitude"] = point?.Y,
            ["longitude"] = point?.X,
        });
    }

    /// <summary>online / offline / unknown, whatever the vendor's spelling ("ofline" appears in the public client).</summary>
    public static string NetworkStatus(string resourceState) => resourceState.Trim().ToLowerInvariant() switch
    {
        "online" or "up" or "connected" => "online",
        "offline" or "ofline" or "down" or "disconnected" => "offline",
        _ => "unknown",
    };

    private static string? PartyWithRole(List<WireRef> parties, string role) =>
        parties.FirstOrDefault(p => string.Equals(p.Role, role, StringComparison.OrdinalIgnoreCase))?.Id;

    private static string? Characteristic(List<WireCharacteristic>? characteristics, string name)
    {
        var value = characteristics?.FirstOrDefault(x => string.Equals(x.Name, name, StringComparison.OrdinalIgnoreCase))?.Value;
        return value?.ValueKind switch
        {
            JsonValueKind.String => value.Value.GetString(),
            JsonValueKind.Number => value.Value.GetRawText(),
            _ => null,
        };
    }

    private static double? Number(List<WireCharacteristic>? characteristics, string name) =>
        double.TryParse(Characteristic(characteristics, name), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;

    private static string FormatAddress(WireSitePlace a)
    {
        var street = string.Join(' ', new[] { a.StreetNr, a.StreetName }.Where(x => !string.IsNullOrWhiteSpace(x)));
        var town = string.Join(' ', new[] { a.PostCode, a.City }.Where(x => !string.IsNullOrWhiteSpace(x)));
        return string.Join(", ", new[] { street, town, a.StateOrProvince ?? "", a.Country ?? "" }.Where(x => x.Length > 0));
    }
}
