using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Satmon.Core.Objects;

/// <summary>
/// The one JSON encoding of object fields that every store writes and reads, so that SQLite and PostgreSQL answer
/// alike: strings, numbers and booleans as themselves, times as ISO-8601 UTC text ("O", which sorts as text), JSON
/// fields as the JSON text they arrive as; NaN and infinities as null.
/// </summary>
public static class ObjectFieldJson
{
    /// <summary>The format of stored times.</summary>
    public const string TimeFormat = "O";

    /// <summary>One object's fields as JSON text.</summary>
    public static string Serialize(IReadOnlyDictionary<string, object?> fields) =>
        Encoding.UTF8.GetString(SerializeAllUtf8([new ObjectRecord("", fields)])[0].Json);

    /// <summary>Each object's id and fields as UTF-8 JSON, through one reused buffer and writer.</summary>
    public static (string Id, byte[] Json)[] SerializeAllUtf8(IReadOnlyList<ObjectRecord> objects)
    {
        var result = new (string Id, byte[] Json)[objects.Count];
        var buffer = new ArrayBufferWriter<byte>(1024);
        using var writer = new Utf8JsonWriter(buffer);
        for (var i = 0; i < objects.Count; i++)
        {
            var record = objects[i];
            ArgumentNullException.ThrowIfNull(record.Id, nameof(ObjectRecord.Id));
            buffer.ResetWrittenCount();
            writer.Reset();
            writer.WriteStartObject();
            foreach (var (name, value) in record.Fields)
            {
                writer.WritePropertyName(WithoutNul(name));
                WriteValue(writer, value);
            }

            writer.WriteEndObject();
            writer.Flush();
            result[i] = (record.Id, buffer.WrittenSpan.ToArray());
        }

        return result;
    }

    /// <summary>Each stored field's JSON text; JSON nulls are left out.</summary>
    public static Dictionary<string, string> ValueTexts(string json) => ValueTexts(Encoding.UTF8.GetBytes(json));

    /// <summary>Each stored field's JSON text, from UTF-8 JSON; JSON nulls are left out.</summary>
    public static Dictionary<string, string> ValueTexts(ReadOnlyMemory<byte> utf8Json)
    {
        using var document = JsonDocument.Parse(utf8Json);
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.Null)
            {
                texts[property.Name] = property.Value.GetRawText();
            }
        }

        return texts;
    }

    /// <summary>
    /// Reads stored fields: typed by the definition where it names the field (and then every field of the
    /// definition is present, null when never stored), otherwise as JSON gives them: string, double, bool.
    /// </summary>
    public static Dictionary<string, object?> Read(string json, ObjectDefinition? definition)
    {
        using var document = JsonDocument.Parse(json);
        var fields = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (definition is not null)
        {
            foreach (var field in definition.Fields)
            {
                fields[field.Name] = null;
            }
        }

        foreach (var property in document.RootElement.EnumerateObject())
        {
            var field = definition?.FindField(property.Name);
            fields[field?.Name ?? property.Name] = field is null ? Natural(property.Value) : Typed(property.Value, field.Type);
        }

        return fields;
    }

    private static object? Natural(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => value.GetRawText(),
    };

    private static object? Typed(JsonElement value, FieldType type) => type switch
    {
        FieldType.Timestamp when value.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) => time.ToUniversalTime(),
        FieldType.Number when value.ValueKind == JsonValueKind.String
            && double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) => number,
        FieldType.String or FieldType.Json when value.ValueKind is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False
            or JsonValueKind.Object or JsonValueKind.Array => value.GetRawText(),
        _ => Natural(value),
    };

    private static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string s:
                writer.WriteStringValue(WithoutNul(s));
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case double d when double.IsFinite(d):
                writer.WriteNumberValue(d);
                break;
            case double:
                // JSON has no NaN or infinity.
                writer.WriteNullValue();
                break;
            case float or decimal or int or long or short or byte or uint or ulong or ushort or sbyte:
                WriteValue(writer, Convert.ToDouble(value, CultureInfo.InvariantCulture));
                break;
            case DateTimeOffset t:
                writer.WriteStringValue(FormatTime(t));
                break;
            case DateTime t:
                writer.WriteStringValue(FormatTime(new DateTimeOffset(t.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(t, DateTimeKind.Utc) : t.ToUniversalTime())));
                break;
            case JsonElement element:
                element.WriteTo(writer);
                break;
            case IFormattable f:
                writer.WriteStringValue(f.ToString(null, CultureInfo.InvariantCulture));
                break;
            default:
                writer.WriteStringValue(value.ToString());
                break;
        }
    }

    /// <summary>A time as it is stored and compared: ISO-8601 UTC text, which sorts as text.</summary>
    public static string FormatTime(DateTimeOffset time) => time.ToUniversalTime().ToString(TimeFormat, CultureInfo.InvariantCulture);

    /// <summary>PostgreSQL's jsonb rejects U+0000 in text (SQLite keeps it); it becomes U+FFFD in every store, rather than fail a batch.</summary>
    private static string WithoutNul(string text) => text.Contains('\0', StringComparison.Ordinal) ? text.Replace('\0', '\uFFFD') : text;
}
