using System.Text.Json;
using System.Text.Json.Serialization;

namespace Satmon.Simulators.SesInventory.Wire;

/// <summary>Source-generated JSON of the simulator's wire types: camelCase, nulls left out unless a type says otherwise.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ServiceWire))]
[JsonSerializable(typeof(ResourceWire))]
[JsonSerializable(typeof(TmfErrorWire))]
[JsonSerializable(typeof(ServiceNowErrorWire))]
internal sealed partial class InventoryJsonContext : JsonSerializerContext;
