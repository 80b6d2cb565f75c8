using Microsoft.Extensions.Logging;
using Satmon.Core.Connectors;
using Satmon.Core.Storage;

namespace Satmon.Core.Polling;

/// <summary>Outcome of one finished poll run, reported to the element so it can derive its state.</summary>
/// <param name="Task">Task name.</param>
/// <param name="Succeeded">Whether the run succeeded.</param>
/// <param name="Error">The exception of a failed run.</param>
public sealed record PollOutcome(string Task, bool Succeeded, Exception? Error);

/// <summary>
/// Schedules the poll tasks of one element on a <see cref="TimeProvider"/> timer: intervals (default or custom),
/// enable/disable, poll now, dependencies, Retry-After, and persistence of every row so a restart resumes.
/// One run of a task at a time; a failing task never stops the others.
/// </summary>
public sealed partial class PollingManager : IAsyncDisposable
{
    private readonly string _elementId;
    private readonly Dictionary<string, Entry> _entries;
    private readonly Func<string, CancellationToken, Task> _poll;
    private readonly IPollingRepository _repository;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly PollingMetrics? _metrics;
    private readonly Func<PollOutcome, Task>? _onCompleted;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private ITimer? _timer;
    private bool _stopped;

    /// <summary>Creates the manager; call <see cref="LoadAsync"/> then <see cref="Begin"/>.</summary>
    /// <param name="elementId">Element id (for logs, metrics and persistence).</param>
    /// <param name="tasks">The connector's task declarations.</param>
    /// <param name="poll">Runs one task.</param>
    /// <param name="repository">Where rows are persisted.</param>
    /// <param name="time">Clock and timers.</param>
    /// <param name="logger">Logger.</param>
    /// <param name="metrics">Poll metrics, or null.</param>
    /// <param name="onCompleted">Called after each run (element state derivation), or null.</param>
    public PollingManager(
        string elementId,
        IReadOnlyList<PollTaskDefinition> tasks,
        Func<string, CancellationToken, Task> poll,
        IPollingRepository repository,
        TimeProvider time,
        ILogger logger,
        PollingMetrics? metrics = null,
        Func<PollOutcome, Task>? onCompleted = null)
    {
        _elementId = elementId;
        _poll = poll;
        _repository = repository;
        _time = time;
        _logger = logger;
        _metrics = metrics;
        _onCompleted = onCompleted;
        _entries = tasks.ToDictionary(t => t.Name, t => new Entry(t, Initial(t.Name, null)), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Reads persisted rows (creating missing ones). A run that a crash interrupted is due at once.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        var stored = await _repository.ListAsync(_elementId, cancellationToken);
        var now = _time.GetUtcNow();
        foreach (var entry in _entries.Values)
        {
            var row = stored.FirstOrDefault(s => string.Equals(s.Task, entry.Definition.Name, StringComparison.OrdinalIgnoreCase));
            entry.State = row switch
            {
                null => Initial(entry.Definition.Name, now),
                { Enabled: false } => row with { Status = PollStatus.Disabled, NextPoll = null },
                { Status: PollStatus.Polling } => row with { Status = PollStatus.Failed, Reason = "Interrupted: Satmon stopped during this poll.", NextPoll = now },
                // A start (restart, new settings) retries what failed at once, e.g. a hello that the tasks wait for;
                // a vendor's Retry-After (NotBefore) still holds.
                { Status: PollStatus.Failed } => row with { NextPoll = now },
                { NextPoll: null } => row with { NextPoll = now },
                _ => row,
            };
            await _repository.SaveAsync(_elementId, entry.State, cancellationToken);
        }
    }

    /// <summary>Arms the timer: due tasks start now, the rest at their next poll time.</summary>
    public void Begin()
    {
        lock (_gate)
        {
            _timer ??= _time.CreateTimer(_ => Dispatch(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }

        Dispatch();
    }

    /// <summary>The rows as the polling manager page shows them.</summary>
    public IReadOnlyList<PollTaskView> Snapshot()
    {
        lock (_gate)
        {
            return _entries.Values.Select(e => e.ToView()).ToList();
        }
    }

    /// <summary>Enables/disables a task and/or changes its interval; persisted at once.</summary>
    public async Task<PollTaskView> UpdateAsync(string task, bool? enabled, TimeSpan? interval, bool resetInterval, CancellationToken cancellationToken)
    {
        PollTaskState state;
        lock (_gate)
        {
            var entry = Find(task);
            var now = _time.GetUtcNow();
            var s = entry.State;
            if (interval is not null || resetInterval)
            {
                s = s with { CustomInterval = resetInterval ? null : interval };
                if (s.Enabled && s.NextPoll is not null)
                {
                    // A new interval counts from the last start, so shortening it can make the task due now.
                    var next = (s.LastStart ?? now) + (s.CustomInterval ?? entry.Definition.DefaultInterval);
                    s = s with { NextPoll = next < now ? now : next };
                }
            }

            if (enabled == false && s.Enabled)
            {
                s = s with { Enabled = false, Status = entry.Running is null ? PollStatus.Disabled : s.Status, NextPoll = null };
            }
            else if (enabled == true && !s.Enabled)
            {
                s = s with { Enabled = true, Status = PollStatus.NotPolled, Reason = null, NextPoll = now };
            }

            entry.State = state = s;
        }

        await _repository.SaveAsync(_elementId, state, cancellationToken);
        Dispatch();
        lock (_gate)
        {
            return Find(task).ToView();
        }
    }

    /// <summary>
    /// Makes one task (or every enabled task) due now. A task that is running runs again right after; a vendor's
    /// Retry-After still holds (the run waits until it has passed).
    /// </summary>
    public async Task PollNowAsync(string? task, CancellationToken cancellationToken)
    {
        List<PollTaskState> changed = [];
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            var targets = task is null ? _entries.Values.Where(e => e.State.Enabled).ToList() : [Find(task)];
            foreach (var entry in targets)
            {
                if (!entry.State.Enabled)
                {
                    throw new Elements.PollTaskDisabledException(entry.Definition.Name);
                }

                if (entry.Running is not null)
                {
                    entry.PollAgain = true;
                    continue;
                }

                entry.State = entry.State with { NextPoll = now };
                changed.Add(entry.State);
            }
        }

        foreach (var state in changed)
        {
            await _repository.SaveAsync(_elementId, state, cancellationToken);
        }

        Dispatch();
    }

    /// <summary>Completes when no run is in progress (including runs that finishing runs started).</summary>
    public async Task WhenIdleAsync()
    {
        while (true)
        {
            Task[] running;
            lock (_gate)
            {
                running = _entries.Values.Select(e => e.Running).OfType<Task>().ToArray();
            }

            if (running.Length == 0)
            {
                return;
            }

            await Task.WhenAll(running);
        }
    }

    /// <summary>Stops the timer, cancels runs in progress and waits for them to end.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            _stopped = true;
        }

        await _stopping.CancelAsync();
        if (_timer is not null)
        {
            await _timer.DisposeAsync();
        }

        await WhenIdleAsync();
        _stopping.Dispose();
    }

