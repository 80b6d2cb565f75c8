using Microsoft.Extensions.Options;

namespace Satmon.Simulators.SesMpower;

/// <summary>Checks <see cref="SesMpowerSimulatorOptions"/>; every message names the key to fix.</summary>
public sealed class SesMpowerSimulatorOptionsValidator : IValidateOptions<SesMpowerSimulatorOptions>
{
    /// <summary>Throws <see cref="OptionsValidationException"/> listing every problem of <paramref name="options"/>.</summary>
    public static void ThrowIfInvalid(SesMpowerSimulatorOptions options)
    {
        var result = new SesMpowerSimulatorOptionsValidator().Validate(null, options);
        if (result.Failed)
        {
            throw new OptionsValidationException(SesMpowerSimulatorOptions.SectionName, typeof(SesMpowerSimulatorOptions), result.Failures);
        }
    }

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, SesMpowerSimulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        void Check(bool ok, string key, string rule)
        {
            if (!ok)
            {
                errors.Add($"{SesMpowerSimulatorOptions.SectionName}:{key} {rule}.");
            }
        }

        Check(options.Port is >= 0 and <= 65535, nameof(options.Port), "must be 0-65535");
        Check(options.TerminalCount is >= 1 and <= 1_000_000, nameof(options.TerminalCount), "must be 1-1000000");
        Check(options.SampleInterval >= TimeSpan.FromSeconds(1) && options.SampleInterval <= TimeSpan.FromDays(1)
            && options.SampleInterval.Ticks % TimeSpan.TicksPerSecond == 0, nameof(options.SampleInterval), "must be whole seconds, 1 s to 1 day");
        Check(options.SilentTerminalPercent is >= 0 and <= 100, nameof(options.SilentTerminalPercent), "must be 0-100");
        Check(!string.IsNullOrWhiteSpace(options.ClientId), nameof(options.ClientId), "is required");
        Check(!string.IsNullOrWhiteSpace(options.Username), nameof(options.Username), "is required");
        Check(!string.IsNullOrEmpty(options.Password), nameof(options.Password), "is required");
        Check(IsAbsolutePath(options.TokenPath), nameof(options.TokenPath), "must start with '/'");
        Check(IsAbsolutePath(options.ApiPrefix), nameof(options.ApiPrefix), "must start with '/'");
        Check(options.AccessTokenLifetime >= TimeSpan.FromSeconds(1), nameof(options.AccessTokenLifetime), "must be at least 1 s");
        Check(options.RefreshTokenLifetime >= TimeSpan.FromSeconds(1), nameof(options.RefreshTokenLifetime), "must be at least 1 s");
        Check(Enum.IsDefined(options.RefreshTokenRotation), nameof(options.RefreshTokenRotation), "is not a known rotation mode");
        Check(options.SubscriptionTtl >= TimeSpan.FromSeconds(1), nameof(options.SubscriptionTtl), "must be at least 1 s");
        Check(options.ExpiredSubscriptionStatusCode is 404 or 410, nameof(options.ExpiredSubscriptionStatusCode), "must be 404 or 410");
        Check(options.MaxRange >= TimeSpan.FromSeconds(1), nameof(options.MaxRange), "must be at least 1 s");
        Check(options.DefaultRange >= TimeSpan.FromSeconds(1) && options.DefaultRange <= options.MaxRange,
            nameof(options.DefaultRange), "must be at least 1 s and at most MaxRange");
        Check(options.MaxPageSize >= 1, nameof(options.MaxPageSize), "must be at least 1");
        Check(!string.IsNullOrWhiteSpace(options.TopicId), nameof(options.TopicId), "is required");
        Check(options.RangeFromParameterNames is { Count: > 0 } from && from.All(n => !string.IsNullOrWhiteSpace(n)),
            nameof(options.RangeFromParameterNames), "needs at least one non-empty name");
        Check(options.RangeToParameterNames is { Count: > 0 } to && to.All(n => !string.IsNullOrWhiteSpace(n)),
            nameof(options.RangeToParameterNames), "needs at least one non-empty name");
        if (options.RangeFromParameterNames is { } f && options.RangeToParameterNames is { } t)
        {
            Check(!f.Intersect(t, StringComparer.OrdinalIgnoreCase).Any(), nameof(options.RangeToParameterNames),
                "must not share a name with RangeFromParameterNames");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static bool IsAbsolutePath(string? path) => path is { Length: > 1 } && path[0] == '/' && !path.EndsWith('/');
}
