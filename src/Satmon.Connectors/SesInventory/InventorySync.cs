using System.Globalization;
using Satmon.Core.Connectors;
using Satmon.Core.Objects;

namespace Satmon.Connectors.SesInventory;

/// <summary>
/// Keeps one definition (services, carriers or resources) in step with the vendor, per seed 002: the initial cache
/// build-up (every page with <c>status=1</c>, ids tracked and persisted, final-page cleanup) and, once it is done,
/// periodic updates (<c>updatedDaysAgo=0</c>).
/// </summary>
/// <remarks>
/// The deletion rule: objects are only ever deleted (a) at the end of a build-up that read every page — no page left
/// skipped after one retry, and at least one id seen — for the ids it did not see (carriers, resources), or (b) for
/// services, because of the status stored from an earlier successful response, after an update poll that reached its
/// last page. A run that ends on a 502, 401, transport failure or malformed page deletes nothing, and its build-up
/// resumes from the failed page at the next poll.
/// </remarks>
internal sealed class InventorySync(InventoryKind kind, SesInventoryOptions options, IElementContext context)
{
    /// <summary>Objects per object-store write (seed 002: DOM operations are batched per 100).</summary>
    public const int BatchSize = 100;

    /// <summary>
    /// A gateway that answers 504 to every page would otherwise be paged through forever (no short page ever
    /// arrives); after this many in a row the run ends and the next poll starts again at the first of them.
    /// </summary>
    public const int MaxConsecutiveSkips = 5;

    /// <summary>
    /// Build-up progress and ids are saved every this many pages (and at every failure and at the end), not after each
    /// page: two state writes per page took about a fifth of the storage time in the benchmark. A crash or stop
    /// re-reads at most these pages.
    /// </summary>
    public const int CheckpointPages = 10;

    private readonly BuildUpTracker _tracker = new(context.State, kind.Definition);
    private readonly StoredInventory _stored = new(kind.Definition, context);

    public string Definition => kind.Definition;

    /// <summary>The report of the run in progress or last run (the runtime shows it even when the run failed).</summary>
    public SyncReport? Current { get; private set; }

    public Task<BuildUpProgress?> LoadProgressAsync(CancellationToken cancellationToken) => _tracker.LoadAsync(cancellationToken);

    /// <summary>Starts a new build-up (the <c>rebuild-cache</c> command); the next poll reads from page 1 again.</summary>
    public async Task RestartBuildUpAsync(CancellationToken cancellationToken)
    {
        var previous = await _tracker.LoadAsync(cancellationToken);
        await _tracker.StartAsync(previous, context.Time.GetUtcNow(), cancellationToken);
        SesInventoryLog.BuildUpStarted(context.Logger, context.ElementId, kind.Definition, "rebuild-cache command");
    }

    /// <summary>One poll: continues or starts the build-up, or runs a periodic update. Throws when the run ended early.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        Current = null;
        var progress = await _tracker.LoadAsync(cancellationToken);
        if (progress is null)
        {
            progress = await _tracker.StartAsync(null, context.Time.GetUtcNow(), cancellationToken);
            SesInventoryLog.BuildUpStarted(context.Logger, context.ElementId, kind.Definition, "first start");
        }