    private Entry Find(string task) =>
        _entries.TryGetValue(task, out var entry) ? entry : throw new Elements.PollTaskNotFoundException(task, _entries.Keys);

    private static PollTaskState Initial(string task, DateTimeOffset? now) =>
        new(task, Enabled: true, CustomInterval: null, PollStatus.NotPolled, Reason: null, LastStart: null, LastDuration: null, NextPoll: now, NotBefore: null);

    /// <summary>Starts every due task whose dependency has succeeded, then re-arms the timer for the earliest next one.</summary>
    private void Dispatch()
    {
        lock (_gate)
        {
            if (_stopped || _timer is null)
            {
                return;
            }

            var now = _time.GetUtcNow();
            DateTimeOffset? earliest = null;
            foreach (var entry in _entries.Values)
            {
                var s = entry.State;
                if (!s.Enabled || entry.Running is not null || s.NextPoll is not { } next)
                {
                    continue;
                }

                var due = s.NotBefore is { } notBefore && notBefore > next ? notBefore : next;
                if (due > now)
                {
                    earliest = earliest is null || due < earliest ? due : earliest;
                    continue;
                }

                if (WaitingFor(entry) is { } waiting)
                {
                    // Re-checked when the dependency finishes; no timer needed for it.
                    entry.State = s with { Reason = waiting };
                    continue;
                }

                entry.State = s with { Status = PollStatus.Polling, LastStart = now };
                entry.Running = Task.Run(() => RunAsync(entry));
            }

            var delay = earliest is { } at ? at - now : Timeout.InfiniteTimeSpan;
            _timer.Change(delay, Timeout.InfiniteTimeSpan);
        }
    }

