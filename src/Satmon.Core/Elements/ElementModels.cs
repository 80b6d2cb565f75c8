namespace Satmon.Core.Elements;

/// <summary>The state of an element as the operator sees it.</summary>
public enum ElementState
{
    /// <summary>Created or starting; no poll has finished yet.</summary>
    Starting,
    /// <summary>Logging in to the vendor.</summary>
    Authenticating,
    /// <summary>Every enabled task is succeeding.</summary>
    Running,
    /// <summary>Some tasks are failing.</summary>
    Degraded,
    /// <summary>The vendor refused the credentials.</summary>
    AuthFailed,
    /// <summary>Not polling.</summary>
    Stopped,
}

/// <summary>An element as persisted. Secret setting values are already encrypted here.</summary>
/// <param name="Id">Stable id, lower-case letters, digits and dashes.</param>
/// <param name="Name">Display name.</param>
/// <param name="Connector">Connector id.</param>
/// <param name="Settings">Setting values as invariant strings; secret ones protected.</param>
/// <param name="Enabled">Whether the element should poll (started) or not (stopped).</param>
/// <param name="State">Last state.</param>
/// <param name="StateMessage">Message with the state.</param>
/// <param name="CreatedAt">Creation time.</param>
public sealed record ElementRecord(
    string Id,
    string Name,
    string Connector,
    IReadOnlyDictionary<string, string?> Settings,
    bool Enabled,
    ElementState State,
    string? StateMessage,
    DateTimeOffset CreatedAt);
