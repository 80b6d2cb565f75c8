using System.Globalization;

namespace Satmon.Core.Settings;

/// <summary>Validates setting values against a connector's schema. Messages name the key and say what to fix.</summary>
public static class SettingsValidator
{
    /// <summary>
    /// Checks every given value and every required key. Unknown keys are errors too (a typo must not pass silently).
    /// </summary>
    /// <returns>Errors by setting key; empty when valid.</returns>
    public static IReadOnlyDictionary<string, string[]> Validate(
        IReadOnlyList<SettingDefinition> schema, IReadOnlyDictionary<string, string?> values)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var key in values.Keys)
        {
            if (!schema.Any(d => d.Key == key))
            {
                errors[key] = [$"Unknown setting '{key}'. Known settings: {string.Join(", ", schema.Select(d => d.Key))}."];
            }
        }

        foreach (var def in schema)
        {
            values.TryGetValue(def.Key, out var raw);
            raw ??= def.Default;
            if (string.IsNullOrWhiteSpace(raw))
            {
                if (def.Required)
                {
                    errors[def.Key] = [$"'{def.Key}' ({def.Label}) is required."];
                }

                continue;
            }

            var error = Check(def, raw);
            if (error is not null)
            {
                errors[def.Key] = [error];
            }
        }

        return errors;
    }

    private static string? Check(SettingDefinition def, string raw)
    {
        // Secrets are never echoed back in an error message.
        var shown = def.Secret ? "(secret)" : $"'{raw}'";
        switch (def.Type)
        {
            case SettingType.Url:
                return Uri.TryCreate(raw, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
                    ? null
                    : $"'{def.Key}' must be an absolute http or https URL; got {shown}.";
            case SettingType.Boolean:
                return bool.TryParse(raw, out _) ? null : $"'{def.Key}' must be true or false; got {shown}.";
            case SettingType.Enum:
                return def.AllowedValues is { } allowed && allowed.Contains(raw, StringComparer.Ordinal)
                    ? null
                    : $"'{def.Key}' must be one of {string.Join(", ", def.AllowedValues ?? [])}; got {shown}.";
            case SettingType.Integer:
            case SettingType.DurationSeconds:
                if (!long.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var whole))
                {
                    var unit = def.Type == SettingType.DurationSeconds ? "a whole number of seconds" : "a whole number";
                    return $"'{def.Key}' must be {unit}; got {shown}.";
                }

                return CheckRange(def, whole);
            case SettingType.Number:
                return double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number)
                    ? CheckRange(def, number)
                    : $"'{def.Key}' must be a number; got {shown}.";
            default:
                return null;
        }
    }

    private static string? CheckRange(SettingDefinition def, double value)
    {
        var unit = def.Type == SettingType.DurationSeconds ? " seconds" : "";
        if ((def.Minimum is { } min && value < min) || (def.Maximum is { } max && value > max))
        {
            var range = (def.Minimum, def.Maximum) switch
            {
                ({ } lo, { } hi) => $"between {lo.ToString(CultureInfo.InvariantCulture)} and {hi.ToString(CultureInfo.InvariantCulture)}{unit}",
                ({ } lo, null) => $"at least {lo.ToString(CultureInfo.InvariantCulture)}{unit}",
                (null, { } hi) => $"at most {hi.ToString(CultureInfo.InvariantCulture)}{unit}",
                _ => "in range",
            };
            return $"'{def.Key}' must be {range}; got {value.ToString(CultureInfo.InvariantCulture)}.";
        }

        return null;
    }
}
