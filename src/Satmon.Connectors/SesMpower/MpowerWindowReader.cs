using System.Net;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Satmon.Connectors.Http;
using Satmon.Core.Connectors;
using Satmon.Core.History;
using Satmon.Core.Tables;

namespace Satmon.Connectors.SesMpower;

/// <summary>What one window (or a whole pull) brought.</summary>
internal readonly record struct WindowStats(
    long Messages, long NewValues, long UpdatedTerminals, long Duplicates, long Invalid, DateTimeOffset? LastSample)
{
    public WindowStats Add(WindowStats other) => new(
        Messages + other.Messages,
        NewValues + other.NewValues,
        UpdatedTerminals + other.UpdatedTerminals,
        Duplicates + other.Duplicates,
        Invalid + other.Invalid,
        LastSample is null || other.LastSample > LastSample ? other.LastSample ?? LastSample : LastSample);
}

/// <summary>
/// Reads one time window of pm-reports, page by page (offset/limit until <c>X-Total-Count</c> or a short page),
/// stream-parsing each body, and stores what it reads: parsing and storing run side by side, joined by a bounded
/// channel (back-pressure, no drops) with one writer. A pm-reports 404/410 means the subscription is gone: a new one
/// is taken and the same window asked again from its start, so there is no gap.
/// </summary>
internal sealed partial class MpowerWindowReader(
    MpowerOptions options, IElementContext context, MpowerClient client, MpowerSubscriptions subscriptions, MpowerTerminalIndex terminals)
{
    // ~50 000 history points per write: one storage transaction amortises well without holding much memory.
    private const int BatchMessages = 2500;
    private const int ChannelBatches = 2;

    public async Task<(StoredSubscription Subscription, WindowStats Stats)> ReadAsync(
        StoredSubscription subscription, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<Batch>(new BoundedChannelOptions(ChannelBatches)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = true,
        });
        using var storageFailed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var storing = StoreAsync(channel.Reader, storageFailed);
        ExceptionDispatchInfo? readFailure = null;
        try
        {
            subscription = await ReadPagesAsync(subscription, from, to, channel.Writer, storageFailed.Token);
        }
        catch (Exception ex)
        {
            readFailure = ExceptionDispatchInfo.Capture(ex);
        }

        // What was read before a failure is still stored; a storage failure is reported first, as it stopped the read.
        channel.Writer.TryComplete();
        var stats = await storing;
        readFailure?.Throw();
        return (subscription, stats);
    }

    private async Task<StoredSubscription> ReadPagesAsync(
        StoredSubscription subscription, DateTimeOffset from, DateTimeOffset to, ChannelWriter<Batch> output, CancellationToken cancellationToken)
    {
        var offset = 0;
        var resubscribed = false;
        // Duplicates come at page seams (the vendor repeats the end of one page at the start of the next), so the
        // eventIds of the previous and current page suffice: memory stays bounded however long the catch-up.
        var previousPage = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            var currentPage = new HashSet<string>(StringComparer.Ordinal);
            PageCount counted;
            long? total;
            bool throttled;
            try
            {
                using var page = await client.OpenPmReportsAsync(subscription.Id, from, to, offset, cancellationToken);
                total = VendorHttp.TotalCount(page.Response);
                throttled = VendorHttp.Throttled(page.Response);
                counted = await ReadPageAsync(page, previousPage, currentPage, output, cancellationToken);
            }
            catch (VendorHttpException ex) when (ex.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone && !resubscribed)
            {
                LogSubscriptionGone(context.Logger, context.ElementId, subscription.Id, (int)ex.StatusCode);
                subscription = await subscriptions.ReplaceAsync(subscription.Id, cancellationToken);
                resubscribed = true;
                offset = 0;
                previousPage.Clear();
                continue;
            }

            // Messages repeated from the previous page do not move the vendor's list forward (the list shifted, or
            // the page was padded with them): counting them would skip as many messages at the next offset.
            var progress = counted.Received - counted.RepeatedFromPrevious;
            if (counted.Received > 0 && progress == 0)
            {
                throw new VendorException(
                    $"GET pm-reports ({from:u} – {to:u}) answered offset {offset} with only messages of the previous page: its paging does not advance.");
            }

            offset += progress;
            var more = total is { } t ? offset < t : counted.Received >= options.PageSize || throttled;
            if (counted.Received == 0 || !more)
            {
                return subscription;
            }

            previousPage = currentPage;
        }
    }

    private async Task<PageCount> ReadPageAsync(
        VendorResponse page, HashSet<string> previousPage, HashSet<string> currentPage, ChannelWriter<Batch> output, CancellationToken cancellationToken)
    {
        var received = 0;
        var repeated = 0;
        var batch = new Batch();
        await foreach (var message in VendorHttp.ReadJsonArrayAsync(page.Response, MpowerJsonContext.Default.PmMessage, page.Call, page.Timeout))
        {
            received++;
            if (message is null)
            {
                batch.Invalid++;
                continue;
            }

            var id = MpowerMapper.DeduplicationKey(message);
            if (previousPage.Contains(id))
            {
                repeated++;
                batch.Duplicates++;
            }
            else if (!currentPage.Add(id))
            {
                batch.Duplicates++;
            }
            else if (MpowerMapper.TryMap(message, out var sample))
            {
                batch.Samples.Add(sample);
            }
            else
            {
                batch.Invalid++;
            }

            if (batch.Samples.Count >= BatchMessages)
            {
                await SendAsync(batch, page.Timeout, output, cancellationToken);
                batch = new Batch();
            }
        }

        if (batch.Samples.Count + batch.Duplicates + batch.Invalid > 0)
        {
            await SendAsync(batch, page.Timeout, output, cancellationToken);
        }

        return new PageCount(received, repeated);
    }

    private static async Task SendAsync(Batch batch, RequestTimeout timeout, ChannelWriter<Batch> output, CancellationToken cancellationToken)
    {
        // Points and rows are built here, on the reading side, so that the single storage writer only writes.
        foreach (var sample in batch.Samples)
        {
            MpowerMapper.AddHistoryPoints(batch.Points, sample);
        }

        batch.Latest.AddRange(MpowerTerminalIndex.LatestPerTerminal(batch.Samples).Select(s => (s, MpowerMapper.ToRow(s))));
        // Waiting for storage is not the vendor being slow: the request timeout is paused meanwhile.
        timeout.Pause();
        await output.WriteAsync(batch, cancellationToken);
        timeout.Restart();
    }

    private async Task<WindowStats> StoreAsync(ChannelReader<Batch> input, CancellationTokenSource storageFailed)
    {
        try
        {
            var stats = new WindowStats();
            await foreach (var batch in input.ReadAllAsync(storageFailed.Token))
            {
                var newValues = batch.Points.Count > 0 ? await context.History.WriteAsync(batch.Points, storageFailed.Token) : 0;
                var updates = batch.Latest.Where(l => terminals.IsNewer(l.Sample)).ToList();
                if (updates.Count > 0)
                {
                    await context.Tables.UpsertAsync(MpowerTables.Terminals, [.. updates.Select(u => u.Row)], storageFailed.Token);
                    terminals.Record(updates.Select(u => u.Sample));
                }

                var lastSample = batch.Samples.Count > 0 ? batch.Samples.Max(s => s.Time) : (DateTimeOffset?)null;
                stats = stats.Add(new WindowStats(batch.Samples.Count, newValues, updates.Count, batch.Duplicates, batch.Invalid, lastSample));
            }

            return stats;
        }
        catch
        {
            // Stop the reader: nothing it reads now could be stored.
            await storageFailed.CancelAsync();
            throw;
        }
    }

    private readonly record struct PageCount(int Received, int RepeatedFromPrevious);

    private sealed class Batch
    {
        public List<TerminalSample> Samples { get; } = new(BatchMessages);

        // Sized for every metric of every message: a list grown by doubling would copy ~2 MB arrays on the large object heap.
        public List<HistoryPoint> Points { get; } = new(BatchMessages * MpowerTables.Metrics.Count);

        /// <summary>The latest sample of each terminal in the batch, with its row.</summary>
        public List<(TerminalSample Sample, TableRow Row)> Latest { get; } = [];

        public int Duplicates { get; set; }

        public int Invalid { get; set; }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Element {ElementId}: pm-reports answered {Status} for subscription {SubscriptionId}; taking another and asking the window again")]
    private static partial void LogSubscriptionGone(ILogger logger, string elementId, string subscriptionId, int status);
}
