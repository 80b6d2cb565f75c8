using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Satmon.Core.Objects;
using D = Satmon.Connectors.SesInventory.SesInventoryDefinitions;

namespace Satmon.Connectors.SesInventory;

/// <summary>Why a record of a page is not stored.</summary>
internal enum DropReason
{
    None,

    /// <summary>No usable id (null or empty externalId / id): skipped with a log line (seed 002).</summary>
    NoId,

    /// <summary>A resource of a type the seed excludes (Card, BandwidthSegment, …).</summary>
    ExcludedType,

    /// <summary>A carrier (<c>@type=element</c>) in the services list: it belongs to the carriers definition.</summary>
    NotAService,
}

/// <summary>One vendor record turned into an object, or the reason it is dropped.</summary>
/// <param name="Id">The object id when the record has one.</param>
/// <param name="Record">The object to write; null when dropped.</param>
/// <param name="Drop">Why it is dropped.</param>
/// <param name="IsModem">A modem resource: its stored status is kept on update.</param>
internal sealed record MappedItem(string? Id, ObjectRecord? Record, DropReason Drop, bool IsModem = false);

/// <summary>
/// Vendor records → objects, per seed 002 "Field Mapping". Where the SES payload is only inferred (reference §8.3,
/// §8.4, §10) the mapper accepts the plausible variants: v4 and v5 shapes of parties and places, characteristic
/// names in any casing or separator style, the resource type from whichever field carries it.
/// </summary>
internal static class SesInventoryMapper
{
    /// <summary>Resource types dropped before storage (seed 002).</summary>
    public static IReadOnlySet<string> ExcludedResourceTypes { get; } = new HashSet<string>(
        ["Card", "BandwidthSegment", "LogicalPort", "Multicast", "Slot", "Port", "Circuit"], StringComparer.OrdinalIgnoreCase);

    public const string Operational = "Operational";

    /// <summary>The type stored for every modem, whatever casing or field the vendor used: one filter finds them all.</summary>
    public const string ModemType = "Modem";
    private const string CarrierType = "element";

