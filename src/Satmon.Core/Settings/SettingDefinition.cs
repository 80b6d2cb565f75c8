namespace Satmon.Core.Settings;

/// <summary>The type of a setting value. Values travel and are stored as invariant strings.</summary>
public enum SettingType
{
    /// <summary>Free text.</summary>
    String,
    /// <summary>An absolute http(s) URL.</summary>
    Url,
    /// <summary>A whole number.</summary>
    Integer,
    /// <summary>A decimal number.</summary>
    Number,
    /// <summary>true / false.</summary>
    Boolean,
    /// <summary>A duration, given in seconds (whole number).</summary>
    DurationSeconds,
    /// <summary>One of <see cref="SettingDefinition.AllowedValues"/>.</summary>
    Enum,
}

/// <summary>One typed, validated setting of a connector.</summary>
/// <param name="Key">Key in API payloads and storage, camelCase (e.g. <c>baseUrl</c>).</param>
/// <param name="Label">Label for forms.</param>
/// <param name="Type">Value type.</param>
/// <param name="Description">What it means, with its unit.</param>
public sealed record SettingDefinition(string Key, string Label, SettingType Type, string Description)
{
    /// <summary>Value used when none is given; null means none.</summary>
    public string? Default { get; init; }

    /// <summary>Whether a value (or a default) must be present.</summary>
    public bool Required { get; init; }

    /// <summary>Write-only, encrypted at rest, never returned by the API or logged.</summary>
    public bool Secret { get; init; }

    /// <summary>Inclusive lower bound for numeric and duration settings.</summary>
    public double? Minimum { get; init; }

    /// <summary>Inclusive upper bound for numeric and duration settings.</summary>
    public double? Maximum { get; init; }

    /// <summary>Allowed values of an <see cref="SettingType.Enum"/> setting.</summary>
    public IReadOnlyList<string>? AllowedValues { get; init; }
}
