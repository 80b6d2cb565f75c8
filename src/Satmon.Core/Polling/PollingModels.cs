namespace Satmon.Core.Polling;

/// <summary>Status of a poll task.</summary>
public enum PollStatus
{
    /// <summary>Never ran (or waiting for the task it depends on).</summary>
    NotPolled,
    /// <summary>Turned off by the operator.</summary>
    Disabled,
    /// <summary>Running now.</summary>
    Polling,
    /// <summary>Last run succeeded.</summary>
    Succeeded,
    /// <summary>Last run failed; see the reason.</summary>
    Failed,
}

/// <summary>A polling-manager row as persisted.</summary>
/// <param name="Task">Task name.</param>
/// <param name="Enabled">Whether it is scheduled.</param>
/// <param name="CustomInterval">Operator's interval; null uses the connector default.</param>
/// <param name="Status">Status.</param>
/// <param name="Reason">Last error or waiting reason, in words; null after success.</param>
/// <param name="LastStart">Start of the last run.</param>
/// <param name="LastDuration">Duration of the last run.</param>
/// <param name="NextPoll">When it runs next; null when disabled.</param>
/// <param name="NotBefore">Vendor Retry-After: no run before this time, not even a poll-now.</param>
public sealed record PollTaskState(
    string Task,
    bool Enabled,
    TimeSpan? CustomInterval,
    PollStatus Status,
    string? Reason,
    DateTimeOffset? LastStart,
    TimeSpan? LastDuration,
    DateTimeOffset? NextPoll,
    DateTimeOffset? NotBefore);

/// <summary>A polling-manager row for display: the persisted state plus the task's declaration.</summary>
/// <param name="Name">Task name.</param>
/// <param name="Description">What the call does.</param>
/// <param name="DependsOn">Task it waits for.</param>
/// <param name="DefaultInterval">Connector default.</param>
/// <param name="State">Persisted state.</param>
public sealed record PollTaskView(string Name, string Description, string? DependsOn, TimeSpan DefaultInterval, PollTaskState State)
{
    /// <summary>The interval in force.</summary>
    public TimeSpan Interval => State.CustomInterval ?? DefaultInterval;
}
