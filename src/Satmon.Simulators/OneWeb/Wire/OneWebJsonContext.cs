using System.Text.Json;
using System.Text.Json.Serialization;

namespace Satmon.Simulators.OneWeb.Wire;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = true,
    Converters = [typeof(UtcDateTimeOffsetConverter)])]
[JsonSerializable(typeof(HelloWire))]
[JsonSerializable(typeof(ErrorWire))]
[JsonSerializable(typeof(GatewayErrorWire))]
[JsonSerializable(typeof(UserTerminalWire))]
[JsonSerializable(typeof(ProductWire))]
[JsonSerializable(typeof(OrganizationWire))]
[JsonSerializable(typeof(SiteWire))]
[JsonSerializable(typeof(PerformanceReportCreateWire))]
[JsonSerializable(typeof(PerformanceReportWire))]
[JsonSerializable(typeof(ReportContentItemWire))]
[JsonSerializable(typeof(UsageReportWire))]
[JsonSerializable(typeof(AdminFaultWire))]
[JsonSerializable(typeof(AdminFaultListWire))]
internal sealed partial class OneWebJsonContext : JsonSerializerContext;

/// <summary>Writes times as ISO-8601 UTC with a <c>Z</c> (TMF style) instead of <c>+00:00</c>.</summary>
internal sealed class UtcDateTimeOffsetConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetDateTimeOffset();

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime);
}
