using System.Text.Json.Serialization;
using Satmon.Core.Connectors;
using Satmon.Core.Objects;
using Satmon.Core.Polling;
using Satmon.Core.Settings;
using Satmon.Core.Tables;

namespace Satmon.Api;

// Wire shapes of the REST API. Core records are returned as they are where their shape is already right; these
// exist where a Core type carries TimeSpans (the API speaks seconds) or the API adds something (row counts, links).

public sealed record ConnectorDto(
    string Id,
    string DisplayName,
    IReadOnlyList<SettingDefinition> Settings,
    IReadOnlyList<TableDefinition> Tables,
    IReadOnlyList<PollTaskDefinitionDto> PollTasks,
    IReadOnlyList<CommandDefinition> Commands,
    IReadOnlyList<ObjectDefinition> ObjectDefinitions)
{
    public static ConnectorDto From(ConnectorDescriptor d) => new(
        d.Id,
        d.DisplayName,
        // A secret's default would be a secret too: never shown.
        d.Settings.Select(s => s.Secret ? s with { Default = null } : s).ToList(),
        d.Tables,
        d.PollTasks.Select(t => new PollTaskDefinitionDto(t.Name, t.Description, t.DefaultInterval.TotalSeconds, t.DependsOn, t.IntervalSettingKey)).ToList(),
        d.Commands,
        d.ObjectDefinitions);
}

/// <summary>A poll task as declared; <c>intervalSettingKey</c> names the setting that overrides the default per element.</summary>
public sealed record PollTaskDefinitionDto(string Name, string Description, double DefaultIntervalSeconds, string? DependsOn, string? IntervalSettingKey);

public sealed record PollTaskDto(
    string Name,
    string Description,
    string? DependsOn,
    bool Enabled,
    PollStatus Status,
    string? Reason,
    double DefaultIntervalSeconds,
    double? CustomIntervalSeconds,
    double IntervalSeconds,
    DateTimeOffset? LastStart,
    double? LastDurationSeconds,
    DateTimeOffset? NextPoll,
    DateTimeOffset? NotBefore)
{
    public static PollTaskDto From(PollTaskView v) => new(
        v.Name,
        v.Description,
        v.DependsOn,
        v.State.Enabled,
        v.State.Status,
        v.State.Reason,
        v.DefaultInterval.TotalSeconds,
        v.State.CustomInterval?.TotalSeconds,
        v.Interval.TotalSeconds,
        v.State.LastStart,
        v.State.LastDuration?.TotalSeconds,
        v.State.NextPoll,
        v.State.NotBefore);
}

/// <summary>
/// Body of <c>PATCH …/polling/{task}</c>. <c>intervalSeconds: null</c> means "back to the default" while an absent
/// member means "leave it": the setter records that the member was present, which a plain nullable cannot tell.
/// </summary>
public sealed class PollingPatchBody
{
    private int? _intervalSeconds;

    public bool? Enabled { get; set; }

    public int? IntervalSeconds
    {
        get => _intervalSeconds;
        set
        {
            _intervalSeconds = value;
            IntervalSecondsGiven = true;
        }
    }

    [JsonIgnore]
    public bool IntervalSecondsGiven { get; private set; }
}

public sealed record ElementTableDto(
    string Name, string Label, string KeyName, IReadOnlyList<ColumnDefinition> Columns, FleetMapping? Fleet, long RowCount);

public sealed record TableRowDto(string Key, IReadOnlyDictionary<string, object?> Values);

/// <summary>A page: <c>nextCursor</c> asks for the page after it (the <c>cursor</c> parameter); null on the last page.</summary>
public sealed record TablePageDto(long Total, IReadOnlyList<TableRowDto> Rows, string? NextCursor);

/// <summary>One row; <c>links</c> maps each reference column with a value to the referenced row's URL.</summary>
public sealed record TableRowDetailDto(string Key, IReadOnlyDictionary<string, object?> Values, IReadOnlyDictionary<string, string> Links);

public sealed record HistoryDto(
    string Table, string Key, string Column, string? Unit, string Resolution, DateTimeOffset From, DateTimeOffset To,
    IReadOnlyList<object> Points);

public sealed record HistoryRawPointDto(DateTimeOffset Time, double Value);

public sealed record HistoryRollupPointDto(DateTimeOffset Time, double Min, double Avg, double Max, long Count);

public sealed record ObjectPageDto(long Total, IReadOnlyList<StoredObject> Items);

public sealed record FleetTerminalDto(
    string Element,
    string Operator,
    string Id,
    string Name,
    string Status,
    double? Latitude,
    double? Longitude,
    double? Latency,
    double? Throughput,
    DateTimeOffset? LastSeen);

public sealed record HealthDto(string Status, string Storage);
