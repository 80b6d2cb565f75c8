using System.Text.Json;
using System.Text.Json.Serialization;

namespace Satmon.Connectors.OneWeb.Client;

/// <summary>
/// Source-generated JSON for the OneWeb wire shapes. Property names are matched case-sensitively on purpose: a field
/// the vendor renames from <c>imei</c> to <c>IMEI</c> must be reported as missing, not silently accepted. Numbers may
/// arrive as strings (the TMF674 geometry does that).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    ReadCommentHandling = JsonCommentHandling.Skip)]
[JsonSerializable(typeof(WireHello))]
[JsonSerializable(typeof(WireUserTerminal))]
[JsonSerializable(typeof(WireProduct))]
[JsonSerializable(typeof(WireOrganization))]
[JsonSerializable(typeof(WireSite))]
[JsonSerializable(typeof(WireReportRequest))]
[JsonSerializable(typeof(WireReportContent))]
[JsonSerializable(typeof(WireUsageReport))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class OneWebJsonContext : JsonSerializerContext;
