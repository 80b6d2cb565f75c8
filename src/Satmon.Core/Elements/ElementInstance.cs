using Microsoft.Extensions.Logging;
using Satmon.Core.Connectors;
using Satmon.Core.Polling;
using Satmon.Core.Storage;

namespace Satmon.Core.Elements;

/// <summary>
/// One running element: its connector runtime, its polling manager, and the element state derived from both.
/// Lives from start to stop.
/// </summary>
internal sealed partial class ElementInstance : IElementStatus, IAsyncDisposable
{
    private readonly IElementRepository _elements;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly HashSet<string> _authFailedTasks = new(StringComparer.OrdinalIgnoreCase);
    private readonly CancellationTokenSource _stopping = new();
    private IElementRuntime? _runtime;
    private Task _startup = Task.CompletedTask;
    private bool _startAuthFailed;

    public ElementInstance(string id, IElementRepository elements, ILogger logger, ElementState state, string? message)
    {
        Id = id;
        _elements = elements;
        _logger = logger;
        State = state;
        Message = message;
    }

    public string Id { get; }

    public ElementState State { get; private set; }

    public string? Message { get; private set; }

    public PollingManager? Poller { get; private set; }

    public IElementRuntime Runtime => _runtime ?? throw new InvalidOperationException("The element has not started.");

    public async Task SetAsync(ElementState state, string? message, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            State = state;
            Message = message;
        }

        await _elements.SetStateAsync(Id, state, message, cancellationToken);
    }

    /// <summary>
    /// Loads the polling rows, then in the background runs the connector's start (e.g. authenticate) and arms the
    /// poller. A failed start does not stop polling: the tasks show why they fail and recover by themselves.
    /// </summary>
    public async Task StartAsync(IElementRuntime runtime, PollingManager poller, CancellationToken cancellationToken)
    {
        _runtime = runtime;
        Poller = poller;
        await poller.LoadAsync(cancellationToken);
        await SetAsync(ElementState.Starting, "Starting.", cancellationToken);
        // The start-up outlives the request that started the element, so it listens to the element's own stop.
        var stopping = _stopping.Token;
        _startup = Task.Run(async () =>
        {
            try
            {
                await runtime.StartAsync(stopping);
                if (State is ElementState.Starting or ElementState.Authenticating)
                {
                    await SetAsync(ElementState.Running, "Started; polling.", CancellationToken.None);
                }
            }
            catch (AuthenticationFailedException ex)
            {
                _startAuthFailed = true;
                await SetAsync(ElementState.AuthFailed, ex.Message, CancellationToken.None);
            }
            catch (Exception ex) when (!stopping.IsCancellationRequested)
            {
                LogStartFailed(_logger, Id, PollingManager.Describe(ex));
                await SetAsync(ElementState.Degraded, "Start failed: " + PollingManager.Describe(ex), CancellationToken.None);
            }
            finally
            {
                if (!stopping.IsCancellationRequested)
                {
                    poller.Begin();
                }
            }
        }, CancellationToken.None);
    }

    /// <summary>Completes when start-up and every poll in progress have finished.</summary>
    public async Task WhenIdleAsync()
    {
        await _startup;
        if (Poller is not null)
        {
            await Poller.WhenIdleAsync();
        }
    }

    /// <summary>Derives the element state from the task rows after each run.</summary>
    public async Task OnPollCompletedAsync(PollOutcome outcome)
    {
        ElementState state;
        string message;
        lock (_gate)
        {
            if (outcome.Error is AuthenticationFailedException)
            {
                _authFailedTasks.Add(outcome.Task);
            }
            else
            {
                _authFailedTasks.Remove(outcome.Task);
                _startAuthFailed &= !outcome.Succeeded;
            }

            var failing = (Poller?.Snapshot() ?? []).Where(v => v.State is { Enabled: true, Status: Polling.PollStatus.Failed }).ToList();
            if (_authFailedTasks.Count > 0 || _startAuthFailed)
            {
                state = ElementState.AuthFailed;
                message = outcome.Error is AuthenticationFailedException auth ? auth.Message : Message ?? "Authentication failed.";
            }
            else if (failing.Count > 0)
            {
                state = ElementState.Degraded;
                message = $"{failing.Count} task(s) failing: " + string.Join("; ", failing.Select(f => $"{f.Name}: {f.State.Reason}"));
            }
            else
            {
                state = ElementState.Running;
                message = "All tasks polling normally.";
            }
        }

        if (state != State || message != Message)
        {
            await SetAsync(state, message, CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        try
        {
            await _startup;
        }
        catch (Exception) when (_stopping.IsCancellationRequested)
        {
            // Stopping during start-up is normal; the start-up's own failure was already recorded as the state.
        }

        if (Poller is not null)
        {
            await Poller.DisposeAsync();
        }

        if (_runtime is not null)
        {
            await _runtime.DisposeAsync();
        }

        _stopping.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Element {ElementId}: start failed: {Reason}")]
    private static partial void LogStartFailed(ILogger logger, string elementId, string reason);
}
