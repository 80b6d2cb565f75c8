using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using SQLitePCL;

namespace Satmon.Storage.Sqlite;

/// <summary>
/// Copies the WAL into the database file on a connection of its own, so that writers do not wait for it.
/// </summary>
/// <remarks>
/// SQLite's automatic checkpoint runs inside the commit that crosses its threshold: that commit then copies the
/// whole WAL and waits for two fsyncs, which during a bulk load was more than half of the time spent committing.
/// Here the writer only counts the pages its commits add to the WAL (<c>SQLITE_DBSTATUS_CACHE_WRITE</c>) and, past
/// the threshold, wakes this loop, which runs a PASSIVE checkpoint: it never blocks the writer or readers, and it
/// syncs the same files in the same order as the automatic one, so durability is unchanged. The writer's automatic
/// checkpoint stays on at four times the threshold as a safety net, for when this loop cannot keep up or has failed.
/// </remarks>
internal sealed class WalCheckpointer : IAsyncDisposable
{
    private readonly SqliteConnection _connection;
    private readonly ILogger _logger;
    private readonly string _path;
    private readonly long _thresholdPages;
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly Task _loop;
    private TaskCompletionSource _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _pagesSinceWake;
    private SqliteCheckpointStatistics _statistics = SqliteCheckpointStatistics.None;

    /// <summary>Starts the loop on <paramref name="connection"/>, which it owns from now on.</summary>
    public WalCheckpointer(SqliteConnection connection, long thresholdPages, string path, ILogger logger)
    {
        _connection = connection;
        _thresholdPages = thresholdPages;
        _path = path;
        _logger = logger;
        _loop = Task.Run(RunAsync, CancellationToken.None);
    }

    /// <summary>What the loop has done so far.</summary>
    public SqliteCheckpointStatistics Statistics
    {
        get
        {
            lock (_gate)
            {
                return _statistics;
            }
        }
    }

    /// <summary>Completes when the next checkpoint of this loop has finished (successfully or not).</summary>
    public Task NextCheckpointAsync()
    {
        lock (_gate)
        {
            return _completed.Task;
        }
    }

    /// <summary>
    /// Called by the writer after each write, on the write connection: counts the pages the write added to the WAL
    /// and wakes the loop once they pass the threshold.
    /// </summary>
    public void AfterWrite(SqliteConnection writer)
    {
        // Reset on read: each call sees only the pages written since the previous one.
        if (raw.sqlite3_db_status(writer.Handle, raw.SQLITE_DBSTATUS_CACHE_WRITE, out var written, out _, 1) != raw.SQLITE_OK || written == 0)
        {
            return;
        }

        if ((_pagesSinceWake += written) >= _thresholdPages)
        {
            _pagesSinceWake = 0;
            Wake();
        }
    }

    /// <summary>
    /// Asks for a checkpoint (at most one waits behind the one running). Only the writer calls this, under its write
    /// lock, and the loop only takes the count down, so a count of zero seen here cannot be full by the release.
    /// </summary>
    private void Wake()
    {
        if (_wake.CurrentCount == 0)
        {
            _wake.Release();
        }
    }

    private async Task RunAsync()
    {
        while (true)
        {
            try
            {
                await _wake.WaitAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            Checkpoint();
        }
    }

    private void Checkpoint()
    {
        var started = Stopwatch.GetTimestamp();
        var rc = raw.sqlite3_wal_checkpoint_v2(_connection.Handle, "main", raw.SQLITE_CHECKPOINT_PASSIVE, out var walFrames, out var copiedFrames);
        var elapsed = Stopwatch.GetElapsedTime(started);
        if (rc is not raw.SQLITE_OK and not raw.SQLITE_BUSY)
        {
            // The writer's own automatic checkpoint still runs at four times the threshold, so nothing is lost;
            // the WAL only grows larger until this works again.
            Log.CheckpointFailed(_logger, _path, rc, raw.sqlite3_errmsg(_connection.Handle).utf8_to_string());
        }

        TaskCompletionSource completed;
        lock (_gate)
        {
            _statistics = new SqliteCheckpointStatistics(
                _statistics.Checkpoints + 1,
                rc is raw.SQLITE_OK or raw.SQLITE_BUSY ? _statistics.Failures : _statistics.Failures + 1,
                _statistics.Busy + elapsed);
            completed = _completed;
            _completed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        Log.Checkpointed(_logger, _path, walFrames, copiedFrames, elapsed.TotalMilliseconds);
        completed.TrySetResult();
    }

    /// <summary>Stops the loop after the checkpoint in progress, if any, and closes its connection.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _connection.Dispose();
        _stop.Dispose();
        _wake.Dispose();
        lock (_gate)
        {
            _completed.TrySetResult();
        }
    }
}

/// <summary>Background WAL checkpoints of a SQLite store since it opened.</summary>
/// <param name="Checkpoints">Checkpoints run.</param>
/// <param name="Failures">Checkpoints that failed with an error (logged).</param>
/// <param name="Busy">Time spent in checkpoints, summed.</param>
public sealed record SqliteCheckpointStatistics(long Checkpoints, long Failures, TimeSpan Busy)
{
    /// <summary>No checkpoint run yet.</summary>
    public static SqliteCheckpointStatistics None { get; } = new(0, 0, TimeSpan.Zero);
}
