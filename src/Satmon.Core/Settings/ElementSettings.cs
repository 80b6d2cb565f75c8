using System.Globalization;

namespace Satmon.Core.Settings;

/// <summary>
/// An element's validated settings with defaults applied and secrets decrypted, read by connectors.
/// <see cref="ToString"/> never prints values, so a logged settings object cannot leak a secret.
/// </summary>
public sealed class ElementSettings
{
    private readonly Dictionary<string, string?> _values;
    private readonly Dictionary<string, SettingDefinition> _schema;

    /// <summary>Builds settings from a schema and raw values; missing values take the schema default.</summary>
    public ElementSettings(IReadOnlyList<SettingDefinition> schema, IReadOnlyDictionary<string, string?> values)
    {
        _schema = schema.ToDictionary(d => d.Key, StringComparer.Ordinal);
        _values = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var def in schema)
        {
            _values[def.Key] = values.TryGetValue(def.Key, out var v) && !string.IsNullOrEmpty(v) ? v : def.Default;
        }
    }

    /// <summary>The raw string value, or null.</summary>
    public string? GetString(string key) => Definition(key) is not null ? _values[key] : null;

    /// <summary>The value, or throws naming the key when it is absent.</summary>
    public string GetRequiredString(string key) =>
        GetString(key) is { Length: > 0 } v ? v : throw new InvalidOperationException($"Setting '{key}' is not set.");

    /// <summary>A whole number setting.</summary>
    public long GetInt64(string key) => long.Parse(GetRequiredString(key), CultureInfo.InvariantCulture);

    /// <summary>A 32-bit whole number setting.</summary>
    public int GetInt32(string key) => int.Parse(GetRequiredString(key), CultureInfo.InvariantCulture);

    /// <summary>A decimal number setting.</summary>
    public double GetDouble(string key) => double.Parse(GetRequiredString(key), CultureInfo.InvariantCulture);

    /// <summary>A boolean setting.</summary>
    public bool GetBoolean(string key) => bool.Parse(GetRequiredString(key));

    /// <summary>A duration setting (stored in seconds).</summary>
    public TimeSpan GetDuration(string key) => TimeSpan.FromSeconds(GetInt64(key));

    /// <summary>A URL setting.</summary>
    public Uri GetUri(string key) => new(GetRequiredString(key), UriKind.Absolute);

    /// <inheritdoc />
    public override string ToString() => $"ElementSettings({_values.Count} values)";

    private SettingDefinition? Definition(string key) =>
        _schema.TryGetValue(key, out var d) ? d : throw new KeyNotFoundException($"The connector declares no setting '{key}'.");
}
