using Satmon.Core.Connectors;
using Satmon.Core.Tables;

namespace Satmon.Connectors.SesMpower;

/// <summary>
/// What the pull needs to know of every stored terminal (last report time, online), kept in memory so a pull does
/// not read the whole table: loaded once from the table, then kept in step with every write. Only this element's
/// runtime writes its terminals table, and the puller serialises its users.
/// </summary>
internal sealed class MpowerTerminalIndex(IElementContext context)
{
    private const int LoadPageSize = 5000;
    private readonly Dictionary<string, (DateTimeOffset LastReport, bool Online)> _terminals = new(StringComparer.Ordinal);
    private bool _loaded;

    public int Count => _terminals.Count;

    public int OnlineCount => _terminals.Values.Count(t => t.Online);

    public async Task EnsureLoadedAsync(CancellationToken cancellationToken)
    {
        if (_loaded)
        {
            return;
        }

        for (var offset = 0; ; offset += LoadPageSize)
        {
            var page = await context.Tables.QueryAsync(
                MpowerTables.Terminals, TableQuery.Default with { Offset = offset, Limit = LoadPageSize }, cancellationToken);
            foreach (var row in page.Rows)
            {
                var lastReport = row.Values.GetValueOrDefault(MpowerTables.LastReportTime) as DateTimeOffset? ?? DateTimeOffset.MinValue;
                _terminals[row.Key] = (lastReport, MpowerMapper.IsOnline(row.Values.GetValueOrDefault(MpowerTables.TerminalStatus) as string));
            }

            if (page.Rows.Count < LoadPageSize)
            {
                break;
            }
        }

        _loaded = true;
    }

    /// <summary>
    /// The latest sample of each terminal among <paramref name="samples"/> (no comparison with the table yet:
    /// this runs on the reading side, which must not touch the index).
    /// </summary>
    public static List<TerminalSample> LatestPerTerminal(IReadOnlyList<TerminalSample> samples)
    {
        var latest = new Dictionary<string, TerminalSample>(StringComparer.Ordinal);
        foreach (var sample in samples)
        {
            if (!latest.TryGetValue(sample.Key, out var seen) || sample.Time > seen.Time)
            {
                latest[sample.Key] = sample;
            }
        }

        return [.. latest.Values];
    }

    /// <summary>Whether a sample is newer than what the table holds: a late message never overwrites a newer current value.</summary>
    public bool IsNewer(TerminalSample sample) => !_terminals.TryGetValue(sample.Key, out var stored) || sample.Time > stored.LastReport;

    /// <summary>Records rows that were written.</summary>
    public void Record(IEnumerable<TerminalSample> written)
    {
        foreach (var sample in written)
        {
            _terminals[sample.Key] = (sample.Time, sample.Online);
        }
    }

    /// <summary>Terminals whose last report is older than <paramref name="cutoff"/>.</summary>
    public List<string> SilentSince(DateTimeOffset cutoff) =>
        [.. _terminals.Where(t => t.Value.LastReport < cutoff).Select(t => t.Key)];

    public void Remove(IEnumerable<string> keys)
    {
        foreach (var key in keys)
        {
            _terminals.Remove(key);
        }
    }
}
