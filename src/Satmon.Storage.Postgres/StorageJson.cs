using System.Text.Json.Serialization;
using Satmon.Storage.Postgres.Tables;

namespace Satmon.Storage.Postgres;

/// <summary>Source-generated JSON for the few shapes the core repositories keep as JSON.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true)]
[JsonSerializable(typeof(Dictionary<string, string?>))]
[JsonSerializable(typeof(List<StoredColumn>))]
internal sealed partial class StorageJson : JsonSerializerContext;
