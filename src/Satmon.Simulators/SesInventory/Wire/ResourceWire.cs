using System.Text.Json.Serialization;

namespace Satmon.Simulators.SesInventory.Wire;

/// <summary>
/// A TMF639 v4 <c>Resource</c> (field names from the official schema; <c>place</c> is a single object in v4) plus
/// the SES gateway fields <c>externalId</c>, <c>status</c> and <c>lastUpdate</c> (reference §8.5/§8.6). The resource
/// type is in <c>category</c> and <c>resourceSpecification.name</c>; <c>@type</c> is PhysicalResource/LogicalResource.
/// </summary>
internal sealed class ResourceWire
{
    public required string Id { get; init; }

    public required string Href { get; init; }

    public string? ExternalId { get; init; }

    public string? Name { get; init; }

    public string? Description { get; init; }

    public string? Status { get; init; }

    public string? Category { get; init; }

    [JsonPropertyName("@type")]
    public string? AtType { get; init; }

    [JsonPropertyName("@baseType")]
    public string? BaseType { get; init; }

    public string? ResourceVersion { get; init; }

    public DateTime? StartOperatingDate { get; init; }

    public DateTime? EndOperatingDate { get; init; }

    public DateTime? LastUpdate { get; init; }

    public string? AdministrativeState { get; init; }

    public string? OperationalState { get; init; }

    public string? UsageState { get; init; }

    public string? ResourceStatus { get; init; }

    public string? SerialNumber { get; init; }

    public SpecificationRefWire? ResourceSpecification { get; init; }

    public IReadOnlyList<CharacteristicWire>? ResourceCharacteristic { get; init; }

    public IReadOnlyList<RelatedPartyWire>? RelatedParty { get; init; }

    public PlaceWire? Place { get; init; }

    public IReadOnlyList<ResourceRelationshipWire>? ResourceRelationship { get; init; }

    public IReadOnlyList<NoteWire>? Note { get; init; }
}

/// <summary>
/// TMF639 <c>ResourceRelationship</c>. The official v4.0.0 schema nests the related resource in <c>resource</c>; the
/// older v4 draft in ../specs puts its <c>id</c>/<c>href</c> on the relationship itself. Both are written.
/// </summary>
internal sealed class ResourceRelationshipWire
{
    public required string RelationshipType { get; init; }

    public string? Id { get; init; }

    public string? Href { get; init; }

    public required EntityRefWire Resource { get; init; }
}
