using Satmon.Core.Connectors;
using Satmon.Core.Polling;
using Satmon.Core.Settings;

namespace Satmon.Core.Elements;

/// <summary>The element manager's polling side: task rows, their changes and poll-now, here or on the node running the element.</summary>
public sealed partial class ElementManager
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<PollTaskView>> GetPollingAsync(string id, CancellationToken cancellationToken)
    {
        var element = await LoadAsync(id, cancellationToken);
        if (_running.TryGetValue(id, out var instance) && instance.Poller is { } poller)
        {
            return poller.Snapshot();
        }

        // A stopped element still shows its rows as they were last persisted.
        var stored = await _store.Polling.ListAsync(id, cancellationToken);
        return TasksFor(GetConnector(element.Connector), element)
            .Select(t => new PollTaskView(t.Name, t.Description, t.DependsOn, t.DefaultInterval,
                stored.FirstOrDefault(s => string.Equals(s.Task, t.Name, StringComparison.OrdinalIgnoreCase))
                ?? new PollTaskState(t.Name, true, null, PollStatus.NotPolled, null, null, null, null, null)))
            .ToList();
    }

    /// <inheritdoc />
    public async Task<PollTaskView> UpdatePollingAsync(
        string id, string task, bool? enabled, TimeSpan? interval, bool resetInterval, CancellationToken cancellationToken)
    {
        if (interval is { } i && i < TimeSpan.FromSeconds(1))
        {
            throw new SettingsValidationException(new Dictionary<string, string[]>
            {
                ["intervalSeconds"] = [$"'intervalSeconds' must be at least 1; got {i.TotalSeconds}."],
            });
        }

        var element = await LoadAsync(id, cancellationToken);
        if (_running.TryGetValue(id, out var instance) && instance.Poller is { } poller)
        {
            return await poller.UpdateAsync(task, enabled, interval, resetInterval, cancellationToken);
        }

        if (await RunsElsewhereAsync(id, cancellationToken))
        {
            var known = GetConnector(element.Connector).PollTasks;
            var name = known.FirstOrDefault(t => string.Equals(t.Name, task, StringComparison.OrdinalIgnoreCase))?.Name
                ?? throw new PollTaskNotFoundException(task, known.Select(t => t.Name));
            await SendAsync(id, RequestKinds.Polling, new RequestArgument(Task: name, Enabled: enabled,
                IntervalMs: interval is { } ms ? (long)ms.TotalMilliseconds : null, ResetInterval: resetInterval), wait: true, cancellationToken);
            return (await GetPollingAsync(id, cancellationToken)).First(v => v.Name == name);
        }

        var view = (await GetPollingAsync(id, cancellationToken)).FirstOrDefault(v => string.Equals(v.Name, task, StringComparison.OrdinalIgnoreCase))
            ?? throw new PollTaskNotFoundException(task, GetConnector(element.Connector).PollTasks.Select(t => t.Name));
        var state = view.State with
        {
            Enabled = enabled ?? view.State.Enabled,
            CustomInterval = resetInterval ? null : interval ?? view.State.CustomInterval,
            Status = enabled == false ? PollStatus.Disabled : enabled == true && !view.State.Enabled ? PollStatus.NotPolled : view.State.Status,
        };
        await _store.Polling.SaveAsync(id, state, cancellationToken);
        return view with { State = state };
    }

    /// <inheritdoc />
    public async Task PollNowAsync(string id, string? task, CancellationToken cancellationToken)
    {
        var element = await LoadAsync(id, cancellationToken);
        if (await RunsElsewhereAsync(id, cancellationToken))
        {
            var known = GetConnector(element.Connector).PollTasks;
            if (task is not null && !known.Any(t => string.Equals(t.Name, task, StringComparison.OrdinalIgnoreCase)))
            {
                throw new PollTaskNotFoundException(task, known.Select(t => t.Name));
            }

            await SendAsync(id, RequestKinds.Poll, new RequestArgument(Task: task), wait: false, cancellationToken);
            return;
        }

        var poller = Running(id).Poller ?? throw new ElementNotRunningException(id);
        await poller.PollNowAsync(task, cancellationToken);
    }

    /// <summary>The element's tasks, with default intervals taken from its settings where the connector says so.</summary>
    private static List<PollTaskDefinition> TasksFor(ConnectorDescriptor descriptor, ElementRecord element)
    {
        // Interval settings are never secret, so the stored (still protected) values are good enough here.
        var settings = new ElementSettings(descriptor.Settings, element.Settings);
        return descriptor.PollTasks
            .Select(t => t.IntervalSettingKey is { } key ? t with { DefaultInterval = settings.GetDuration(key) } : t)
            .ToList();
    }
}
