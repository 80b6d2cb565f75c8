using Satmon.Core.Objects;
using Satmon.Core.Settings;
using Satmon.Core.Tables;

namespace Satmon.Core.Connectors;

/// <summary>Everything a connector declares about itself: what it needs configured, what it polls, what it stores.</summary>
/// <param name="Id">Stable connector id used in element records and the API, e.g. <c>ses-mpower</c>.</param>
/// <param name="DisplayName">Human name shown in the dashboard.</param>
/// <param name="Settings">The typed, validated settings an element of this connector takes.</param>
/// <param name="PollTasks">The named API calls the polling manager schedules.</param>
/// <param name="Tables">Current-value tables the connector writes.</param>
/// <param name="ObjectDefinitions">Object-store definitions the connector writes (inventory).</param>
/// <param name="Commands">Operator commands, e.g. <c>authenticate</c>.</param>
public sealed record ConnectorDescriptor(
    string Id,
    string DisplayName,
    IReadOnlyList<SettingDefinition> Settings,
    IReadOnlyList<PollTaskDefinition> PollTasks,
    IReadOnlyList<TableDefinition> Tables,
    IReadOnlyList<ObjectDefinition> ObjectDefinitions,
    IReadOnlyList<CommandDefinition> Commands)
{
    /// <summary>Finds a table by name, or null.</summary>
    public TableDefinition? FindTable(string name) =>
        Tables.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>One named API call of an element that the polling manager schedules.</summary>
/// <param name="Name">Stable task name, e.g. <c>hello</c> or <c>pull-metrics</c>.</param>
/// <param name="Description">What the call does, in words.</param>
/// <param name="DefaultInterval">Interval used when the operator set no custom interval.</param>
/// <param name="DependsOn">A task that must have succeeded (its last run) before this one may run; null for none.</param>
public sealed record PollTaskDefinition(string Name, string Description, TimeSpan DefaultInterval, string? DependsOn = null)
{
    /// <summary>
    /// A <see cref="Settings.SettingType.DurationSeconds"/> setting whose value is this task's default interval for an
    /// element (e.g. mPOWER's "pull interval"); null uses <see cref="DefaultInterval"/>. The operator's custom
    /// interval in the polling manager still wins over both.
    /// </summary>
    public string? IntervalSettingKey { get; init; }
}

/// <summary>An operator command of a connector.</summary>
/// <param name="Name">Route name, e.g. <c>authenticate</c>.</param>
/// <param name="Description">What it does.</param>
public sealed record CommandDefinition(string Name, string Description);

/// <summary>Outcome of a connector command, shown to the operator.</summary>
/// <param name="Success">Whether the command did what was asked.</param>
/// <param name="Message">What happened, in words.</param>
public sealed record CommandResult(bool Success, string Message);
