using Microsoft.Extensions.Options;
using Satmon.Core.History;
using Satmon.Core.Storage;

namespace Satmon.Hosting;

/// <summary>Deletes history older than its retention, every <see cref="RetentionOptions.Interval"/>.</summary>
internal sealed partial class RetentionService(
    ISatmonStore store, IOptions<RetentionOptions> options, TimeProvider timeProvider, ILogger<RetentionService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var retention = options.Value;
        using var timer = new PeriodicTimer(retention.Interval, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    var deleted = await store.History.ApplyRetentionAsync(retention, timeProvider.GetUtcNow(), stoppingToken);
                    LogApplied(logger, deleted);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    // A failed run (database busy, disk full) is retried at the next tick; it must never stop the host.
                    LogFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host shutdown.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "History retention removed {Deleted} rows")]
    private static partial void LogApplied(ILogger logger, long deleted);

    [LoggerMessage(Level = LogLevel.Error, Message = "History retention failed; it runs again at the next interval")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