    public static MappedItem MapService(ServiceDto s)
    {
        var id = ExternalId(s);
        if (string.Equals(s.AtType, CarrierType, StringComparison.OrdinalIgnoreCase))
        {
            return new MappedItem(id, null, DropReason.NotAService);
        }

        if (id is null)
        {
            return new MappedItem(null, null, DropReason.NoId);
        }

        var fields = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            [D.Name] = s.Name,
            [D.Description] = s.Description,
            [D.Status] = s.Status ?? s.State,
            [D.Type] = FirstText(s.ServiceType, s.AtType, s.Category),
            [D.StartDate] = Time(s.StartDate),
            [D.EndDate] = Time(s.EndDate),
            [D.LastUpdate] = Time(s.LastUpdate),
            [D.Customer] = RefName(WithRole(s.RelatedParty, "customer"), "partyOrPartyRole"),
            // The site is the place with role "site"; a service with one unlabelled place has that one.
            [D.Site] = RefName(WithRole(s.Place, "site") ?? Single(s.Place), "place"),
            [D.Characteristics] = Raw(s.ServiceCharacteristic),
            [D.SupportingResources] = Raw(s.SupportingResource),
        };
        return new MappedItem(id, new ObjectRecord(id, fields), DropReason.None);
    }

    public static MappedItem MapCarrier(ServiceDto c)
    {
        var id = ExternalId(c);
        if (id is null)
        {
            return new MappedItem(null, null, DropReason.NoId);
        }

        var fields = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            [D.Name] = c.Name,
            [D.OperationalStatus] = c.Status ?? c.State,
            [D.Gateway] = RefName(WithRole(c.Place, "gateway"), "place"),
            [D.Terminal] = RefName(WithRole(c.Place, "terminal"), "place"),
            [D.ElementType] = Characteristic(c.ServiceCharacteristic, "elementtype"),
            [D.Type] = Characteristic(c.ServiceCharacteristic, "type"),
            [D.UplinkAlias] = Characteristic(c.ServiceCharacteristic, "uplinkalias", "ulalias"),
            [D.DownlinkAlias] = Characteristic(c.ServiceCharacteristic, "downlinkalias", "dlalias"),
            [D.UplinkRfCenterFrequency] = Number(Characteristic(
                c.ServiceCharacteristic, "uplinkrfcenterfrequency", "uplinkcenterfrequency", "ulrfcenterfrequency")),
            [D.DownlinkRfCenterFrequency] = Number(Characteristic(
                c.ServiceCharacteristic, "downlinkrfcenterfrequency", "downlinkcenterfrequency", "dlrfcenterfrequency")),
            [D.Satellite] = RefName(OfKind(c.SupportingResource, "satellite"), null),
            [D.Transponder] = RefName(OfKind(c.SupportingResource, "transponder"), null),
            [D.BandwidthSegments] = BandwidthSegments(c.SupportingService),
            [D.LastUpdate] = Time(c.LastUpdate),
        };
        return new MappedItem(id, new ObjectRecord(id, fields), DropReason.None);
    }

    public static MappedItem MapResource(ResourceDto r)
    {
        var id = string.IsNullOrWhiteSpace(r.Id) ? null : r.Id.Trim();
        // Where the "type" lives is an open question (reference §10.1): every candidate field is checked.
        string?[] candidates = [r.ResourceType, r.Type, r.Category, Text(r.ResourceSpecification, "name"), r.AtType];
        if (candidates.Any(t => t is not null && ExcludedResourceTypes.Contains(t)))
        {
            return new MappedItem(id, null, DropReason.ExcludedType);
        }

        if (id is null)
        {
            return new MappedItem(null, null, DropReason.NoId);
        }

        var isModem = candidates.Any(t => string.Equals(t, ModemType, StringComparison.OrdinalIgnoreCase));
        var fields = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            [D.Name] = r.Name,
            [D.Description] = r.Description,
            [D.Status] = r.Status ?? r.OperationalState ?? r.ResourceStatus,
            [D.Type] = isModem ? ModemType : FirstText(candidates),
            [D.Specification] = Raw(r.ResourceSpecification),
            [D.Characteristics] = Raw(r.ResourceCharacteristic),
            [D.RelatedParties] = Raw(r.RelatedParty),
            [D.Places] = Raw(r.Place),
            [D.Relationships] = Raw(r.ResourceRelationship),
            [D.LastUpdate] = Time(r.LastUpdate),
        };
        return new MappedItem(id, new ObjectRecord(id, fields), DropReason.None, isModem);
    }

    private static string? ExternalId(ServiceDto s)
    {
        var id = s.ExternalId;
        if (string.IsNullOrWhiteSpace(id) && s.ExternalIdentifier.ValueKind == JsonValueKind.Array)
        {
            id = s.ExternalIdentifier.EnumerateArray().Select(e => Text(e, "id")).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
        }

        return string.IsNullOrWhiteSpace(id) ? null : id.Trim();
    }

    /// <summary>
    /// Supporting services that are bandwidth segments from Operational CFS (seed 002). A reference that carries no
    /// status or category is kept: it cannot be told apart, and dropping it would lose a segment silently.
    /// </summary>
    private static string? BandwidthSegments(JsonElement services)
    {
        if (services.ValueKind != JsonValueKind.Array)
        {
            return Raw(services);
        }

        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var service in services.EnumerateArray())
            {
                var status = Text(service, "status") ?? Text(service, "state");
                var category = Text(service, "category");
                if ((status is null || string.Equals(status, Operational, StringComparison.OrdinalIgnoreCase))
                    && (category is null || string.Equals(category, "CFS", StringComparison.OrdinalIgnoreCase)))
                {
                    service.WriteTo(writer);
                }
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The value of the first characteristic whose name, reduced to lower-case letters and digits, is one of <paramref name="names"/>.</summary>
    private static string? Characteristic(JsonElement characteristics, params string[] names)
    {
        foreach (var c in Items(characteristics))
        {
            if (Text(c, "name") is { } name && names.Contains(Normalize(name), StringComparer.Ordinal))
            {
                return Prop(c, "value") is { } value ? Scalar(value) : null;
            }
        }

        return null;
    }

    private static JsonElement? WithRole(JsonElement list, string role) =>
        Items(list).Cast<JsonElement?>().FirstOrDefault(e => string.Equals(Text(e!.Value, "role"), role, StringComparison.OrdinalIgnoreCase));

    private static JsonElement? OfKind(JsonElement list, string kind) =>
        Items(list).Cast<JsonElement?>().FirstOrDefault(e =>
            string.Equals(Text(e!.Value, "@referredType"), kind, StringComparison.OrdinalIgnoreCase)
            || string.Equals(Text(e.Value, "@type"), kind, StringComparison.OrdinalIgnoreCase));

    private static JsonElement? Single(JsonElement list)
    {
        var items = Items(list).Take(2).ToList();
        return items.Count == 1 ? items[0] : null;
    }

    /// <summary>Name (else id) of a reference, also in the v5 shape where it is nested (<c>{role, place: {…}}</c>).</summary>
    private static string? RefName(JsonElement? reference, string? nested)
    {
        if (reference is not { } r)
        {
            return null;
        }

        var inner = nested is not null && Prop(r, nested) is { ValueKind: JsonValueKind.Object } n ? n : r;
        return Text(inner, "name") ?? Text(inner, "id");
    }

    private static IEnumerable<JsonElement> Items(JsonElement list) => list.ValueKind switch
    {
        JsonValueKind.Array => list.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object),
        JsonValueKind.Object => [list],
        _ => [],
    };

    private static JsonElement? Prop(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (element.TryGetProperty(name, out var exact))
        {
            return exact;
        }

        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value;
            }
        }

        return null;
    }

    private static string? Text(JsonElement element, string name) => Prop(element, name) is { } value ? Scalar(value) : null;

    private static string? Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() is { Length: > 0 } s ? s : null,
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        _ => null,
    };

    private static string? Raw(JsonElement element) =>
        element.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null ? null : element.GetRawText();

    private static string? FirstText(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));

    private static string Normalize(string name)
    {
        var result = new StringBuilder(name.Length);
        foreach (var ch in name)
        {
            if (char.IsLetterOrDigit(ch))
            {
                result.Append(char.ToLowerInvariant(ch));
            }
        }

        return result.ToString();
    }

    private static double? Number(string? text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) ? value : null;

    private static DateTimeOffset? Time(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : null;
}
