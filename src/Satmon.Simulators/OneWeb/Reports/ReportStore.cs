using System.Collections.Concurrent;
using System.Globalization;
using Satmon.Simulators.OneWeb.Wire;

namespace Satmon.Simulators.OneWeb.Reports;

/// <summary>An asynchronous report asked for with POST; its content is computed when read, as of its completion time.</summary>
internal sealed record StoredReport(
    string Id,
    DateTimeOffset CreationDate,
    string? Description,
    OneWebReportType Type,
    int? EntityIndex,
    DateTimeOffset Start,
    DateTimeOffset End,
    PerformanceJobWire Job);

/// <summary>Reports created by POST, kept in memory (only their parameters; content is regenerated).</summary>
internal sealed class ReportStore
{
    private readonly ConcurrentDictionary<string, StoredReport> _reports = new(StringComparer.Ordinal);
    private long _next;

    public StoredReport Add(DateTimeOffset creationDate, string? description, OneWebReportType type, int? entityIndex,
        DateTimeOffset start, DateTimeOffset end, PerformanceJobWire job)
    {
        var id = "PR-" + Interlocked.Increment(ref _next).ToString("x8", CultureInfo.InvariantCulture);
        var report = new StoredReport(id, creationDate, description, type, entityIndex, start, end, job);
        _reports[id] = report;
        return report;
    }

    public bool TryGet(string id, out StoredReport? report) => _reports.TryGetValue(id, out report);

    public IReadOnlyList<StoredReport> All() => [.. _reports.Values.OrderBy(r => r.Id, StringComparer.Ordinal)];
}
