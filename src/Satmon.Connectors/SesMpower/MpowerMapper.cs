using Satmon.Core.History;
using Satmon.Core.Tables;

namespace Satmon.Connectors.SesMpower;

/// <summary>One terminal's report, as parsed.</summary>
/// <param name="Key">Object name (row key).</param>
/// <param name="Time">The message's eventTime (UTC).</param>
/// <param name="Identifiers">The message's key.</param>
/// <param name="Metrics">The message's metrics (empty when it had none).</param>
internal readonly record struct TerminalSample(string Key, DateTimeOffset Time, PmKey Identifiers, PmMetrics Metrics)
{
    /// <summary>Whether the terminal status means online.</summary>
    public bool Online => MpowerMapper.IsOnline(Metrics.TerminalStatus);
}

/// <summary>pm-reports messages → history points and terminal rows.</summary>
internal static class MpowerMapper
{
    /// <summary>The terminal status that counts as active (compared case-insensitively).</summary>
    public const string Online = "ONLINE";

    /// <summary>Accepts a message; false when it lacks what every row needs (object name, eventTime).</summary>
    public static bool TryMap(PmMessage message, out TerminalSample sample)
    {
        if (message.Event?.Key is not { ObjectName: { Length: > 0 } objectName } key || message.EventTime is not { } eventTime)
        {
            sample = default;
            return false;
        }

        sample = new TerminalSample(objectName, eventTime.ToUniversalTime(), key, message.Event.Metrics ?? new PmMetrics());
        return true;
    }

    /// <summary>
    /// The row of the terminals table: every column; metrics the report did not have are null. Built only for the
    /// reports that become current values, so most messages never pay for a row.
    /// </summary>
    public static TableRow ToRow(TerminalSample sample)
    {
        var values = new Dictionary<string, object?>(MpowerTables.TerminalsTable.Columns.Count, StringComparer.Ordinal);
        foreach (var (column, read) in MpowerTables.Identifiers)
        {
            values[column.Name] = read(sample.Identifiers);
        }

        foreach (var (column, read) in MpowerTables.Metrics)
        {
            values[column.Name] = read(sample.Metrics) is { } d && double.IsFinite(d) ? d : null;
        }

        values["serviceStatus"] = sample.Metrics.ServiceStatus;
        values[MpowerTables.TerminalStatus] = sample.Metrics.TerminalStatus;
        values[MpowerTables.LastReportTime] = sample.Time;
        return new TableRow(sample.Key, values);
    }

    /// <summary>
    /// One point per numeric metric of the sample, at its own eventTime. Read straight from the parsed metrics
    /// rather than through a row (<see cref="HistoryPoints.FromRows"/>): this is the hot path of a catch-up.
    /// </summary>
    public static void AddHistoryPoints(List<HistoryPoint> points, TerminalSample sample)
    {
        foreach (var (column, read) in MpowerTables.Metrics)
        {
            if (read(sample.Metrics) is { } value && double.IsFinite(value))
            {
                points.Add(new HistoryPoint(MpowerTables.Terminals, sample.Key, column.Name, sample.Time, value));
            }
        }
    }

    /// <summary>What identifies a message for de-duplication: its eventId, else terminal and time.</summary>
    public static string DeduplicationKey(PmMessage message) =>
        message.EventId is { Length: > 0 } id ? id : $"{message.Event?.Key?.ObjectName}@{message.EventTime:O}";

    public static bool IsOnline(string? terminalStatus) => string.Equals(terminalStatus, Online, StringComparison.OrdinalIgnoreCase);
}
