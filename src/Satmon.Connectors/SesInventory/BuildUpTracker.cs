using System.Globalization;
using Satmon.Core.Connectors;

namespace Satmon.Connectors.SesInventory;

/// <summary>
/// Where the initial cache build-up of one definition stands, persisted in the element state so that a restart in
/// the middle continues instead of starting over (the seed's build-up flag and <c>servicesids_4998</c>-style id
/// parameters).
/// </summary>
/// <param name="Active">A build-up is in progress (the seed's build-up flag).</param>
/// <param name="NextPage">Zero-based ordinal of the next page to read.</param>
/// <param name="SkippedPages">Pages skipped on a 504, retried once when the last page has been read.</param>
/// <param name="StartedAt">When this build-up started.</param>
/// <param name="CompletedAt">When it finished (null while active).</param>
/// <param name="IdChunks">How many id chunks this build-up has saved (keys <c>…ids.0</c> to <c>…ids.{n-1}</c>).</param>
internal sealed record BuildUpProgress(
    bool Active, int NextPage, IReadOnlyList<int> SkippedPages, DateTimeOffset StartedAt, DateTimeOffset? CompletedAt, int IdChunks = 0);

/// <summary>
/// Persists build-up progress and the ids seen so far. The ids go to one state key per checkpoint (a chunk),
/// written once each: rewriting one growing list at every checkpoint would write O(pages²) bytes (GBs for 200 000
/// resources), while chunks write each id once and a restart reads them back in one pass.
/// </summary>
internal sealed class BuildUpTracker(IElementState state, string definition)
{
    private string ProgressKey => $"buildup.{definition}";

    /// <summary>The stored progress, or null when no build-up has ever run (first start).</summary>
    public Task<BuildUpProgress?> LoadAsync(CancellationToken cancellationToken) =>
        state.GetAsync<BuildUpProgress>(ProgressKey, cancellationToken);

    /// <summary>Starts a new build-up from page 0, dropping the id pages a previous (finished or abandoned) one left.</summary>
    public async Task<BuildUpProgress> StartAsync(BuildUpProgress? previous, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var fresh = new BuildUpProgress(true, 0, [], now, null);
        // Progress first: from here on the old chunks are listed by no progress and are never read as this run's.
        await SaveAsync(fresh, cancellationToken);
        if (previous is not null)
        {
            await DeleteChunksAsync(previous, cancellationToken);
        }

        return fresh;
    }

    /// <summary>Every id the saved chunks hold: the pages before <see cref="BuildUpProgress.NextPage"/> and retried skipped pages.</summary>
    public async Task<HashSet<string>> LoadSeenAsync(BuildUpProgress progress, CancellationToken cancellationToken)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var chunk = 0; chunk < progress.IdChunks; chunk++)
        {
            if (await state.GetAsync<string[]>(ChunkKey(chunk), cancellationToken) is { } ids)
            {
                seen.UnionWith(ids);
            }
        }

        return seen;
    }

    /// <summary>
    /// A checkpoint: the ids seen since the last one as a new chunk, then the progress that lists it. In that order,
    /// so a crash between the two re-reads those pages (harmless: writes are idempotent; the orphan chunk is
    /// overwritten) rather than losing ids.
    /// </summary>
    /// <returns>The progress as saved.</returns>
    public async Task<BuildUpProgress> CheckpointAsync(BuildUpProgress progress, IReadOnlyCollection<string> newIds, CancellationToken cancellationToken)
    {
        if (newIds.Count > 0)
        {
            await state.SetAsync(ChunkKey(progress.IdChunks), newIds.ToArray(), secret: false, cancellationToken);
            progress = progress with { IdChunks = progress.IdChunks + 1 };
        }

        await SaveAsync(progress, cancellationToken);
        return progress;
    }

    private Task SaveAsync(BuildUpProgress progress, CancellationToken cancellationToken) =>
        state.SetAsync(ProgressKey, progress, secret: false, cancellationToken);

    /// <summary>
    /// Ends the build-up: the flag is cleared first, then the tracked ids. The other order would let a crash leave an
    /// active build-up whose earlier ids are gone, and its final-page cleanup would delete everything not on that page.
    /// </summary>
    public async Task<BuildUpProgress> CompleteAsync(BuildUpProgress progress, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var done = progress with { Active = false, SkippedPages = [], CompletedAt = now, IdChunks = 0 };
        await SaveAsync(done, cancellationToken);
        await DeleteChunksAsync(progress, cancellationToken);
        return done;
    }

    private async Task DeleteChunksAsync(BuildUpProgress progress, CancellationToken cancellationToken)
    {
        // One past the listed chunks: a crash between writing a chunk and the progress leaves that one unlisted.
        for (var chunk = 0; chunk <= progress.IdChunks; chunk++)
        {
            await state.SetAsync<string[]>(ChunkKey(chunk), null, secret: false, cancellationToken);
        }
    }

    private string ChunkKey(int chunk) => $"buildup.{definition}.ids.{chunk.ToString(CultureInfo.InvariantCulture)}";
}
