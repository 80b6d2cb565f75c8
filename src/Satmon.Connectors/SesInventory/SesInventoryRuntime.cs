using Satmon.Core.Connectors;
using Satmon.Core.Tables;
using D = Satmon.Connectors.SesInventory.SesInventoryDefinitions;

namespace Satmon.Connectors.SesInventory;

/// <summary>
/// One inventory element while it runs: a sync per definition, each behind its own gate so that the
/// <c>rebuild-cache</c> command never resets progress under a poll that is still writing it.
/// </summary>
internal sealed class SesInventoryRuntime : IElementRuntime
{
    private readonly IElementContext _context;
    private readonly Dictionary<string, Slot> _slots;

    public SesInventoryRuntime(IElementContext context)
    {
        _context = context;
        var options = SesInventoryOptions.From(context.Settings);
        var client = new SesInventoryClient(options, context);
        InventoryKind[] kinds =
        [
            new(D.Services, InventoryApi.Tmf638, CleanupAfterBuildUp: false, CleanupNonOperational: true, PreserveModemStatus: false,
                (page, updates, ct) => client.GetServicePageAsync(carriers: false, page, updates, ct)),
            new(D.Carriers, InventoryApi.Tmf638, CleanupAfterBuildUp: true, CleanupNonOperational: false, PreserveModemStatus: false,
                (page, updates, ct) => client.GetServicePageAsync(carriers: true, page, updates, ct)),
            new(D.Resources, InventoryApi.Tmf639, CleanupAfterBuildUp: true, CleanupNonOperational: false, PreserveModemStatus: true,
                client.GetResourcePageAsync),
        ];
        _slots = kinds.ToDictionary(k => k.Definition, k => new Slot(new InventorySync(k, options, context)), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Shows each definition's mode and object count before the first poll ends.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var counts = await _context.Objects.CountAsync(cancellationToken);
        var rows = new List<TableRow>();
        foreach (var slot in _slots.Values)
        {
            var progress = await slot.Sync.LoadProgressAsync(cancellationToken);
            rows.Add(new TableRow(slot.Sync.Definition, new Dictionary<string, object?>
            {
                [StatusColumns.Mode] = progress is { Active: false } ? StatusColumns.UpdateMode : StatusColumns.BuildUpMode,
                [StatusColumns.BuildUpPage] = progress is { Active: true } p ? p.NextPage + 1.0 : null,
                [StatusColumns.Objects] = (double)counts.GetValueOrDefault(slot.Sync.Definition),
            }));
        }

        await _context.Tables.UpsertAsync(D.StatusTable, rows, cancellationToken);
    }

    public async Task PollAsync(string task, CancellationToken cancellationToken)
    {
        var slot = _slots.TryGetValue(task, out var s) ? s : throw new ArgumentException($"The ses-inventory connector has no poll task '{task}'.", nameof(task));
        await slot.Gate.WaitAsync(cancellationToken);
        var started = _context.Time.GetUtcNow();
        using var run = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        slot.Running = run;
        Exception? error = null;
        try
        {
            await slot.Sync.RunAsync(run.Token);
        }
        catch (OperationCanceledException) when (run.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // rebuild-cache cancelled this run so it can reset the progress; the poll itself did nothing wrong.
            SesInventoryLog.InterruptedByRebuild(_context.Logger, _context.ElementId, slot.Sync.Definition);
        }
        catch (Exception ex)
        {
            error = ex;
            throw;
        }
        finally
        {
            slot.Running = null;
            await WriteStatusAsync(slot.Sync, started, error);
            slot.Gate.Release();
        }
    }

    public async Task<CommandResult> ExecuteCommandAsync(string command, CancellationToken cancellationToken)
    {
        if (!string.Equals(command, SesInventoryConnector.RebuildCacheCommand, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"The ses-inventory connector has no command '{command}'.", nameof(command));
        }

        foreach (var slot in _slots.Values)
        {
            // A build-up in progress stops at its next page boundary; its progress is then replaced, not mixed.
            try
            {
                if (slot.Running is { } running)
                {
                    await running.CancelAsync();
                }
            }
            catch (ObjectDisposedException)
            {
                // The poll ended between the check and the cancel: nothing left to stop.
            }

            await slot.Gate.WaitAsync(cancellationToken);
            try
            {
                await slot.Sync.RestartBuildUpAsync(cancellationToken);
            }
            finally
            {
                slot.Gate.Release();
            }
        }

        await StartAsync(cancellationToken);
        return new CommandResult(true,
            "A new cache build-up starts at the next poll of services, carriers and resources (poll now to start it at once). "
            + "Carriers and resources not seen in it are removed when it completes.");
    }

    public ValueTask DisposeAsync()
    {
        foreach (var slot in _slots.Values)
        {
            slot.Gate.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private async Task WriteStatusAsync(InventorySync sync, DateTimeOffset started, Exception? error)
    {
        try
        {
            // The counts of every definition change with any poll's deletes, so all rows get fresh counts.
            var counts = await _context.Objects.CountAsync(CancellationToken.None);
            var rows = _slots.Values
                .Where(s => s.Sync != sync)
                .Select(s => new TableRow(s.Sync.Definition, new Dictionary<string, object?>
                {
                    [StatusColumns.Objects] = (double)counts.GetValueOrDefault(s.Sync.Definition),
                }))
                .ToList();
            if (sync.Current is { } report)
            {
                var mode = report.BuildUp ? "build-up" : "update";
                var summary = report.Describe(error is null ? (report.BuildUpCompleted ? "Build-up completed" : "Completed") : "Ended early");
                if (error is null)
                {
                    SesInventoryLog.PollFinished(_context.Logger, _context.ElementId, sync.Definition, mode, summary);
                }
                else
                {
                    SesInventoryLog.PollEndedEarly(_context.Logger, _context.ElementId, sync.Definition, mode, summary, error.Message);
                }

                rows.Add(new TableRow(sync.Definition, new Dictionary<string, object?>
                {
                    [StatusColumns.Mode] = report.BuildUp && !report.BuildUpCompleted ? StatusColumns.BuildUpMode : StatusColumns.UpdateMode,
                    [StatusColumns.BuildUpPage] = report.NextBuildUpPage is { } next ? next + 1.0 : null,
                    [StatusColumns.LastPoll] = started,
                    [StatusColumns.LastResult] = error is null ? summary : summary + " " + error.Message,
                    [StatusColumns.PagesRead] = (double)report.PagesRead,
                    [StatusColumns.PagesSkipped] = (double)report.PagesSkipped,
                    [StatusColumns.Received] = (double)report.Received,
                    [StatusColumns.Succeeded] = (double)report.Succeeded,
                    [StatusColumns.Created] = (double)report.Created,
                    [StatusColumns.Updated] = (double)report.Updated,
                    [StatusColumns.Failed] = (double)report.Failed,
                    [StatusColumns.Dropped] = (double)report.Dropped,
                    [StatusColumns.Deleted] = (double)report.Deleted,
                    [StatusColumns.Objects] = (double)counts.GetValueOrDefault(sync.Definition),
                }));
            }
            else if (error is not null)
            {
                rows.Add(new TableRow(sync.Definition, new Dictionary<string, object?>
                {
                    [StatusColumns.LastPoll] = started,
                    [StatusColumns.LastResult] = "Failed: " + error.Message,
                    [StatusColumns.Objects] = (double)counts.GetValueOrDefault(sync.Definition),
                }));
            }

            await _context.Tables.UpsertAsync(D.StatusTable, rows, CancellationToken.None);
        }
        catch (Exception ex)
        {
            // The poll's own outcome matters more than its status row; never let this mask it.
            SesInventoryLog.StatusWriteFailed(_context.Logger, ex, _context.ElementId);
        }
    }

    private sealed class Slot(InventorySync sync)
    {
        public InventorySync Sync { get; } = sync;

        public SemaphoreSlim Gate { get; } = new(1, 1);

        public CancellationTokenSource? Running { get; set; }
    }
}
