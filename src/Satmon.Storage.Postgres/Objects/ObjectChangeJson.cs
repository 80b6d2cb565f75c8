using System.Text.Json.Serialization;
using Satmon.Core.Objects;

namespace Satmon.Storage.Postgres.Objects;

/// <summary>Source-generated JSON for the change log's field changes (<c>{"old": …, "new": …}</c> per field).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(Dictionary<string, FieldChange>))]
internal sealed partial class ObjectChangeJson : JsonSerializerContext;
