using System.Threading.Channels;
using Satmon.Core.Connectors;
using Satmon.Core.History;

namespace Satmon.Connectors.OneWeb;

/// <summary>
/// Writes history batches on one background writer while the caller goes on parsing the vendor's body, so reading
/// and storing overlap. Bounded with <see cref="BoundedChannelFullMode.Wait"/>: a slow store slows the reader down
/// (back-pressure), nothing is dropped. A failed write ends the pipeline and surfaces at the next add or at completion.
/// </summary>
internal sealed class HistoryPipeline
{
    private const int BatchSize = 50_000;
    private readonly Channel<List<HistoryPoint>> _channel = Channel.CreateBounded<List<HistoryPoint>>(
        new BoundedChannelOptions(2) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true, SingleWriter = true });
    private readonly IElementHistory _history;
    private readonly CancellationToken _cancellationToken;
    private readonly Task _writer;
    private List<HistoryPoint> _batch = new(BatchSize);

    public HistoryPipeline(IElementHistory history, CancellationToken cancellationToken)
    {
        _history = history;
        _cancellationToken = cancellationToken;
        _writer = Task.Run(WriteAllAsync, CancellationToken.None);
    }

    public ValueTask AddAsync(HistoryPoint point)
    {
        _batch.Add(point);
        return _batch.Count >= BatchSize ? FlushAsync() : ValueTask.CompletedTask;
    }

    /// <summary>Writes what is left and waits until every point is stored (or throws the writer's failure).</summary>
    public async Task CompleteAsync()
    {
        try
        {
            await FlushAsync();
        }
        finally
        {
            _channel.Writer.TryComplete();
        }

        await _writer;
    }

    private async ValueTask FlushAsync()
    {
        if (_batch.Count == 0)
        {
            return;
        }

        var full = _batch;
        _batch = new List<HistoryPoint>(BatchSize);
        try
        {
            await _channel.Writer.WriteAsync(full, _cancellationToken);
        }
        catch (ChannelClosedException)
        {
            // The writer failed: its exception is the one worth reporting.
            await _writer;
            throw;
        }
    }

    private async Task WriteAllAsync()
    {
        try
        {
            await foreach (var batch in _channel.Reader.ReadAllAsync(_cancellationToken))
            {
                await _history.WriteAsync(batch, _cancellationToken);
            }
        }
        catch (Exception ex)
        {
            _channel.Writer.TryComplete(ex);
            throw;
        }
    }
}
