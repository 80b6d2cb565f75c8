using Satmon.Core.Connectors;
using Satmon.Core.Polling;

namespace Satmon.Core.Elements;

/// <summary>
/// The platform's front door for elements: CRUD with validated settings, start/stop, commands and the polling
/// manager. The REST API and the dashboard both go through this; nothing else touches element lifecycles.
/// </summary>
public interface IElementManager
{
    /// <summary>This node's lease identity when elements are shared between nodes; null when this node runs them all.</summary>
    string? NodeId { get; }

    /// <summary>Registered connectors.</summary>
    IReadOnlyList<ConnectorDescriptor> Connectors { get; }

    /// <summary>Loads elements from storage and starts the enabled ones.</summary>
    Task StartAllAsync(CancellationToken cancellationToken);

    /// <summary>Stops every running element (host shutdown); their enabled flag is kept.</summary>
    Task StopAllAsync(CancellationToken cancellationToken);

    /// <summary>All elements.</summary>
    Task<IReadOnlyList<ElementView>> ListAsync(CancellationToken cancellationToken);

    /// <summary>One element; throws <see cref="ElementNotFoundException"/>.</summary>
    Task<ElementView> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Creates an element (and starts it unless <see cref="CreateElementRequest.Start"/> is false). Throws
    /// <see cref="SettingsValidationException"/> (nothing stored), <see cref="UnknownConnectorException"/> or
    /// <see cref="ElementConflictException"/>.
    /// </summary>
    Task<ElementView> CreateAsync(CreateElementRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Changes name and/or settings. Settings given are merged into the stored ones; a secret given as null or
    /// absent keeps its stored value. A running element restarts with the new settings.
    /// </summary>
    Task<ElementView> UpdateAsync(string id, UpdateElementRequest request, CancellationToken cancellationToken);

    /// <summary>Stops and deletes the element and everything it stored.</summary>
    Task DeleteAsync(string id, CancellationToken cancellationToken);

    /// <summary>Starts polling (persisted).</summary>
    Task<ElementView> StartAsync(string id, CancellationToken cancellationToken);

    /// <summary>Stops polling (persisted).</summary>
    Task<ElementView> StopAsync(string id, CancellationToken cancellationToken);

    /// <summary>Runs a connector command; throws <see cref="CommandNotFoundException"/> for an unknown one.</summary>
    Task<CommandResult> ExecuteCommandAsync(string id, string command, CancellationToken cancellationToken);

    /// <summary>Polling-manager rows of an element.</summary>
    Task<IReadOnlyList<PollTaskView>> GetPollingAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Enables/disables a task and/or sets its interval (null interval with <paramref name="resetInterval"/> = default).
    /// Throws <see cref="PollTaskNotFoundException"/>; an interval under 1 s is refused with <see cref="SettingsValidationException"/>.
    /// </summary>
    Task<PollTaskView> UpdatePollingAsync(string id, string task, bool? enabled, TimeSpan? interval, bool resetInterval, CancellationToken cancellationToken);

    /// <summary>Polls now: one task, or all enabled tasks when <paramref name="task"/> is null.</summary>
    Task PollNowAsync(string id, string? task, CancellationToken cancellationToken);

    /// <summary>The connector descriptor of an element.</summary>
    ConnectorDescriptor GetConnector(string connectorId);
}

/// <summary>An element as the API shows it: secrets masked.</summary>
/// <param name="Id">Id.</param>
/// <param name="Name">Name.</param>
/// <param name="Connector">Connector id.</param>
/// <param name="Enabled">Started (polling) or stopped.</param>
/// <param name="State">State.</param>
/// <param name="StateMessage">Message with the state.</param>
/// <param name="Settings">
/// Setting values by key: plain values as strings; secret ones as <see cref="SecretSettingView"/> (never the value).
/// </param>
/// <param name="CreatedAt">Created.</param>
public sealed record ElementView(
    string Id, string Name, string Connector, bool Enabled, ElementState State, string? StateMessage,
    IReadOnlyDictionary<string, object?> Settings, DateTimeOffset CreatedAt);

/// <summary>A secret setting as the API shows it: whether it is set, never its value.</summary>
/// <param name="Set">Whether a value is stored.</param>
public sealed record SecretSettingView(bool Set);

/// <summary>Create request.</summary>
/// <param name="Name">Display name; the id is derived from it.</param>
/// <param name="Connector">Connector id.</param>
/// <param name="Settings">Setting values as strings.</param>
/// <param name="Start">Start polling right away (default true).</param>
public sealed record CreateElementRequest(string Name, string Connector, IReadOnlyDictionary<string, string?> Settings, bool Start = true);

/// <summary>Update request; null members are left as they are.</summary>
/// <param name="Name">New name.</param>
/// <param name="Settings">Settings to change.</param>
public sealed record UpdateElementRequest(string? Name, IReadOnlyDictionary<string, string?>? Settings);

/// <summary>No element with that id.</summary>
public sealed class ElementNotFoundException(string id) : Exception($"No element with id '{id}'. GET /api/elements lists them.")
{
    /// <summary>The id asked for.</summary>
    public string ElementId { get; } = id;
}

/// <summary>No connector with that id.</summary>
public sealed class UnknownConnectorException(string connector, IEnumerable<string> known)
    : Exception($"Unknown connector '{connector}'. Known connectors: {string.Join(", ", known)}.");

/// <summary>An element with that id exists already.</summary>
public sealed class ElementConflictException(string id)
    : Exception($"An element with id '{id}' exists already; choose another name.");

/// <summary>The element's connector has no such command.</summary>
public sealed class CommandNotFoundException(string command, IEnumerable<string> known)
    : Exception($"Unknown command '{command}'. This element's commands: {string.Join(", ", known)}.");

/// <summary>The element has no such poll task.</summary>
public sealed class PollTaskNotFoundException(string task, IEnumerable<string> known)
    : Exception($"Unknown poll task '{task}'. This element's tasks: {string.Join(", ", known)}.");

/// <summary>
/// A stored secret setting cannot be decrypted with this node's key ring: the ring was lost or replaced, or the nodes
/// of a cluster do not share one. The element cannot start until the ring is restored or the secret entered again.
/// </summary>
public sealed class SecretUnreadableException(string setting, Exception inner)
    : Exception($"The secret setting '{setting}' cannot be decrypted with this node's key ring ({inner.Message}). Restore the key ring it " +
        "was saved with (all nodes must share DataProtection:KeyDirectory), or enter the secret again.", inner)
{
    /// <summary>The setting's key.</summary>
    public string Setting { get; } = setting;
}

/// <summary>Settings (or polling values) were refused; nothing was stored.</summary>
public sealed class SettingsValidationException(IReadOnlyDictionary<string, string[]> errors)
    : Exception("Invalid settings: " + string.Join(" ", errors.SelectMany(e => e.Value)))
{
    /// <summary>Errors by key.</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;
}

/// <summary>The element is stopped, and the request needs it running (a command, poll now).</summary>
public sealed class ElementNotRunningException(string id)
    : Exception($"Element '{id}' is stopped; start it (POST /api/elements/{id}/start) first.");

/// <summary>A poll request that the task's state does not allow (e.g. poll now on a disabled task).</summary>
public sealed class PollTaskDisabledException(string task)
    : Exception($"Task '{task}' is disabled; enable it (PATCH … {{\"enabled\": true}}) before polling it.");
