using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Satmon.Connectors.SesInventory;

// Wire shapes of the SES gateway, written from reference §2.2, §3.2 and §8.3–§8.6. Every SES-specific field is an
// inference [I] there, so the scalars that might arrive as numbers (status codes) are read leniently and the
// structured parts are kept as raw JSON: the object store keeps them as they came.

/// <summary>A TMF638 service as the SES gateway returns it; carriers are services with <c>@type=element</c>.</summary>
internal sealed class ServiceDto
{
    [JsonConverter(typeof(LenientStringConverter))]
    public string? Id { get; set; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? ExternalId { get; set; }

    /// <summary>TMF v5 alternative to <c>externalId</c> (reference §2.3): the first entry's id is used.</summary>
    public JsonElement ExternalIdentifier { get; set; }

    public string? Name { get; set; }

    public string? Description { get; set; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? Status { get; set; }

    /// <summary>TMF <c>state</c>, used when the SES <c>status</c> is absent.</summary>
    [JsonConverter(typeof(LenientStringConverter))]
    public string? State { get; set; }

    [JsonPropertyName("@type")]
    public string? AtType { get; set; }

    public string? Category { get; set; }

    public string? ServiceType { get; set; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? StartDate { get; set; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? EndDate { get; set; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? LastUpdate { get; set; }

    public JsonElement RelatedParty { get; set; }

    public JsonElement Place { get; set; }

    public JsonElement ServiceCharacteristic { get; set; }

    public JsonElement SupportingResource { get; set; }

    public JsonElement SupportingService { get; set; }
}

/// <summary>A TMF639 resource (v4 shape, reference §3.2, §8.5, §8.6) with the SES additions.</summary>
internal sealed class ResourceDto
{
    [JsonConverter(typeof(LenientStringConverter))]
    public string? Id { get; set; }

    public string? Name { get; set; }

    public string? Description { get; set; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? Status { get; set; }

    public string? OperationalState { get; set; }

    public string? ResourceStatus { get; set; }

    [JsonPropertyName("@type")]
    public string? AtType { get; set; }

    public string? Category { get; set; }

    public string? ResourceType { get; set; }

    public string? Type { get; set; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? LastUpdate { get; set; }

    public JsonElement ResourceSpecification { get; set; }

    public JsonElement ResourceCharacteristic { get; set; }

    public JsonElement RelatedParty { get; set; }

    /// <summary>A single object in TMF639 v4, an array in v5: both are accepted.</summary>
    public JsonElement Place { get; set; }

    public JsonElement ResourceRelationship { get; set; }
}

/// <summary>One page of services: a bare array, or ServiceNow's <c>{"result": [...]}</c> (reference §5.3).</summary>
[JsonConverter(typeof(ServicePageConverter))]
internal sealed class ServicePage(List<ServiceDto> items)
{
    public List<ServiceDto> Items { get; } = items;
}

/// <summary>One page of resources: a bare array, or <c>{"result": [...]}</c>.</summary>
[JsonConverter(typeof(ResourcePageConverter))]
internal sealed class ResourcePage(List<ResourceDto> items)
{
    public List<ResourceDto> Items { get; } = items;
}

[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true, NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(ServicePage))]
[JsonSerializable(typeof(ResourcePage))]
[JsonSerializable(typeof(List<ServiceDto>))]
[JsonSerializable(typeof(List<ResourceDto>))]
[JsonSerializable(typeof(string[]))]
internal sealed partial class SesInventoryJsonContext : JsonSerializerContext;

/// <summary>
/// Reads a page whichever way the gateway wraps it. A ServiceNow scripted REST resource that serialises an object
/// answers <c>{"result": [...]}</c>, a streamed one or the sn_ni_core API a bare array (reference §5.3 [I]).
/// </summary>
internal abstract class PageConverter<TPage, TItem> : JsonConverter<TPage>
{
    protected abstract JsonTypeInfo<List<TItem>> ListType { get; }

    protected abstract TPage Create(List<TItem> items);

    public override TPage Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.StartArray)
        {
            return Create(JsonSerializer.Deserialize(ref reader, ListType) ?? []);
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("Expected a JSON array of records or an object with a 'result' array.");
        }

        List<TItem>? items = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString();
            reader.Read();
            if (string.Equals(name, "result", StringComparison.OrdinalIgnoreCase) && reader.TokenType == JsonTokenType.StartArray)
            {
                items = JsonSerializer.Deserialize(ref reader, ListType);
            }
            else
            {
                reader.Skip();
            }
        }

        return Create(items ?? throw new JsonException("Expected a JSON array of records or an object with a 'result' array; the object has no 'result' array."));
    }

    public override void Write(Utf8JsonWriter writer, TPage value, JsonSerializerOptions options) =>
        throw new NotSupportedException("Pages are only read.");
}

internal sealed class ServicePageConverter : PageConverter<ServicePage, ServiceDto>
{
    protected override JsonTypeInfo<List<ServiceDto>> ListType => SesInventoryJsonContext.Default.ListServiceDto;

    protected override ServicePage Create(List<ServiceDto> items) => new(items);
}

internal sealed class ResourcePageConverter : PageConverter<ResourcePage, ResourceDto>
{
    protected override JsonTypeInfo<List<ResourceDto>> ListType => SesInventoryJsonContext.Default.ListResourceDto;

    protected override ResourcePage Create(List<ResourceDto> items) => new(items);
}

/// <summary>
/// A scalar read as text whatever its JSON type: a ServiceNow-backed gateway may send a status as <c>"1"</c>, <c>1</c>
/// or a choice label, and an id as a number. Objects and arrays are refused (that is a real shape change).
/// </summary>
internal sealed class LenientStringConverter : JsonConverter<string?>
{
    public override bool HandleNull => true;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Number => reader.TryGetInt64(out var whole)
            ? whole.ToString(CultureInfo.InvariantCulture)
            : reader.GetDouble().ToString(CultureInfo.InvariantCulture),
        JsonTokenType.True => "true",
        JsonTokenType.False => "false",
        JsonTokenType.Null => null,
        _ => throw new JsonException($"Expected a text, number or boolean value; got {reader.TokenType}."),
    };

    public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
