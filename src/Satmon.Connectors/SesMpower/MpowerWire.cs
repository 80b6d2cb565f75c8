using System.Text.Json.Serialization;

namespace Satmon.Connectors.SesMpower;

// Wire shapes of the SES API, written from the vendor reference (ses-mpower-api.md). Names follow Keycloak (§4.3),
// MEF W147 (§5.3) and pm-reports candidate A (§6.3). Parsing is tolerant where the reference is unsure: names are
// matched case-insensitively and numbers may arrive as strings.

/// <summary>Keycloak token response (§4.3); error bodies are read by the shared HTTP helpers.</summary>
internal sealed class TokenResponse
{
    [JsonPropertyName("access_token")]
    public string? AccessToken { get; set; }

    /// <summary>Seconds.</summary>
    [JsonPropertyName("expires_in")]
    public long? ExpiresIn { get; set; }

    /// <summary>Seconds; 0 means no expiry information (offline tokens).</summary>
    [JsonPropertyName("refresh_expires_in")]
    public long? RefreshExpiresIn { get; set; }

    [JsonPropertyName("refresh_token")]
    public string? RefreshToken { get; set; }

    [JsonPropertyName("token_type")]
    public string? TokenType { get; set; }
}

/// <summary>MEF TopicSubscriptionRequest (POST body).</summary>
internal sealed class SubscriptionRequest
{
    public required string TopicId { get; set; }

    public required string Protocol { get; set; }
}

/// <summary>MEF TopicSubscription plus the SES status/expiry extensions (names assumed: reference §5.5 and §7).</summary>
internal sealed class SubscriptionDto
{
    public string? Id { get; set; }

    public string? TopicId { get; set; }

    public string? Protocol { get; set; }

    public string? Status { get; set; }

    public DateTimeOffset? ExpirationDate { get; set; }

    /// <summary>Alias of <see cref="ExpirationDate"/> (the reference names both).</summary>
    public DateTimeOffset? ExpiresAt { get; set; }

    [JsonIgnore]
    public DateTimeOffset? Expiry => ExpirationDate ?? ExpiresAt;
}

/// <summary>One pm-reports message: the MEF Message envelope (W147 §7.2).</summary>
internal sealed class PmMessage
{
    public string? EventId { get; set; }

    public DateTimeOffset? EventTime { get; set; }

    public string? EventType { get; set; }

    public PmEvent? Event { get; set; }
}

internal sealed class PmEvent
{
    public PmKey? Key { get; set; }

    public PmMetrics? Metrics { get; set; }
}

/// <summary>The subject identifiers of a message (candidate A's mapping of the DataMiner columns).</summary>
internal sealed class PmKey
{
    public string? ObjectName { get; set; }
    public string? VnoId { get; set; }
    public string? SiteName { get; set; }
    public string? PlatformType { get; set; }
    public string? CustomerId { get; set; }
    public string? ServiceId { get; set; }
    public string? BeamId { get; set; }
    public string? ContractId { get; set; }
}

/// <summary>The measured values of a message; any of them may be absent.</summary>
internal sealed class PmMetrics
{
    public double? Latency { get; set; }
    public double? ForwardPacketLoss { get; set; }
    public double? ReturnPacketLoss { get; set; }
    public double? ForwardThroughputDelivered { get; set; }
    public double? ForwardThroughputUtilization { get; set; }
    public double? ReturnThroughputDelivered { get; set; }
    public double? ReturnThroughputUtilization { get; set; }
    public double? ForwardMir { get; set; }
    public double? ForwardCir { get; set; }
    public double? ForwardEir { get; set; }
    public double? ReturnCir { get; set; }
    public double? ReturnEir { get; set; }
    public double? ForwardEsNo { get; set; }
    public double? ReturnEsNo { get; set; }
    public double? MaxTxPower { get; set; }
    public double? ForwardVolume { get; set; }
    public double? ReturnVolume { get; set; }
    public double? Latitude { get; set; }
    public double? Longitude { get; set; }
    public double? Altitude { get; set; }
    public double? Heading { get; set; }
    public string? ServiceStatus { get; set; }
    public string? TerminalStatus { get; set; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    PropertyNameCaseInsensitive = true,
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(SubscriptionRequest))]
[JsonSerializable(typeof(SubscriptionDto))]
[JsonSerializable(typeof(List<SubscriptionDto>))]
[JsonSerializable(typeof(PmMessage))]
internal sealed partial class MpowerJsonContext : JsonSerializerContext;
