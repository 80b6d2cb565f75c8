namespace Satmon.Core.Connectors;

/// <summary>
/// A vendor integration. One instance serves every element of its kind: <see cref="CreateRuntime"/> makes the
/// per-element object that holds that element's clients and in-memory state.
/// </summary>
public interface IConnector
{
    /// <summary>What the connector declares: settings, tasks, tables, object definitions, commands.</summary>
    ConnectorDescriptor Descriptor { get; }

    /// <summary>Creates the runtime of one element. Called when the element starts; disposed when it stops.</summary>
    IElementRuntime CreateRuntime(IElementContext context);
}

/// <summary>The live part of one element: started, polled task by task, given commands, disposed when stopped.</summary>
public interface IElementRuntime : IAsyncDisposable
{
    /// <summary>
    /// Called once when the element starts, before any poll (e.g. authenticate). Throwing
    /// <see cref="AuthenticationFailedException"/> marks the element AuthFailed; polling still starts so the
    /// operator sees the tasks, and a later successful poll or command clears the state.
    /// </summary>
    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Runs one poll task to completion. Throw to fail it: the message becomes the task's reason.
    /// Throw <see cref="RetryAfterException"/> when the vendor asked to slow down.
    /// </summary>
    Task PollAsync(string task, CancellationToken cancellationToken);

    /// <summary>Runs an operator command declared in the descriptor.</summary>
    Task<CommandResult> ExecuteCommandAsync(string command, CancellationToken cancellationToken);
}
