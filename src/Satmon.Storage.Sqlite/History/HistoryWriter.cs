using Satmon.Core.History.Packing;
using System.Buffers;
using Microsoft.Data.Sqlite;
using Satmon.Core.History;

namespace Satmon.Storage.Sqlite.History;

/// <summary>
/// The ingest path of <see cref="HistoryStore.WriteAsync"/>, run on the write connection inside one IMMEDIATE
/// transaction: resolve row ids and column numbers, order the batch by (row, time, column, arrival), drop values that
/// are already stored or repeated in the batch, store the rest one blob per (row, time), and fold exactly those into
/// the rollups.
/// </summary>
internal sealed class HistoryWriter
{
    private readonly SqliteDatabase _db;
    private readonly SeriesResolver _resolver;
    private readonly RawPointWriter _raw;
    private readonly RollupFolder _rollups = new();
    private readonly List<int> _groupSizes = [];
    private readonly List<(int Start, int Length)> _groups = [];
    private readonly Dictionary<long, int> _groupOf = [];
    private SqliteConnection? _functionsOn;
    private long _dataVersion = -1;

    public HistoryWriter(SqliteDatabase db, SeriesCache series)
    {
        _db = db;
        _resolver = new SeriesResolver(db, series);
        _raw = new RawPointWriter(db);
    }

    /// <summary>Unix ms before which raw points have been removed by retention; older points are ignored.</summary>
    public long RawCutoff { get; set; } = long.MinValue;

    public int Write(SqliteConnection connection, string elementId, IReadOnlyList<HistoryPoint> points)
    {
        Prepare(connection);
        var arrived = ArrayPool<PointEntry>.Shared.Rent(points.Count);
        var ordered = ArrayPool<PointEntry>.Shared.Rent(points.Count);
        try
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            _resolver.Begin(connection, transaction, elementId, OthersWrote(connection));
            var count = Resolve(points, arrived);
            _resolver.InsertNewRows();
            Order(arrived.AsSpan(0, count), ordered);
            var fresh = _raw.Store(connection, ordered, _groups);
            _rollups.Fold(_db, connection, ordered.AsSpan(0, fresh));
            transaction.Commit();
            _resolver.Publish();
            _raw.Committed(ordered.AsSpan(0, fresh));
            return fresh;
        }
        finally
        {
            ArrayPool<PointEntry>.Shared.Return(arrived);
            ArrayPool<PointEntry>.Shared.Return(ordered);
        }
    }

    /// <summary>Registers the merge functions once per connection.</summary>
    private void Prepare(SqliteConnection connection)
    {
        if (!ReferenceEquals(_functionsOn, connection))
        {
            RollupFolder.RegisterFunctions(connection);
            _functionsOn = connection;
            _dataVersion = -1;
        }
    }

    /// <summary>
    /// Whether another connection (another process on the same file) has committed since this one's last write
    /// transaction; read inside the IMMEDIATE transaction, so nothing can commit between the check and the batch. Its
    /// points could lie after what this process knows as a row's latest time, and its rows be missing from the cache.
    /// </summary>
    private bool OthersWrote(SqliteConnection connection)
    {
        // data_version changes only with other connections' commits, never with this connection's own.
        var query = _db.WriterStatement(connection, "PRAGMA data_version");
        var version = query.Step() ? query.ColumnInt64(0) : 0;
        query.Reset();
        if (version == _dataVersion)
        {
            return false;
        }

        _raw.ForgetLatest();
        _dataVersion = version;
        return true;
    }

    /// <summary>
    /// Row id and column number of every finite point not older than the raw cutoff, numbered into per-batch row
    /// groups in order of first appearance. Returns how many entries were filled.
    /// </summary>
    private int Resolve(IReadOnlyList<HistoryPoint> points, PointEntry[] entries)
    {
        _groupSizes.Clear();
        _groupOf.Clear();
        string? lastTable = null, lastKey = null, lastColumn = null;
        TableSeries? table = null;
        long rowId = -1;
        var columnNo = -1;
        var group = -1;
        var count = 0;
        for (var i = 0; i < points.Count; i++)
        {
            var point = points[i];
            // NaN cannot be stored (SQLite turns it into NULL) and infinities would poison every rollup sum.
            var time = point.Time.ToUnixTimeMilliseconds();
            if (!double.IsFinite(point.Value) || time < RawCutoff)
            {
                // Older than the retained raw points: whether it is a duplicate can no longer be checked.
                continue;
            }

            // Connectors write a row's columns one after another: the previous point's identity usually still holds.
            if (!string.Equals(point.Table, lastTable, StringComparison.Ordinal))
            {
                table = _resolver.Table(point.Table);
                lastTable = point.Table;
                lastKey = null;
                lastColumn = null;
            }

            if (!string.Equals(point.Key, lastKey, StringComparison.Ordinal))
            {
                rowId = _resolver.Row(table!, point.Key, out var isNew);
                if (isNew)
                {
                    _raw.Created(rowId);
                }

                if (!_groupOf.TryGetValue(rowId, out group))
                {
                    group = _groupSizes.Count;
                    _groupOf[rowId] = group;
                    _groupSizes.Add(0);
                }

                lastKey = point.Key;
            }

            if (!string.Equals(point.Column, lastColumn, StringComparison.Ordinal))
            {
                columnNo = _resolver.Column(table!, point.Column);
                lastColumn = point.Column;
            }

            _groupSizes[group]++;
            entries[count++] = new PointEntry(rowId, time, point.Value, columnNo, group, i);
        }

        return count;
    }

    /// <summary>
    /// Counting sort by row group (stable, so arrival order survives), then each group by time and column. A row's
    /// points nearly always arrive in that order already, so the per-group sort is usually a single check.
    /// </summary>
    private void Order(ReadOnlySpan<PointEntry> arrived, PointEntry[] ordered)
    {
        _groups.Clear();
        var next = ArrayPool<int>.Shared.Rent(_groupSizes.Count);
        try
        {
            var start = 0;
            for (var g = 0; g < _groupSizes.Count; g++)
            {
                next[g] = start;
                _groups.Add((start, _groupSizes[g]));
                start += _groupSizes[g];
            }

            foreach (var entry in arrived)
            {
                ordered[next[entry.Group]++] = entry;
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(next);
        }

        foreach (var (groupStart, length) in _groups)
        {
            var span = ordered.AsSpan(groupStart, length);
            for (var i = 1; i < span.Length; i++)
            {
                if (PointEntry.ByTimeColumnArrival.Compare(span[i - 1], span[i]) > 0)
                {
                    span.Sort(PointEntry.ByTimeColumnArrival);
                    break;
                }
            }
        }
    }
}
