using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Satmon.Simulators.OneWeb.Wire;

// The simulator's own wire shapes, written from reference §5 (TM Forum / MEF style). Nothing here is shared with
// the connector, so a parsing bug on either side shows up in the tests.

internal sealed record HelloWire(string Message, DateTimeOffset Timestamp);

/// <summary>TMF error body (reference §4.1).</summary>
internal sealed record ErrorWire(string Code, string Reason, string Message, string Status);

/// <summary>Short gateway error body, as MuleSoft policies answer 401/403/429.</summary>
internal sealed record GatewayErrorWire(string Error);

internal sealed record RelatedPartyWire(
    string Id,
    string? Name,
    string Role,
    [property: JsonPropertyName("@referredType")] string? ReferredType);

internal sealed record PlaceRefWire(
    string Id,
    string? ExternalId,
    string? Role,
    [property: JsonPropertyName("@referredType")] string ReferredType);

internal sealed record EntityRefWire(string Id, [property: JsonPropertyName("@referredType")] string? ReferredType);

internal sealed record CharacteristicWire(string Name, JsonNode Value);

internal sealed record GeoJsonPointWire(string Type, double[] Coordinates);

internal sealed record GeoJsonPropertiesWire(DateTimeOffset Timestamp);

internal sealed record GeoJsonFeatureWire(string Type, GeoJsonPointWire Geometry, GeoJsonPropertiesWire Properties);

internal sealed record GeoJsonFeatureCollectionWire(string Type, IReadOnlyList<GeoJsonFeatureWire> Features);

internal sealed record ComponentResourceWire(string Id, string Name, IReadOnlyList<CharacteristicWire> ResourceCharacteristic);

internal sealed record ResourceRelationshipWire(string RelationshipType, ComponentResourceWire Resource);

internal sealed record UserTerminalWire(
    string Id,
    string Imei,
    string Imsi,
    string Name,
    string SerialNumber,
    DateTimeOffset FirstSeenDate,
    DateTimeOffset LastSeenDate,
    string ResourceState,
    string OperationalState,
    string ResourceVersion,
    string Manufacturer,
    string Model,
    IReadOnlyList<RelatedPartyWire> RelatedParty,
    PlaceRefWire Place,
    IReadOnlyList<EntityRefWire> Product,
    GeoJsonFeatureCollectionWire Location,
    IReadOnlyList<ResourceRelationshipWire> ResourceRelationship,
    [property: JsonPropertyName("@type")] string Type);

internal sealed record ProductSpecificationRefWire(string Id, string Name);

internal sealed record ProductWire(
    string Id,
    string Name,
    string Status,
    DateTimeOffset StartDate,
    ProductSpecificationRefWire ProductSpecification,
    IReadOnlyList<CharacteristicWire> ProductCharacteristic,
    IReadOnlyList<RelatedPartyWire> RelatedParty,
    IReadOnlyList<PlaceRefWire> Place,
    IReadOnlyList<EntityRefWire> RealizingResource);

internal sealed record OrganizationRefWire(string Id, string Name);

internal sealed record OrganizationRelationshipWire(string RelationshipType, OrganizationRefWire Organization);

internal sealed record OrganizationWire(
    string Id,
    string TradingName,
    string Name,
    string OrganizationType,
    string Status,
    IReadOnlyList<OrganizationRelationshipWire>? OrganizationChildRelationship,
    OrganizationRelationshipWire? OrganizationParentRelationship);

internal sealed record GeometryPointWire(string X, string Y);

internal sealed record SitePlaceWire(
    [property: JsonPropertyName("@type")] string Type,
    string? City,
    string? Country,
    string? GeometryType,
    IReadOnlyList<GeometryPointWire>? Geometry);

internal sealed record SiteWire(
    string Id,
    string Name,
    string Status,
    IReadOnlyList<RelatedPartyWire> RelatedParty,
    IReadOnlyList<SitePlaceWire> Place);
