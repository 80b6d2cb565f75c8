using System.Text.Json.Serialization;
using Satmon.Core.Objects;
using Satmon.Storage.Sqlite.Tables;

namespace Satmon.Storage.Sqlite;

/// <summary>Source-generated JSON for the few shapes the store keeps as JSON text.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true)]
[JsonSerializable(typeof(Dictionary<string, string?>))]
[JsonSerializable(typeof(List<StoredColumn>))]
[JsonSerializable(typeof(Dictionary<string, FieldChange>))]
internal sealed partial class StorageJson : JsonSerializerContext;
