using System.Text.Json;
using System.Text.Json.Serialization;

namespace Satmon.Connectors.OneWeb.Client;

// Wire shapes of the OneWeb inventory calls, written from reference §5.2–5.5. Every member is nullable: presence is
// checked by OneWebMapper, which names the missing field in the task's reason instead of failing deep in the parser.

/// <summary>A vendor object that keeps the properties we do not map, so a renamed field can be named in the error.</summary>
internal abstract class WireObject
{
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unmapped { get; set; }
}

/// <summary>A TMF reference: <c>{id, name, role, @referredType}</c>.</summary>
internal sealed class WireRef
{
    public string? Id { get; set; }

    public string? Name { get; set; }

    public string? Role { get; set; }

    [JsonPropertyName("@referredType")]
    public string? ReferredType { get; set; }
}

/// <summary>A TMF characteristic; values are text or numbers depending on the characteristic.</summary>
internal sealed class WireCharacteristic
{
    public string? Name { get; set; }

    public JsonElement Value { get; set; }
}

/// <summary><c>resourceInventory/v3/userTerminal</c> item (names confirmed where the reference says ✔).</summary>
internal sealed class WireUserTerminal : WireObject
{
    public string? Id { get; set; }

    public string? Imei { get; set; }

    public string? Imsi { get; set; }

    public string? Name { get; set; }

    public string? SerialNumber { get; set; }

    public DateTimeOffset? FirstSeenDate { get; set; }

    public DateTimeOffset? LastSeenDate { get; set; }

    public string? ResourceState { get; set; }

    public string? OperationalState { get; set; }

    public string? ResourceVersion { get; set; }

    public string? Manufacturer { get; set; }

    public string? Model { get; set; }

    public List<WireRef>? RelatedParty { get; set; }

    public WirePlace? Place { get; set; }

    public List<WireRef>? Product { get; set; }

    public WireFeatureCollection? Location { get; set; }

    public List<WireResourceRelationship>? ResourceRelationship { get; set; }
}

/// <summary>The terminal's <c>place</c> object (confirmed: it has <c>externalId</c>).</summary>
internal sealed class WirePlace
{
    public string? Id { get; set; }

    public string? ExternalId { get; set; }
}

/// <summary>GeoJSON FeatureCollection of Point features (confirmed).</summary>
internal sealed class WireFeatureCollection
{
    public List<WireFeature>? Features { get; set; }
}

internal sealed class WireFeature
{
    public WireGeometry? Geometry { get; set; }
}

internal sealed class WireGeometry
{
    public List<double>? Coordinates { get; set; }
}

/// <summary>A component of a terminal (AIM, CNX, EGR, MDM, MIM, SSM).</summary>
internal sealed class WireResourceRelationship
{
    public string? RelationshipType { get; set; }

    public WireComponent? Resource { get; set; }
}

internal sealed class WireComponent
{
    public string? Id { get; set; }

    public string? Name { get; set; }

    public List<WireCharacteristic>? ResourceCharacteristic { get; set; }
}

/// <summary>Product inventory item (TMF637 shape, reference §5.3).</summary>
internal sealed class WireProduct : WireObject
{
    public string? Id { get; set; }

    public string? Name { get; set; }

    public string? Status { get; set; }

    public DateTimeOffset? StartDate { get; set; }

    public WireRef? ProductSpecification { get; set; }

    public List<WireCharacteristic>? ProductCharacteristic { get; set; }

    public List<WireRef>? RelatedParty { get; set; }

    public List<WireRef>? Place { get; set; }

    public List<WireRef>? RealizingResource { get; set; }
}

/// <summary>Organization (TMF632 shape, reference §5.4).</summary>
internal sealed class WireOrganization : WireObject
{
    public string? Id { get; set; }

    public string? TradingName { get; set; }

    public string? Name { get; set; }

    public string? OrganizationType { get; set; }

    public string? Status { get; set; }

    public WireOrganizationRelationship? OrganizationParentRelationship { get; set; }
}

internal sealed class WireOrganizationRelationship
{
    public string? RelationshipType { get; set; }

    public WireRef? Organization { get; set; }
}

/// <summary>Site (TMF674 shape, reference §5.5).</summary>
internal sealed class WireSite : WireObject
{
    public string? Id { get; set; }

    public string? Name { get; set; }

    public string? Status { get; set; }

    public List<WireRef>? RelatedParty { get; set; }

    public List<WireSitePlace>? Place { get; set; }
}

/// <summary>A site place: a GeographicAddress or a GeographicLocation (told apart by <c>@type</c>).</summary>
internal sealed class WireSitePlace
{
    [JsonPropertyName("@type")]
    public string? Type { get; set; }

    public string? StreetNr { get; set; }

    public string? StreetName { get; set; }

    public string? PostCode { get; set; }

    public string? City { get; set; }

    public string? StateOrProvince { get; set; }

    public string? Country { get; set; }

    public List<WirePoint>? Geometry { get; set; }
}

/// <summary>TMF point; the reference shows the numbers as strings (<c>"x": "20.2253"</c>).</summary>
internal sealed class WirePoint
{
    public double? X { get; set; }

    public double? Y { get; set; }
}

/// <summary>The hello body (real body unknown; only the status counts).</summary>
internal sealed class WireHello
{
    public string? Message { get; set; }

    public DateTimeOffset? Timestamp { get; set; }
}
