using Microsoft.Extensions.Logging;
using Satmon.Connectors.OneWeb.Client;
using Satmon.Core.Connectors;
using Satmon.Core.Tables;

namespace Satmon.Connectors.OneWeb;

/// <summary>
/// The two performance tasks. The vendor publishes each report type with a delay, and a sample may come later still,
/// so each type keeps a persisted cursor (the end of the newest sample received) and every poll asks from the cursor
/// minus an overlap up to now. Each sample is trended at its own interval start; the history store ignores a sample
/// it already has, so the overlap costs bandwidth, never duplicates.
/// </summary>
internal sealed partial class PerformancePoller(IElementContext context, ReportClient reports, OneWebOptions options)
{
    private static readonly TimeSpan Granularity = TimeSpan.FromMinutes(15);

    public async Task PollTerminalsAsync(CancellationToken cancellationToken)
    {
        var latest = await CollectAsync(ReportMapper.TerminalReports, cancellationToken);
        await WriteRowsAsync(OneWebTables.TerminalPerformance, "terminal", latest, cancellationToken);

        // The fleet view reads latency and throughput from the terminal row; only terminals the inventory knows get them,
        // so a report never creates a half-empty terminal.
        var known = await TableKeys.ReadAsync(context.Tables, OneWebTables.UserTerminals, cancellationToken);
        var copies = latest
            .Where(e => known.Contains(e.Key) && (e.Value.Latency is not null || e.Value.ThroughputDown is not null))
            .Select(e => new TableRow(e.Key, Copy(e.Value)))
            .ToList();
        if (copies.Count > 0)
        {
            await context.Tables.UpsertAsync(OneWebTables.UserTerminals, copies, cancellationToken);
        }
    }

    public async Task PollProductsAsync(CancellationToken cancellationToken)
    {
        var latest = await CollectAsync([ReportMapper.ProductThroughput], cancellationToken);
        await WriteRowsAsync(OneWebTables.ProductPerformance, "product", latest, cancellationToken);
    }

    private async Task<Dictionary<string, LatestRow>> CollectAsync(IReadOnlyList<ReportSpec> specs, CancellationToken cancellationToken)
    {
        var latest = new Dictionary<string, LatestRow>(StringComparer.Ordinal);
        foreach (var spec in specs)
        {
            await RunAsync(spec, latest, cancellationToken);
        }

        return latest;
    }

    private async Task RunAsync(ReportSpec spec, Dictionary<string, LatestRow> latest, CancellationToken cancellationToken)
    {
        var now = context.Time.GetUtcNow();
        var cursor = await context.State.GetAsync<DateTimeOffset?>(spec.CursorKey, cancellationToken);
        var start = cursor is { } c ? c - options.LateSampleOverlap : now - options.InitialHistory;
        var floor = now - options.MaxCatchUp;
        start = AlignDown(start < floor ? floor : start);
        var newest = cursor;
        long samples = 0;
        while (start < now)
        {
            // Catch-up after downtime is split, so no single report covers more than the maximum window.
            var end = start + options.MaxReportWindow < now ? start + options.MaxReportWindow : now;
            var index = 0;
            var history = new HistoryPipeline(context.History, cancellationToken);
            var grid = new SampleGrid(spec, start, end);
            try
            {
                await reports.RunAsync(spec.Type, start, end, async (item, call) =>
                {
                    foreach (var sample in ReportMapper.Samples(spec, item, call, index))
                    {
                        samples++;
                        Track(spec, sample, latest);
                        await grid.AddAsync(sample, history);
                        newest = newest is { } n && n >= sample.End ? n : sample.End;
                    }

                    index++;
                }, cancellationToken);

                // Only a report read whole and checked is stored (an oversized one may have been written in parts).
                await grid.FlushAsync(history);
            }
            finally
            {
                await history.CompleteAsync();
            }

            if (newest is { } reached && reached != cursor)
            {
                await context.State.SetAsync(spec.CursorKey, reached, secret: false, cancellationToken);
                cursor = reached;
            }

            start = end;
        }

        LogReport(context.Logger, context.ElementId, spec.Type, samples, cursor);
    }

    private static void Track(ReportSpec spec, ReportSample sample, Dictionary<string, LatestRow> latest)
    {
        if (!latest.TryGetValue(sample.Key, out var row))
        {
            latest[sample.Key] = row = new LatestRow();
        }

        // Within a poll the overlap brings older samples again: each report type keeps its newest sample per row.
        if (row.Ends.TryGetValue(spec.Type, out var seen) && seen > sample.End)
        {
            return;
        }

        row.Ends[spec.Type] = sample.End;
        foreach (var (column, value) in sample.Metrics)
        {
            row.Values[column] = value;
        }

        if (spec.TextField is { } field)
        {
            row.Values[field] = sample.Text;
        }

        if (spec == ReportMapper.LinkMetrics)
        {
            row.Latency = sample.Metrics[0].Value;
        }
        else if (spec == ReportMapper.Traffic && (sample.End - sample.Start).TotalSeconds is > 0 and var seconds)
        {
            row.ThroughputDown = sample.Metrics[0].Value * 8 / seconds;
        }
    }

    private async Task WriteRowsAsync(string table, string keyColumn, Dictionary<string, LatestRow> latest, CancellationToken cancellationToken)
    {
        if (latest.Count == 0)
        {
            return;
        }

        var rows = latest.Select(e =>
        {
            var values = new Dictionary<string, object?>(e.Value.Values, StringComparer.Ordinal)
            {
                [keyColumn] = e.Key,
                ["intervalEnd"] = e.Value.Ends.Values.Max(),
            };
            return new TableRow(e.Key, values);
        }).ToList();
        await context.Tables.UpsertAsync(table, rows, cancellationToken);
    }

    private static Dictionary<string, object?> Copy(LatestRow row)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (row.Latency is { } latency)
        {
            values["latency"] = latency;
        }

        if (row.ThroughputDown is { } throughput)
        {
            values["throughputDown"] = throughput;
        }

        return values;
    }

    private static DateTimeOffset AlignDown(DateTimeOffset time) =>
        new(time.UtcTicks - (time.UtcTicks % Granularity.Ticks), TimeSpan.Zero);

    private sealed class LatestRow
    {
        public Dictionary<string, object?> Values { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, DateTimeOffset> Ends { get; } = new(StringComparer.Ordinal);

        public double? Latency { get; set; }

        public double? ThroughputDown { get; set; }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Element {ElementId}: report {ReportType} gave {Samples} samples; newest sample ends {Cursor}")]
    private static partial void LogReport(ILogger logger, string elementId, string reportType, long samples, DateTimeOffset? cursor);
}
