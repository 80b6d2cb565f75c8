using System.Text.Json.Serialization;

namespace Satmon.Simulators.SesInventory.Wire;

/// <summary>
/// A TMF638 v4 <c>Service</c> (field names from the official schema) plus the SES gateway fields of reference
/// §8.3/§8.4 (<c>externalId</c>, <c>status</c>, <c>lastUpdate</c>, <c>creationDate</c>, <c>@type</c>). Services and
/// carriers (<c>@type=element</c>) share this shape.
/// </summary>
/// <remarks>Times are UTC <see cref="DateTime"/>s so that they are written with a "Z", as in the reference's examples.</remarks>
internal sealed class ServiceWire
{
    public required string Id { get; init; }

    public string? Href { get; init; }

    // Written even when null: a null externalId is one of the data faults the connector must survive.
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? ExternalId { get; init; }

    public string? Name { get; init; }

    public string? Description { get; init; }

    public string? Status { get; init; }

    [JsonPropertyName("@type")]
    public string? AtType { get; init; }

    public string? Category { get; init; }

    public string? ServiceType { get; init; }

    public string? State { get; init; }

    public DateTime? CreationDate { get; init; }

    public DateTime? StartDate { get; init; }

    // SES payloads show "endDate": null for open-ended services (reference §8.3).
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public DateTime? EndDate { get; init; }

    public string? ServiceDate { get; init; }

    public DateTime? LastUpdate { get; init; }

    public bool? HasStarted { get; init; }

    public bool? IsServiceEnabled { get; init; }

    public bool? IsStateful { get; init; }

    public bool? IsBundle { get; init; }

    public string? StartMode { get; init; }

    public SpecificationRefWire? ServiceSpecification { get; init; }

    public IReadOnlyList<CharacteristicWire>? ServiceCharacteristic { get; init; }

    public IReadOnlyList<EntityRefWire>? SupportingResource { get; init; }

    public IReadOnlyList<SupportingServiceWire>? SupportingService { get; init; }

    public IReadOnlyList<RelatedPartyWire>? RelatedParty { get; init; }

    public IReadOnlyList<PlaceWire>? Place { get; init; }

    public IReadOnlyList<ServiceRelationshipWire>? ServiceRelationship { get; init; }

    public IReadOnlyList<NoteWire>? Note { get; init; }
}

/// <summary>A TMF638 <c>ServiceRefOrValue</c> given by value: what a carrier's bandwidth segments look like.</summary>
internal sealed class SupportingServiceWire
{
    public required string Id { get; init; }

    public string? Href { get; init; }

    public string? Name { get; init; }

    public string? Category { get; init; }

    public string? ServiceType { get; init; }

    public string? Status { get; init; }

    public string? State { get; init; }

    [JsonPropertyName("@type")]
    public string? AtType { get; init; }

    [JsonPropertyName("@referredType")]
    public string? ReferredType { get; init; }
}

/// <summary>TMF638 <c>ServiceRelationship</c>: <c>relationshipType</c> and the related <c>service</c>.</summary>
internal sealed class ServiceRelationshipWire
{
    public required string RelationshipType { get; init; }

    public required EntityRefWire Service { get; init; }
}
