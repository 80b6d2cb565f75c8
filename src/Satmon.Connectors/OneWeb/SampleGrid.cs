using Satmon.Core.History;

namespace Satmon.Connectors.OneWeb;

/// <summary>
/// Holds one report's samples on its 15-minute grid, one row of doubles per entity, and hands them to the history
/// writer series by series. The vendor sends a report interval by interval (every terminal at 00:00, then every
/// terminal at 00:15, …); written in that order, each batch would touch every series of the fleet and the store
/// would rewrite its whole index per batch. Grouped, a batch covers a few hundred series completely.
/// A sample off the grid (not at a whole interval from the start) is kept as it came and written after the grid.
/// </summary>
internal sealed class SampleGrid
{
    // 8 M cells = 64 MiB of doubles; a larger report (a very long catch-up window) is written in several parts.
    private const long MaxCells = 8_000_000;
    private static readonly TimeSpan Granularity = TimeSpan.FromMinutes(15);

    private readonly ReportSpec _spec;
    private readonly DateTimeOffset _origin;
    private readonly int _slots;
    private readonly Dictionary<string, double[]> _rows = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];
    private readonly List<HistoryPoint> _offGrid = [];

    public SampleGrid(ReportSpec spec, DateTimeOffset from, DateTimeOffset to)
    {
        _spec = spec;
        _origin = from;
        _slots = (int)Math.Ceiling((to - from) / Granularity) + 1;
    }

    public async ValueTask AddAsync(ReportSample sample, HistoryPipeline history)
    {
        var offset = sample.Start - _origin;
        if (offset < TimeSpan.Zero || offset.Ticks % Granularity.Ticks != 0 || offset / Granularity >= _slots)
        {
            foreach (var (column, value) in sample.Metrics)
            {
                _offGrid.Add(new HistoryPoint(_spec.Table, sample.Key, column, sample.Start, value));
            }

            return;
        }

        var width = _slots * _spec.Metrics.Count;
        if (!_rows.TryGetValue(sample.Key, out var row))
        {
            if ((long)(_order.Count + 1) * width > MaxCells)
            {
                await FlushAsync(history);
            }

            row = new double[width];
            Array.Fill(row, double.NaN);
            _rows[sample.Key] = row;
            _order.Add(sample.Key);
        }

        var slot = (int)(offset / Granularity);
        for (var m = 0; m < sample.Metrics.Count; m++)
        {
            row[(m * _slots) + slot] = sample.Metrics[m].Value;
        }
    }

    /// <summary>Writes everything held, series by series in time order, and empties the grid.</summary>
    public async ValueTask FlushAsync(HistoryPipeline history)
    {
        foreach (var key in _order)
        {
            var row = _rows[key];
            for (var m = 0; m < _spec.Metrics.Count; m++)
            {
                var column = _spec.Metrics[m].Column;
                for (var slot = 0; slot < _slots; slot++)
                {
                    // NaN marks an empty cell: JSON has no NaN, so no vendor value can be one.
                    var value = row[(m * _slots) + slot];
                    if (!double.IsNaN(value))
                    {
                        await history.AddAsync(new HistoryPoint(_spec.Table, key, column, _origin + (slot * Granularity), value));
                    }
                }
            }
        }

        foreach (var point in _offGrid)
        {
            await history.AddAsync(point);
        }

        _rows.Clear();
        _order.Clear();
        _offGrid.Clear();
    }
}