        var report = Current = new SyncReport(progress.Active);
        var seen = progress.Active ? await _tracker.LoadSeenAsync(progress, cancellationToken) : new HashSet<string>(StringComparer.Ordinal);
        var modems = kind.PreserveModemStatus ? await _stored.ModemStatusesAsync(cancellationToken) : null;
        var run = new Run(report, seen, modems);
        if (progress.Active)
        {
            await BuildUpAsync(progress, run, cancellationToken);
        }
        else
        {
            await UpdateAsync(run, cancellationToken);
        }
    }

    private async Task BuildUpAsync(BuildUpProgress progress, Run run, CancellationToken cancellationToken)
    {
        var page = progress.NextPage;
        var streakStart = -1;
        run.Report.NextBuildUpPage = page;
        try
        {
            while (true)
            {
                var fetch = await kind.FetchAsync(page, false, cancellationToken);
                if (fetch.Status == PageStatus.Skipped)
                {
                    run.Report.PagesSkipped++;
                    SesInventoryLog.PageSkipped(context.Logger, context.ElementId, kind.Definition, page + 1, fetch.Reason);
                    streakStart = streakStart < 0 ? page : streakStart;
                    if (page - streakStart + 1 >= MaxConsecutiveSkips)
                    {
                        // Not a few bad pages but a gateway down: read these pages again next time instead of skipping them.
                        progress = progress with { NextPage = streakStart, SkippedPages = progress.SkippedPages.Where(p => p < streakStart).ToList() };
                        run.Report.NextBuildUpPage = streakStart;
                        throw new VendorException(
                            $"{MaxConsecutiveSkips} {kind.Definition} pages in a row answered 504 (pages {streakStart + 1}–{page + 1}); "
                            + $"the build-up stops and resumes from page {streakStart + 1} at the next poll. Last: {fetch.Reason}");
                    }

                    progress = progress with { NextPage = page + 1, SkippedPages = [.. progress.SkippedPages, page] };
                    run.Report.NextBuildUpPage = ++page;
                    continue;
                }

                if (fetch.Status == PageStatus.Failed)
                {
                    throw new VendorException($"{fetch.Reason} The {kind.Definition} build-up stops at page {page + 1} and resumes there at the next poll; nothing was deleted.");
                }

                streakStart = -1;
                await StoreAsync(fetch, page, run, cancellationToken);
                progress = progress with { NextPage = page + 1 };
                run.Report.NextBuildUpPage = page + 1;
                if (fetch.RawCount < options.RecordsPerPage)
                {
                    break;
                }

                if (++run.PagesSinceCheckpoint >= CheckpointPages)
                {
                    progress = await CheckpointAsync(progress, run, cancellationToken);
                }

                page++;
            }

            // The final (short or empty) page has been read.
            progress = await CheckpointAsync(progress, run, cancellationToken);
            progress = await RetrySkippedAsync(progress, run, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && !run.WriteFailed)
        {
            // Keep what was read before the failure (writes and progress), so the next poll resumes exactly here.
            // Not after a failed write: those pages must stay unread in the progress.
            await CheckpointAsync(progress, run, cancellationToken);
            throw;
        }

        if (kind.CleanupAfterBuildUp)
        {
            await RemoveUnseenAsync(progress, run, cancellationToken);
        }

        await _tracker.CompleteAsync(progress, context.Time.GetUtcNow(), cancellationToken);
        run.Report.BuildUpCompleted = true;
        run.Report.NextBuildUpPage = null;
        SesInventoryLog.BuildUpCompleted(context.Logger, context.ElementId, kind.Definition, run.Seen.Count);
    }

    /// <summary>Reads each page skipped on a 504 once more; pages that still fail stay skipped (and withhold the cleanup).</summary>
    private async Task<BuildUpProgress> RetrySkippedAsync(BuildUpProgress progress, Run run, CancellationToken cancellationToken)
    {
        foreach (var page in progress.SkippedPages.ToList())
        {
            var fetch = await kind.FetchAsync(page, false, cancellationToken);
            if (fetch.Status == PageStatus.Failed)
            {
                // The build-up stays active past its last page: the next poll reads an empty page and retries again.
                throw new VendorException($"{fetch.Reason} Retrying skipped {kind.Definition} page {page + 1} failed; the build-up finishes at the next poll.");
            }

            if (fetch.Status == PageStatus.Skipped)
            {
                run.Report.PagesSkipped++;
                SesInventoryLog.PageSkipped(context.Logger, context.ElementId, kind.Definition, page + 1, fetch.Reason);
                continue;
            }

            await StoreAsync(fetch, page, run, cancellationToken);
            progress = progress with { SkippedPages = progress.SkippedPages.Where(p => p != page).ToList() };
        }

        return await CheckpointAsync(progress, run, cancellationToken);
    }

    private async Task UpdateAsync(Run run, CancellationToken cancellationToken)
    {
        var streak = 0;
        try
        {
            for (var page = 0; ; page++)
            {
                var fetch = await kind.FetchAsync(page, true, cancellationToken);
                if (fetch.Status == PageStatus.Skipped)
                {
                    run.Report.PagesSkipped++;
                    SesInventoryLog.PageSkipped(context.Logger, context.ElementId, kind.Definition, page + 1, fetch.Reason);
                    if (++streak >= MaxConsecutiveSkips)
                    {
                        throw new VendorException($"{MaxConsecutiveSkips} {kind.Definition} update pages in a row answered 504; the update stops. Last: {fetch.Reason}");
                    }

                    continue;
                }

                if (fetch.Status == PageStatus.Failed)
                {
                    throw new VendorException($"{fetch.Reason} The {kind.Definition} update stops at page {page + 1}; nothing was deleted.");
                }

                streak = 0;
                await StoreAsync(fetch, page, run, cancellationToken);
                if (fetch.RawCount < options.RecordsPerPage)
                {
                    break;
                }
            }
        }
        finally
        {
            // What was read before a failure is still written; a cancelled run leaves it to the next poll.
            if (!cancellationToken.IsCancellationRequested && !run.WriteFailed)
            {
                await FlushAsync(run, cancellationToken);
            }
        }

        if (kind.CleanupNonOperational)
        {
            await RemoveNonOperationalAsync(run.Report, cancellationToken);
        }
    }

    /// <summary>Drops what must not be stored, keeps the first of duplicate ids, and writes every full batch buffered so far.</summary>
    private async Task StoreAsync(PageFetch fetch, int page, Run run, CancellationToken cancellationToken)
    {
        var report = run.Report;
        report.PagesRead++;
        report.Received += fetch.RawCount;
        List<string>? duplicates = null;
        int noId = 0, excluded = 0, notServices = 0;
        foreach (var item in fetch.Items)
        {
            switch (item.Drop)
            {
                case DropReason.NoId:
                    noId++;
                    continue;
                case DropReason.ExcludedType:
                    excluded++;
                    continue;
                case DropReason.NotAService:
                    notServices++;
                    continue;
            }

            if (!run.Seen.Add(item.Id!))
            {
                (duplicates ??= []).Add(item.Id!);
                continue;
            }

            run.NewIds.Add(item.Id!);
            run.Buffer.Add(item.IsModem && run.ModemStatuses is { } modems ? StoredInventory.KeepModemStatus(item.Record!, modems) : item.Record!);
        }

        report.Dropped += noId + excluded + notServices + (duplicates?.Count ?? 0);
        LogDrops(page, noId, excluded, notServices, duplicates);
        while (run.Buffer.Count >= BatchSize)
        {
            await WriteAsync(run, BatchSize, cancellationToken);
        }
    }

    /// <summary>Writes everything buffered, then saves the ids and progress of the pages read so far.</summary>
    private async Task<BuildUpProgress> CheckpointAsync(BuildUpProgress progress, Run run, CancellationToken cancellationToken)
    {
        await FlushAsync(run, cancellationToken);
        progress = await _tracker.CheckpointAsync(progress, run.NewIds, cancellationToken);
        run.NewIds.Clear();
        run.PagesSinceCheckpoint = 0;
        return progress;
    }

    private async Task FlushAsync(Run run, CancellationToken cancellationToken)
    {
        while (run.Buffer.Count > 0)
        {
            await WriteAsync(run, Math.Min(BatchSize, run.Buffer.Count), cancellationToken);
        }
    }

    private async Task WriteAsync(Run run, int count, CancellationToken cancellationToken)
    {
        var batch = run.Buffer.GetRange(0, count);
        try
        {
            run.Report.Add(await context.Objects.UpsertAsync(kind.Definition, batch, cancellationToken));
            run.Buffer.RemoveRange(0, count);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The pages are not checkpointed, so the next poll reads and writes them again: nothing is lost, only delayed.
            run.Report.Failed += run.Buffer.Count;
            SesInventoryLog.WriteFailed(context.Logger, ex, context.ElementId, kind.Definition, run.Buffer.Count);
            var failed = new InvalidOperationException(
                $"Storing {run.Buffer.Count} {kind.Definition} failed ({ex.Message}); their pages are read again at the next poll.", ex);
            run.Buffer.Clear();
            run.WriteFailed = true;
            throw failed;
        }
    }

    private async Task RemoveUnseenAsync(BuildUpProgress progress, Run run, CancellationToken cancellationToken)
    {
        if (progress.SkippedPages.Count > 0)
        {
            var pages = string.Join(", ", progress.SkippedPages.Select(p => (p + 1).ToString(CultureInfo.InvariantCulture)));
            run.Report.CleanupWithheld = $"Cleanup withheld: page(s) {pages} answered 504 twice and may hold {kind.Definition} that still exist.";
        }
        else if (run.Seen.Count == 0)
        {
            run.Report.CleanupWithheld = $"Cleanup withheld: the build-up saw no {kind.Definition} at all, which looks like a failed response rather than an empty inventory.";
        }

        if (run.Report.CleanupWithheld is { } why)
        {
            SesInventoryLog.CleanupWithheld(context.Logger, context.ElementId, kind.Definition, why);
            return;
        }

        var stored = await context.Objects.GetIdsAsync(kind.Definition, cancellationToken);
        var unseen = stored.Where(id => !run.Seen.Contains(id)).ToList();
        run.Report.Deleted += await _stored.DeleteAsync(unseen, cancellationToken);
        SesInventoryLog.UnseenRemoved(context.Logger, context.ElementId, kind.Definition, unseen.Count);
    }

    private async Task RemoveNonOperationalAsync(SyncReport report, CancellationToken cancellationToken)
    {
        var ids = await _stored.NonOperationalIdsAsync(cancellationToken);
        report.Deleted += await _stored.DeleteAsync(ids, cancellationToken);
        if (ids.Count > 0)
        {
            SesInventoryLog.NonOperationalRemoved(context.Logger, context.ElementId, ids.Count);
        }
    }

    private void LogDrops(int page, int noId, int excluded, int notServices, List<string>? duplicates)
    {
        if (noId > 0)
        {
            SesInventoryLog.NoIdSkipped(context.Logger, context.ElementId, kind.Definition, page + 1, noId);
        }

        if (duplicates is not null)
        {
            SesInventoryLog.DuplicatesSkipped(context.Logger, context.ElementId, kind.Definition, page + 1, duplicates.Count, string.Join(", ", duplicates.Take(20)));
        }

        if (excluded > 0)
        {
            SesInventoryLog.ExcludedDropped(context.Logger, context.ElementId, page + 1, excluded);
        }

        if (notServices > 0)
        {
            SesInventoryLog.CarriersInServices(context.Logger, context.ElementId, page + 1, notServices);
        }
    }

    /// <summary>
    /// The state of one run: its report, the ids seen (build-up: persisted ones included), the modem statuses, and
    /// what is read but not yet written (records) or not yet checkpointed (ids, pages).
    /// </summary>
    private sealed class Run(SyncReport report, HashSet<string> seen, Dictionary<string, string?>? modemStatuses)
    {
        public SyncReport Report { get; } = report;

        public HashSet<string> Seen { get; } = seen;

        public Dictionary<string, string?>? ModemStatuses { get; } = modemStatuses;

        public List<ObjectRecord> Buffer { get; } = [];

        public List<string> NewIds { get; } = [];

        public int PagesSinceCheckpoint { get; set; }

        /// <summary>A write failed: nothing read since the last checkpoint may be marked as read.</summary>
        public bool WriteFailed { get; set; }
    }
}