    private string? WaitingFor(Entry entry)
    {
        if (entry.Definition.DependsOn is not { } dependency)
        {
            return null;
        }

        if (!_entries.TryGetValue(dependency, out var other))
        {
            return $"Depends on unknown task '{dependency}'.";
        }

        return other.State switch
        {
            { Enabled: false } => $"Waiting for '{dependency}', which is disabled.",
            { Status: PollStatus.Succeeded } => null,
            { Status: PollStatus.Failed, Reason: var why } => $"Waiting for '{dependency}' to succeed (it failed: {why})",
            _ => $"Waiting for '{dependency}' to succeed.",
        };
    }

    private async Task RunAsync(Entry entry)
    {
        var name = entry.Definition.Name;
        var started = _time.GetTimestamp();
        Exception? error = null;
        var ct = _stopping.Token;
        try
        {
            await _repository.SaveAsync(_elementId, entry.State, ct);
            LogPollStarted(_logger, _elementId, name);
            await _poll(name, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            error = new OperationCanceledException("Cancelled: the element was stopped during this poll.");
        }
        catch (Exception ex)
        {
            error = ex;
        }

        var duration = _time.GetElapsedTime(started);
        PollTaskState state;
        lock (_gate)
        {
            state = entry.State = Finish(entry, duration, error);
        }

        if (error is null)
        {
            LogPollSucceeded(_logger, _elementId, name, duration.TotalMilliseconds);
        }
        else
        {
            LogPollFailed(_logger, _elementId, name, state.Reason ?? "");
        }

        _metrics?.Record(_elementId, name, error is null, duration);
        try
        {
            // Persist with a fresh token: a stop must still record how the interrupted run ended.
            await _repository.SaveAsync(_elementId, state, CancellationToken.None);
            if (_onCompleted is not null)
            {
                await _onCompleted(new PollOutcome(name, error is null, error));
            }
        }
        catch (Exception ex)
        {
            LogPersistFailed(_logger, ex, _elementId, name);
        }

        lock (_gate)
        {
            entry.Running = null;
        }

        Dispatch();
    }

    private PollTaskState Finish(Entry entry, TimeSpan duration, Exception? error)
    {
        var s = entry.State;
        var now = _time.GetUtcNow();
        var start = s.LastStart ?? now;
        var interval = s.CustomInterval ?? entry.Definition.DefaultInterval;
        var next = start + interval;
        if (next < now)
        {
            next = now;
        }

        // A run cut short by a stop (or asked again while running) is due at once: a restart resumes it then.
        if (entry.PollAgain || (error is OperationCanceledException && _stopping.IsCancellationRequested))
        {
            entry.PollAgain = false;
            next = now;
        }

        DateTimeOffset? notBefore = error is RetryAfterException retry ? now + retry.RetryAfter : null;
        return s with
        {
            Status = !s.Enabled ? PollStatus.Disabled : error is null ? PollStatus.Succeeded : PollStatus.Failed,
            Reason = error is null ? null : Describe(error),
            LastDuration = duration,
            NextPoll = s.Enabled ? next : null,
            NotBefore = notBefore,
        };
    }

    /// <summary>Turns an exception into the reason an operator reads: the message, with the inner cause when it adds something.</summary>
    internal static string Describe(Exception error)
    {
        var message = error is VendorException or OperationCanceledException ? error.Message : $"{error.GetType().Name}: {error.Message}";
        if (error is not VendorException && error.InnerException is { } inner && !message.Contains(inner.Message, StringComparison.Ordinal))
        {
            message += $" ({inner.Message})";
        }

        return message;
    }

    private sealed class Entry(PollTaskDefinition definition, PollTaskState state)
    {
        public PollTaskDefinition Definition { get; } = definition;

        public PollTaskState State { get; set; } = state;

        public Task? Running { get; set; }

        public bool PollAgain { get; set; }

        public PollTaskView ToView() => new(Definition.Name, Definition.Description, Definition.DependsOn, Definition.DefaultInterval, State);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Element {ElementId}: poll {Task} started")]
    private static partial void LogPollStarted(ILogger logger, string elementId, string task);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Element {ElementId}: poll {Task} succeeded in {DurationMs:F0} ms")]
    private static partial void LogPollSucceeded(ILogger logger, string elementId, string task, double durationMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Element {ElementId}: poll {Task} failed: {Reason}")]
    private static partial void LogPollFailed(ILogger logger, string elementId, string task, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Element {ElementId}: could not record the end of poll {Task}")]
    private static partial void LogPersistFailed(ILogger logger, Exception exception, string elementId, string task);
}
