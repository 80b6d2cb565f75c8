using Satmon.Simulators.OneWeb.Faults;
using Satmon.Simulators.OneWeb.Fleet;

namespace Satmon.Simulators.OneWeb.Reports;

/// <summary>
/// Which performance samples exist at a given time: a sample of an interval exists once the interval end is
/// older than its report type's delay (or the longer delay of a late-sample fault), and only from the fleet's
/// history start. Samples are ordered by (interval start, entity index) so that paging is stable.
/// </summary>
internal sealed class SampleCatalog(OneWebFleet fleet, OneWebSimulatorOptions options, OneWebFaults faults)
{
    public static bool IsTerminalReport(OneWebReportType type) => type != OneWebReportType.ProductThroughput;

    public int EntityCount(OneWebReportType type) => IsTerminalReport(type) ? fleet.Terminals.Count : fleet.Products.Count;

    public string EntityId(OneWebReportType type, int index) =>
        IsTerminalReport(type) ? fleet.Terminals[index].Imei : fleet.Products[index].Id;

    /// <summary>Index of an IMEI (terminal reports) or product id (product reports), or null when unknown.</summary>
    public int? IndexOf(OneWebReportType type, string entityId)
    {
        if (IsTerminalReport(type))
        {
            return fleet.TryGetTerminal(entityId, out var t) ? t.Index : null;
        }

        return fleet.TryGetProduct(entityId, out var p) ? p.Index : null;
    }

    public bool IsVisible(OneWebReportType type, string entityId, DateTimeOffset intervalStart, DateTimeOffset asOf)
    {
        var start = fleet.AlignToInterval(intervalStart);
        if (start < fleet.HistoryStart || IndexOf(type, entityId) is null)
        {
            return false;
        }

        var delay = options.DelayOf(type);
        foreach (var rule in faults.LateRules(type))
        {
            if ((rule.EntityId is null || rule.EntityId == entityId) && rule.Covers(start) && rule.Delay > delay)
            {
                delay = rule.Delay;
            }
        }

        return start + fleet.Granularity + delay <= asOf;
    }

    /// <summary>
    /// Samples of <paramref name="type"/> whose interval lies inside [<paramref name="windowStart"/>,
    /// <paramref name="windowEnd"/>], for one entity (<paramref name="entityIndex"/>) or all, as of
    /// <paramref name="asOf"/>.
    /// </summary>
    public SampleSelection Select(
        OneWebReportType type, int? entityIndex, DateTimeOffset windowStart, DateTimeOffset windowEnd, DateTimeOffset asOf)
    {
        var granularity = fleet.Granularity;
        var first = fleet.AlignToInterval(windowStart);
        if (first < windowStart)
        {
            first += granularity;
        }

        if (first < fleet.HistoryStart)
        {
            first = fleet.HistoryStart;
        }

        var typeDelay = options.DelayOf(type);
        var lastEnd = asOf - typeDelay < windowEnd ? asOf - typeDelay : windowEnd;
        var entities = entityIndex is { } one ? 1 : EntityCount(type);
        var lateRules = faults.LateRules(type);
        var intervals = new List<SelectedInterval>();
        for (var start = first; start + granularity <= lastEnd; start += granularity)
        {
            HashSet<int>? hidden = null;
            var allHidden = false;
            foreach (var rule in lateRules)
            {
                if (!rule.Covers(start) || start + granularity + rule.Delay <= asOf)
                {
                    continue;
                }

                if (rule.EntityId is null)
                {
                    allHidden = true;
                    break;
                }

                if (IndexOf(type, rule.EntityId) is { } index && (entityIndex is null || entityIndex == index))
                {
                    (hidden ??= []).Add(index);
                }
            }

            var count = allHidden ? 0 : entities - (hidden?.Count ?? 0);
            if (count > 0)
            {
                intervals.Add(new SelectedInterval(start, hidden, count));
            }
        }

        return new SampleSelection(intervals, entityIndex, entities);
    }
}

internal readonly record struct SelectedInterval(DateTimeOffset Start, HashSet<int>? Hidden, int Count);

/// <summary>The samples of one query, countable and pageable without computing a metric.</summary>
internal sealed class SampleSelection(IReadOnlyList<SelectedInterval> intervals, int? entityIndex, int entityCount)
{
    public int Total { get; } = intervals.Sum(i => i.Count);

    /// <summary>The (interval start, entity index) pairs of one page, in (interval, entity) order.</summary>
    public IEnumerable<(DateTimeOffset IntervalStart, int EntityIndex)> Page(int offset, int limit)
    {
        var skip = offset;
        var left = limit;
        foreach (var interval in intervals)
        {
            if (skip >= interval.Count)
            {
                skip -= interval.Count;
                continue;
            }

            if (entityIndex is { } only)
            {
                skip = 0;
                yield return (interval.Start, only);
                if (--left == 0)
                {
                    yield break;
                }

                continue;
            }

            for (var e = 0; e < entityCount; e++)
            {
                if (interval.Hidden?.Contains(e) == true)
                {
                    continue;
                }

                if (skip > 0)
                {
                    skip--;
                    continue;
                }

                yield return (interval.Start, e);
                if (--left == 0)
                {
                    yield break;
                }
            }
        }
    }
}
