using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Satmon.Simulators.SesMpower;

/// <summary>Keycloak token response; names exactly as Keycloak's AccessTokenResponse (reference §4.3).</summary>
internal sealed record TokenResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("expires_in")] long ExpiresIn,
    [property: JsonPropertyName("refresh_expires_in")] long RefreshExpiresIn,
    [property: JsonPropertyName("refresh_token")] string RefreshToken,
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("not-before-policy")] int NotBeforePolicy,
    [property: JsonPropertyName("session_state")] string SessionState,
    [property: JsonPropertyName("scope")] string Scope);

/// <summary>OAuth2/Keycloak error body (reference §4.5).</summary>
internal sealed record OAuthError(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("error_description")] string ErrorDescription);

internal sealed record JwtHeader(
    [property: JsonPropertyName("alg")] string Alg,
    [property: JsonPropertyName("typ")] string Typ,
    [property: JsonPropertyName("kid")] string Kid);

/// <summary>Claims of the simulator's JWT-shaped tokens (the signature is random; nothing verifies it).</summary>
internal sealed record JwtPayload(
    [property: JsonPropertyName("exp")] long Exp,
    [property: JsonPropertyName("iat")] long Iat,
    [property: JsonPropertyName("jti")] string Jti,
    [property: JsonPropertyName("iss")] string Iss,
    [property: JsonPropertyName("sub")] string Sub,
    [property: JsonPropertyName("typ")] string Typ,
    [property: JsonPropertyName("azp")] string Azp,
    [property: JsonPropertyName("sid")] string Sid,
    [property: JsonPropertyName("scope")] string Scope,
    [property: JsonPropertyName("preferred_username")] string PreferredUsername);

/// <summary>MEF error body (401/404/500/…, and the items of a 422 array).</summary>
internal sealed record MefError(string Code, string Reason, string? Message = null, string? PropertyPath = null);

/// <summary>MEF W147 Topic.</summary>
internal sealed record Topic(string Id, string Category, string Description, string ModelRef, IReadOnlyList<ChannelDescription> AvailableChannels);

internal sealed record ChannelDescription(string Protocol, string Description);

/// <summary>MEF W147 TopicSubscriptionRequest (the POST body). Unknown properties are allowed and ignored.</summary>
internal sealed class SubscriptionRequest
{
    public string? TopicId { get; set; }

    public string? Protocol { get; set; }

    public string? Description { get; set; }

    public string? Priority { get; set; }
}

/// <summary>
/// MEF W147 TopicSubscription plus the SES-style extensions the reference (§5.5, §7) proposes:
/// <c>status</c> (ACTIVE/EXPIRED), <c>creationDate</c>, <c>expirationDate</c>.
/// </summary>
internal sealed record TopicSubscription(
    string Id,
    string TopicId,
    string Protocol,
    string Description,
    string Priority,
    ConnectionConfig ConnectionConfig,
    string Status,
    DateTimeOffset CreationDate,
    DateTimeOffset ExpirationDate);

internal sealed record ConnectionConfig(IReadOnlyDictionary<string, ServerDescription> Servers, ChannelRef Channel);

internal sealed record ServerDescription(string Url, string Protocol);

internal sealed record ChannelRef(string Name);

internal sealed record PmReportsCallBody(IReadOnlyList<PmReportsCall> Calls);

/// <summary>Writes times as UTC with a <c>Z</c> suffix, the way the reference examples show them.</summary>
internal sealed class UtcDateTimeOffsetConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateTimeOffset.Parse(reader.GetString() ?? "", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime);
}

[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(UtcDateTimeOffsetConverter)])]
[JsonSerializable(typeof(MpowerMessage))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(OAuthError))]
[JsonSerializable(typeof(JwtHeader))]
[JsonSerializable(typeof(JwtPayload))]
[JsonSerializable(typeof(MefError))]
[JsonSerializable(typeof(List<MefError>))]
[JsonSerializable(typeof(Topic))]
[JsonSerializable(typeof(List<Topic>))]
[JsonSerializable(typeof(SubscriptionRequest))]
[JsonSerializable(typeof(TopicSubscription))]
[JsonSerializable(typeof(List<TopicSubscription>))]
[JsonSerializable(typeof(PmReportsCallBody))]
internal sealed partial class SesMpowerJsonContext : JsonSerializerContext;
