namespace Satmon.Connectors.Http;

/// <summary>
/// The time limit of one vendor exchange, on the element's <see cref="TimeProvider"/>, kept apart from the caller's
/// cancellation so a timeout can be reported as such. It can be paused while the caller does its own work (e.g.
/// writes a batch to storage in the middle of a streamed body), so only time spent waiting on the vendor counts.
/// </summary>
public sealed class RequestTimeout : IDisposable
{
    private readonly CancellationTokenSource _timeout;
    private readonly CancellationTokenSource _linked;

    /// <summary>Starts the clock.</summary>
    /// <param name="duration">How long the vendor may take.</param>
    /// <param name="time">The clock (a fake one in tests).</param>
    /// <param name="cancellationToken">The caller's cancellation.</param>
    public RequestTimeout(TimeSpan duration, TimeProvider time, CancellationToken cancellationToken)
    {
        Duration = duration;
        _timeout = new CancellationTokenSource(duration, time);
        _linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _timeout.Token);
    }

    /// <summary>The limit.</summary>
    public TimeSpan Duration { get; }

    /// <summary>Cancelled by the caller or by the timeout.</summary>
    public CancellationToken Token => _linked.Token;

    /// <summary>Whether the limit (not the caller) ended the exchange.</summary>
    public bool HasExpired => _timeout.IsCancellationRequested;

    /// <summary>Stops the clock (our own work is not the vendor's slowness).</summary>
    public void Pause() => _timeout.CancelAfter(Timeout.InfiniteTimeSpan);

    /// <summary>Restarts the full limit.</summary>
    public void Restart() => _timeout.CancelAfter(Duration);

    /// <inheritdoc />
    public void Dispose()
    {
        _linked.Dispose();
        _timeout.Dispose();
    }
}
