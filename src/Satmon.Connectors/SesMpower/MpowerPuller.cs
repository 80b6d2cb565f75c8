using System.Globalization;
using Microsoft.Extensions.Logging;
using Satmon.Core.Connectors;
using Satmon.Core.History;
using Satmon.Core.Tables;

namespace Satmon.Connectors.SesMpower;

/// <summary>Where the pull stands, persisted in the element state.</summary>
/// <param name="Watermark">End of the last completely stored window: every sample before it is stored.</param>
/// <param name="LastSampleTime">Newest eventTime stored.</param>
internal sealed record PullState(DateTimeOffset Watermark, DateTimeOffset? LastSampleTime);

/// <summary>
/// Pull metrics (SPEC §4): from the watermark to now in windows of at most the maximum history range, oldest first,
/// each window read page by page (<see cref="MpowerWindowReader"/>) and stored before the watermark moves past it.
/// Also the removal of silent terminals and the general counts. Pull and removal never run at the same time.
/// </summary>
internal sealed partial class MpowerPuller(
    MpowerOptions options, IElementContext context, MpowerSubscriptions subscriptions, MpowerWindowReader reader, MpowerTerminalIndex terminals)
    : IDisposable
{
    private const string StateKey = "pull";

    // Both range bounds are exclusive, so consecutive windows overlap by a second: a sample exactly at a window's
    // end belongs to the next one. What is read twice is stored once.
    private static readonly TimeSpan WindowSeam = TimeSpan.FromSeconds(1);
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task PullAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var now = WholeSeconds(context.Time.GetUtcNow());
            var state = await context.State.GetAsync<PullState>(StateKey, cancellationToken);
            var total = new WindowStats();
            var windows = 0;
            try
            {
                var subscription = await subscriptions.EnsureAsync(cancellationToken);
                await terminals.EnsureLoadedAsync(cancellationToken);
                var from = state is null ? now - options.InitialHistory : WholeSeconds(state.Watermark - options.LateSampleOverlap);
                foreach (var (start, end) in Windows(from, now, options.MaxHistoryRange))
                {
                    (subscription, var stats) = await reader.ReadAsync(subscription, start, end, cancellationToken);
                    state = new PullState(
                        state is null || end > state.Watermark ? end : state.Watermark, Later(state?.LastSampleTime, stats.LastSample));
                    await context.State.SetAsync(StateKey, state, secret: false, cancellationToken);
                    total = total.Add(stats);
                    windows++;
                }
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                // The windows stored so far stay stored and the watermark stands after them: the next pull resumes there.
                await MpowerTables.UpdateGeneralAsync(
                    context, CancellationToken.None, (GeneralColumns.LastPullTime, now), (GeneralColumns.LastPullStatus, "Failed: " + ex.Message));
                throw;
            }

            LogPulled(context.Logger, context.ElementId, total.Messages, total.NewValues, windows, total.Duplicates, total.Invalid);
            await MpowerTables.UpdateGeneralAsync(
                context,
                cancellationToken,
                (GeneralColumns.LastPullTime, now),
                (GeneralColumns.LastPullStatus, Describe(total, windows)),
                (GeneralColumns.LastPullMessages, (double)total.Messages),
                (GeneralColumns.LastPullValues, (double)total.NewValues),
                (GeneralColumns.LastSampleTime, state?.LastSampleTime));
            await RemoveSilentCoreAsync(state, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The removal task: silent terminals leave the table (when enabled), and the counts are refreshed.</summary>
    public async Task RemoveSilentAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await terminals.EnsureLoadedAsync(cancellationToken);
            await RemoveSilentCoreAsync(await context.State.GetAsync<PullState>(StateKey, cancellationToken), cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    /// <summary>Splits (from, to) into windows of at most <paramref name="maxRange"/>, oldest first, joined by a one-second seam.</summary>
    internal static IEnumerable<(DateTimeOffset From, DateTimeOffset To)> Windows(DateTimeOffset from, DateTimeOffset to, TimeSpan maxRange)
    {
        var start = from;
        while (start < to)
        {
            var end = to - start > maxRange ? start + maxRange : to;
            yield return (start, end);
            if (end >= to)
            {
                yield break;
            }

            start = end - WindowSeam;
        }
    }

    private async Task RemoveSilentCoreAsync(PullState? state, CancellationToken cancellationToken)
    {
        // Silence is judged on the data we have: after a long outage, terminals are not removed for a gap that is
        // ours, not theirs; the catch-up pull decides. Before any pull there is nothing to judge.
        var now = context.Time.GetUtcNow();
        if (options.AutoRemoval && state is not null)
        {
            var dataUntil = state.Watermark < now ? state.Watermark : now;
            var silent = terminals.SilentSince(dataUntil - options.RemovalPeriod);
            if (silent.Count > 0)
            {
                await context.Tables.DeleteAsync(MpowerTables.Terminals, silent, cancellationToken);
                terminals.Remove(silent);
                LogRemoved(context.Logger, context.ElementId, silent.Count, options.RemovalPeriod.TotalHours);
            }
        }

        var total = terminals.Count;
        var active = terminals.OnlineCount;
        var counts = new TableRow(MpowerTables.GeneralKey, new Dictionary<string, object?>
        {
            [GeneralColumns.TotalTerminals] = (double)total,
            [GeneralColumns.ActiveTerminals] = (double)active,
            [GeneralColumns.InactiveTerminals] = (double)(total - active),
        });
        await context.Tables.UpsertAsync(MpowerTables.General, [counts], cancellationToken);
        await context.History.WriteAsync(HistoryPoints.FromRows(MpowerTables.GeneralTable, [counts], now), cancellationToken);
    }

    private static string Describe(WindowStats total, int windows)
    {
        var skipped = total.Duplicates + total.Invalid > 0
            ? string.Create(CultureInfo.InvariantCulture, $"; {total.Duplicates} duplicates and {total.Invalid} unusable messages skipped.")
            : ".";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"Succeeded: {total.Messages} messages, {total.NewValues} new values, {total.UpdatedTerminals} terminal updates in {windows} window(s){skipped}");
    }

    private static DateTimeOffset WholeSeconds(DateTimeOffset time) => new(time.Ticks - time.Ticks % TimeSpan.TicksPerSecond, time.Offset);

    private static DateTimeOffset? Later(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Element {ElementId}: pulled {Messages} messages ({NewValues} new values) in {Windows} window(s); skipped {Duplicates} duplicates, {Invalid} unusable")]
    private static partial void LogPulled(ILogger logger, string elementId, long messages, long newValues, int windows, long duplicates, long invalid);

    [LoggerMessage(Level = LogLevel.Information, Message = "Element {ElementId}: removed {Count} terminals silent for more than {Hours:0} h")]
    private static partial void LogRemoved(ILogger logger, string elementId, int count, double hours);
}
