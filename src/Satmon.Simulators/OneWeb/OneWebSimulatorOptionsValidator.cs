using Microsoft.Extensions.Options;

namespace Satmon.Simulators.OneWeb;

/// <summary>Checks the data-annotation rules of <see cref="OneWebSimulatorOptions"/> (generated).</summary>
[OptionsValidator]
public sealed partial class OneWebSimulatorOptionsAnnotationValidator : IValidateOptions<OneWebSimulatorOptions>;

/// <summary>
/// Checks the rules that span several settings of <see cref="OneWebSimulatorOptions"/>; each message names the
/// key to fix.
/// </summary>
public sealed class OneWebSimulatorOptionsValidator : IValidateOptions<OneWebSimulatorOptions>
{
    private static readonly TimeSpan OneDay = TimeSpan.FromDays(1);

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, OneWebSimulatorOptions options)
    {
        var annotations = new OneWebSimulatorOptionsAnnotationValidator().Validate(name, options);
        var errors = new List<string>(annotations.Failures ?? []);
        var prefix = OneWebSimulatorOptions.SectionName + ":";

        if (options.BadCredentialsStatus is not (401 or 404))
        {
            errors.Add($"{prefix}{nameof(options.BadCredentialsStatus)} must be 401 or 404, not {options.BadCredentialsStatus}.");
        }

        if (options.Granularity < TimeSpan.FromMinutes(1) || OneDay.Ticks % options.Granularity.Ticks != 0)
        {
            errors.Add($"{prefix}{nameof(options.Granularity)} must be at least one minute and divide one day, not {options.Granularity}.");
        }

        if (options.SampleHistory < TimeSpan.Zero)
        {
            errors.Add($"{prefix}{nameof(options.SampleHistory)} must not be negative.");
        }

        if (options.ReportProcessingDelay < TimeSpan.Zero)
        {
            errors.Add($"{prefix}{nameof(options.ReportProcessingDelay)} must not be negative.");
        }

        foreach (var type in Enum.GetValues<OneWebReportType>())
        {
            if (options.DelayOf(type) < TimeSpan.Zero)
            {
                errors.Add($"{prefix}the delay of {type} must not be negative.");
            }
        }

        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, path) in options.Paths())
        {
            if (string.IsNullOrWhiteSpace(path) || path[0] != '/' || path.Length < 2 || path.EndsWith('/') || path.Contains("//", StringComparison.Ordinal))
            {
                errors.Add($"{prefix}{key} must start with '/', not end with '/', and hold no '//' (was '{path}').");
            }
            else if (path.StartsWith(OneWebSimulator.AdminPrefix, StringComparison.OrdinalIgnoreCase))
            {
                errors.Add($"{prefix}{key} must not start with {OneWebSimulator.AdminPrefix} (reserved for fault injection).");
            }
            else if (!seen.TryAdd(path, key))
            {
                errors.Add($"{prefix}{key} repeats the path of {seen[path]} ('{path}').");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
