using Prometheus;
using Satmon.Core.Connectors;
using Satmon.Core.Elements;
using Satmon.Core.Storage;
using Satmon.Core.Tables;

namespace Satmon.Metrics;

/// <summary>
/// Refreshed on each scrape: rows per table, and the current value of every trended number column of every row as
/// <c>satmon_&lt;table&gt;_&lt;column&gt;{element, key}</c>. Label sets whose rows (or elements) are gone are removed,
/// so a deleted terminal stops being exported instead of freezing at its last value.
/// </summary>
internal sealed partial class TableMetricsCollector(
    IElementManager elements, ISatmonStore store, CollectorRegistry registry, ILogger<TableMetricsCollector> logger) : IDisposable
{
    private readonly IMetricFactory _factory = Prometheus.Metrics.WithCustomRegistry(registry);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, Gauge> _columnGauges = new(StringComparer.Ordinal);
    private HashSet<(Gauge Gauge, string Element, string Key)> _exported = [];
    private HashSet<(string Element, string Table)> _exportedCounts = [];
    private Gauge? _rows;

    /// <summary>Runs before each collection of the registry.</summary>
    public async Task CollectAsync(CancellationToken cancellationToken)
    {
        // Two scrapes at once would race on the "seen" sets; the second one simply waits for the first.
        await _gate.WaitAsync(cancellationToken);
        try
        {
            _rows ??= _factory.CreateGauge("satmon_table_rows", "Rows in each current-value table.", ["element", "table"]);
            var seen = new HashSet<(Gauge, string, string)>();
            var seenCounts = new HashSet<(string, string)>();
            foreach (var element in await elements.ListAsync(cancellationToken))
            {
                var connector = elements.Connectors.FirstOrDefault(c => c.Id == element.Connector);
                foreach (var table in connector?.Tables ?? [])
                {
                    await CollectTableAsync(element.Id, connector!, table, seen, seenCounts, cancellationToken);
                }
            }

            foreach (var (gauge, element, key) in _exported.Except(seen))
            {
                gauge.RemoveLabelled(element, key);
            }

            foreach (var (element, table) in _exportedCounts.Except(seenCounts))
            {
                _rows.RemoveLabelled(element, table);
            }

            _exported = seen;
            _exportedCounts = seenCounts;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // The scrape still answers with what it has (poll counters, previous values); the log says why.
            LogCollectFailed(logger, ex);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private async Task CollectTableAsync(
        string elementId,
        ConnectorDescriptor connector,
        TableDefinition table,
        HashSet<(Gauge, string, string)> seen,
        HashSet<(string, string)> seenCounts,
        CancellationToken cancellationToken)
    {
        _rows!.WithLabels(elementId, table.Name).Set(await store.Tables.CountAsync(elementId, table.Name, cancellationToken));
        seenCounts.Add((elementId, table.Name));
        var trended = table.Columns.Where(c => c.Trended && c.Type == ColumnType.Number).Select(c => (Column: c, Gauge: GaugeFor(connector, table, c))).ToList();
        if (trended.Count == 0)
        {
            return;
        }

        await foreach (var row in store.Tables.ReadAllAsync(elementId, table.Name, cancellationToken))
        {
            foreach (var (column, gauge) in trended)
            {
                if (row.Values.TryGetValue(column.Name, out var value) && value is double d)
                {
                    gauge.WithLabels(elementId, row.Key).Set(d);
                    seen.Add((gauge, elementId, row.Key));
                }
            }
        }
    }

    private Gauge GaugeFor(ConnectorDescriptor connector, TableDefinition table, ColumnDefinition column)
    {
        var name = MetricNames.ColumnGauge(table.Name, column.Name);
        if (!_columnGauges.TryGetValue(name, out var gauge))
        {
            var unit = column.Unit is null ? "" : $" ({column.Unit})";
            var help = $"{connector.DisplayName} {table.Label}: {column.Label ?? column.Name}{unit}, current value.";
            _columnGauges[name] = gauge = _factory.CreateGauge(name, help, ["element", "key"]);
        }

        return gauge;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Collecting table metrics failed; the scrape answers with what it has")]
    private static partial void LogCollectFailed(ILogger logger, Exception exception);
}
