using Microsoft.Extensions.Options;
using Satmon.Simulators.SesInventory.Http;

namespace Satmon.Simulators.SesInventory;

/// <summary>Checks the data-annotation rules of <see cref="SesInventorySimulatorOptions"/> (generated).</summary>
[OptionsValidator]
public sealed partial class SesInventorySimulatorOptionsAnnotationValidator : IValidateOptions<SesInventorySimulatorOptions>;

/// <summary>
/// Checks every rule of <see cref="SesInventorySimulatorOptions"/>, annotations included; each message names the
/// key to fix.
/// </summary>
public sealed class SesInventorySimulatorOptionsValidator : IValidateOptions<SesInventorySimulatorOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, SesInventorySimulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var annotations = new SesInventorySimulatorOptionsAnnotationValidator().Validate(name, options);
        var errors = new List<string>(annotations.Failures ?? []);
        const string prefix = SesInventorySimulatorOptions.SectionName + ":";

        if (options.ChangeInterval < TimeSpan.FromMinutes(1) || options.ChangeInterval > TimeSpan.FromDays(1))
        {
            errors.Add($"{prefix}{nameof(options.ChangeInterval)} must be between 1 minute and 1 day, not {options.ChangeInterval}.");
        }

        if (options.MinUpdatePeriod < options.ChangeInterval)
        {
            errors.Add($"{prefix}{nameof(options.MinUpdatePeriod)} ({options.MinUpdatePeriod}) must be at least {nameof(options.ChangeInterval)} ({options.ChangeInterval}).");
        }

        if (options.MaxUpdatePeriod < options.MinUpdatePeriod)
        {
            errors.Add($"{prefix}{nameof(options.MaxUpdatePeriod)} ({options.MaxUpdatePeriod}) must not be shorter than {nameof(options.MinUpdatePeriod)} ({options.MinUpdatePeriod}).");
        }

        if (options.DefaultRecordsPerPage > options.MaxPageSize || options.DefaultLimit > options.MaxPageSize)
        {
            errors.Add($"{prefix}{nameof(options.DefaultRecordsPerPage)} and {nameof(options.DefaultLimit)} must not exceed {nameof(options.MaxPageSize)} ({options.MaxPageSize}).");
        }

        if (options.NullExternalIdPercent + options.EmptyExternalIdPercent + options.DuplicateExternalIdPercent > 100.0)
        {
            errors.Add($"{prefix}{nameof(options.NullExternalIdPercent)} + {nameof(options.EmptyExternalIdPercent)} + {nameof(options.DuplicateExternalIdPercent)} must not exceed 100.");
        }

        if (options.PageIndexParameterNames is null || options.PageIndexParameterNames.Count == 0
            || options.PageIndexParameterNames.Any(string.IsNullOrWhiteSpace))
        {
            errors.Add($"{prefix}{nameof(options.PageIndexParameterNames)} must hold at least one non-empty name.");
        }
        else if (options.PageIndexParameterNames.Any(n => ListQuery.ReservedParameters.Contains(n)))
        {
            errors.Add($"{prefix}{nameof(options.PageIndexParameterNames)} must not use a name the API already uses ({string.Join(", ", ListQuery.ReservedParameters)}).");
        }

        ValidatePaths(options, prefix, errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidatePaths(SesInventorySimulatorOptions options, string prefix, List<string> errors)
    {
        var seen = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, path) in options.Paths())
        {
            if (string.IsNullOrWhiteSpace(path) || path[0] != '/' || path.Length < 2 || path.EndsWith('/') || path.Contains("//", StringComparison.Ordinal))
            {
                errors.Add($"{prefix}{key} must start with '/', not end with '/', and hold no '//' (was '{path}').");
            }
            else if (!seen.TryAdd(path, key))
            {
                errors.Add($"{prefix}{key} repeats the path of {seen[path]} ('{path}').");
            }
        }

        foreach (var (key, path) in options.Paths())
        {
            if (key != nameof(options.AdminPrefix) && !string.IsNullOrEmpty(options.AdminPrefix)
                && path.StartsWith(options.AdminPrefix + "/", StringComparison.OrdinalIgnoreCase))
            {
                errors.Add($"{prefix}{key} must not lie under {nameof(options.AdminPrefix)} ('{options.AdminPrefix}').");
            }
        }
    }
}
