using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Satmon.Api;

/// <summary>The API's JSON conventions: camelCase members, camelCase enum strings, UTC ISO-8601 times.</summary>
internal static class JsonSetup
{
    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DictionaryKeyPolicy = null; // setting keys, column names and field names go out exactly as declared
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.Converters.Add(new UtcDateTimeOffsetConverter());
        // A vendor can report NaN or infinity; better a "NaN" string in a row than a 500 for the whole page.
        options.NumberHandling |= JsonNumberHandling.AllowNamedFloatingPointLiterals;
    }

    /// <summary>Writes every instant in UTC with a <c>Z</c>, whatever offset the value carried.</summary>
    private sealed class UtcDateTimeOffsetConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.GetDateTimeOffset().ToUniversalTime();

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture));
    }
}
