using System.Text.Json.Serialization;

namespace Satmon.Simulators.SesInventory.Wire;

/// <summary>TMF <c>Characteristic</c>. Values are strings, as ServiceNow writes them (reference §5.2).</summary>
internal sealed record CharacteristicWire(string Name, string ValueType, string Value);

/// <summary>A TMF reference (<c>ResourceRef</c>, <c>ServiceRef</c>, <c>ResourceRefOrValue</c>).</summary>
internal sealed class EntityRefWire
{
    public required string Id { get; init; }

    public string? Href { get; init; }

    public string? Name { get; init; }

    [JsonPropertyName("@referredType")]
    public string? ReferredType { get; init; }
}

/// <summary>TMF <c>ServiceSpecificationRef</c> / <c>ResourceSpecificationRef</c>.</summary>
internal sealed class SpecificationRefWire
{
    public required string Id { get; init; }

    public string? Href { get; init; }

    public string? Name { get; init; }

    public string? Version { get; init; }

    [JsonPropertyName("@referredType")]
    public string? ReferredType { get; init; }
}

/// <summary>TMF <c>RelatedParty</c>: <c>id</c> and <c>@referredType</c> are required by the schema.</summary>
internal sealed class RelatedPartyWire
{
    public required string Id { get; init; }

    public string? Href { get; init; }

    public string? Name { get; init; }

    public string? Role { get; init; }

    [JsonPropertyName("@referredType")]
    public required string ReferredType { get; init; }
}

/// <summary>TMF <c>RelatedPlaceRefOrValue</c>: <c>role</c> is required (Site, Gateway, Terminal, InstallationSite).</summary>
internal sealed class PlaceWire
{
    public string? Id { get; init; }

    public string? Href { get; init; }

    public string? Name { get; init; }

    public required string Role { get; init; }

    [JsonPropertyName("@referredType")]
    public string? ReferredType { get; init; }
}

/// <summary>TMF <c>Note</c>.</summary>
internal sealed record NoteWire(string Author, DateTime Date, string Text);

/// <summary>TMF <c>Error</c> (reference §4): <c>code</c> and <c>reason</c> required.</summary>
internal sealed record TmfErrorWire(string Code, string Reason, string? Message, string? Status);

/// <summary>ServiceNow error envelope (reference §5.3): <c>{"error":{"message","detail"},"status":"failure"}</c>.</summary>
internal sealed record ServiceNowErrorWire(ServiceNowErrorDetail Error, string Status);

/// <summary>The inner part of <see cref="ServiceNowErrorWire"/>.</summary>
internal sealed record ServiceNowErrorDetail(string Message, string? Detail);
