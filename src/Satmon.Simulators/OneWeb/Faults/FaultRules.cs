using Microsoft.AspNetCore.Http;

namespace Satmon.Simulators.OneWeb.Faults;

/// <summary>Rename (<see cref="NewName"/> set) or drop (null) a property in the next responses.</summary>
internal sealed class FieldRule(string field, string? newName, int count, string? pathPrefix)
{
    public string Field { get; } = field;

    public string? NewName { get; } = newName;

    public int Remaining { get; set; } = count;

    public string? PathPrefix { get; } = pathPrefix;

    // Same matching as the shared fault queue: whole segments, case-insensitive.
    public bool Matches(string path) => PathPrefix is not { Length: > 1 } prefix
        || new PathString(path).StartsWithSegments(new PathString(prefix.TrimEnd('/')), StringComparison.OrdinalIgnoreCase);

    public override string ToString() =>
        (NewName is null ? $"drop field '{Field}'" : $"rename field '{Field}' to '{NewName}'")
        + $" in the next {Remaining} response(s){(PathPrefix is null ? "" : $" under {PathPrefix}")}";
}

/// <summary>A late-sample rule: matching samples wait <see cref="Delay"/> after their interval end.</summary>
internal sealed record LateSampleRule(
    OneWebReportType ReportType, TimeSpan Delay, string? EntityId, DateTimeOffset? From, DateTimeOffset? To)
{
    public bool Covers(DateTimeOffset intervalStart) =>
        (From is null || intervalStart >= From) && (To is null || intervalStart < To);

    public override string ToString() =>
        $"late {ReportType} samples (delay {Delay}) for {EntityId ?? "every entity"}, intervals from {From?.ToString("O") ?? "any time"} to {To?.ToString("O") ?? "any time"}";
}
