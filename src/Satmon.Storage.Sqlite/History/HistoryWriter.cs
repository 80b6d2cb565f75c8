using System.Buffers;
using Microsoft.Data.Sqlite;
using Satmon.Core.History;

namespace Satmon.Storage.Sqlite.History;

/// <summary>
/// The ingest path of <see cref="HistoryStore.WriteAsync"/>, run on the write connection inside one IMMEDIATE
/// transaction: resolve series ids, order the batch by (series, time, arrival), drop points that are already
/// stored or repeated in the batch, insert the rest, and fold exactly those into the rollups.
/// </summary>
internal sealed class HistoryWriter(SqliteDatabase db, SeriesCache series)
{
    private const int RowsPerInsert = 64;
    private const string ExistingSql = "SELECT t FROM history_raw WHERE series_id = ?1 AND t >= ?2 AND t <= ?3";
    private const string LatestSql = "SELECT max(t) FROM history_raw WHERE series_id = ?1";
    private const string InsertOneSql = "INSERT INTO history_raw (series_id, t, value) VALUES (?, ?, ?)";
    private static readonly string InsertManySql =
        "INSERT INTO history_raw (series_id, t, value) VALUES " + string.Join(", ", Enumerable.Repeat("(?, ?, ?)", RowsPerInsert));

    private readonly RollupFolder _rollups = new();

    // Per series, a time no stored point is later than (an upper bound: retention only lowers the truth). Points
    // after it need no look-up, which spares the usual case, new points after the last ones, a query per series.
    // Touched only under the write lock, and raised only after a commit.
    private readonly Dictionary<long, long> _latest = [];

    /// <summary>Unix ms before which raw points have been removed by retention; older points are ignored.</summary>
    public long RawCutoff { get; set; } = long.MinValue;

    public int Write(SqliteConnection connection, string elementId, IReadOnlyList<HistoryPoint> points)
    {
        var arrived = ArrayPool<PointEntry>.Shared.Rent(points.Count);
        var ordered = ArrayPool<PointEntry>.Shared.Rent(points.Count);
        var groups = new List<(int Start, int Length)>();
        try
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            var created = Resolve(connection, elementId, points, arrived, out var count, out var groupSizes);
            Order(arrived.AsSpan(0, count), ordered, groupSizes, groups);
            var fresh = DropKnown(connection, ordered, groups);
            Insert(connection, ordered.AsSpan(0, fresh));
            _rollups.Fold(db, connection, ordered.AsSpan(0, fresh));
            transaction.Commit();
            foreach (var entry in ordered.AsSpan(0, fresh))
            {
                if (entry.Time > _latest[entry.SeriesId])
                {
                    _latest[entry.SeriesId] = entry.Time;
                }
            }

            foreach (var (key, id) in created)
            {
                series.Add(key, id);
            }

            return fresh;
        }
        finally
        {
            ArrayPool<PointEntry>.Shared.Return(arrived);
            ArrayPool<PointEntry>.Shared.Return(ordered);
        }
    }

    /// <summary>Series id of every finite point, numbered into per-batch groups in order of first appearance.</summary>
    private List<(SeriesKey Key, long Id)> Resolve(
        SqliteConnection connection, string elementId, IReadOnlyList<HistoryPoint> points,
        PointEntry[] entries, out int count, out List<int> groupSizes)
    {
        var created = new List<(SeriesKey Key, long Id)>();
        var known = series.Element(elementId);
        Dictionary<SeriesKey, long>? pending = null;
        var groupOf = new Dictionary<long, int>();
        groupSizes = [];
        SeriesKey lastKey = default;
        long lastId = -1;
        var lastGroup = -1;
        count = 0;
        for (var i = 0; i < points.Count; i++)
        {
            var point = points[i];
            if (!double.IsFinite(point.Value))
            {
                // NaN cannot be stored (SQLite turns it into NULL) and infinities would poison every rollup sum.
                continue;
            }

            var time = point.Time.ToUnixTimeMilliseconds();
            if (time < RawCutoff)
            {
                // Older than the retained raw points: whether it is a duplicate can no longer be checked.
                continue;
            }

            var key = new SeriesKey(elementId, point.Table, point.Key, point.Column);
            if (lastId < 0 || !key.Equals(lastKey))
            {
                // New series join the shared cache only after the commit; until then this batch keeps them.
                if (!known.TryGetValue((point.Table, point.Key, point.Column), out lastId) && !(pending?.TryGetValue(key, out lastId) ?? false))
                {
                    lastId = SeriesCache.Create(db, connection, key, out var isNew);
                    if (isNew)
                    {
                        // Nothing is stored for a series created just now: spare DropKnown its look-up.
                        _latest[lastId] = long.MinValue;
                    }

                    (pending ??= []).Add(key, lastId);
                    created.Add((key, lastId));
                }

                if (!groupOf.TryGetValue(lastId, out lastGroup))
                {
                    lastGroup = groupSizes.Count;
                    groupOf[lastId] = lastGroup;
                    groupSizes.Add(0);
                }

                lastKey = key;
            }

            groupSizes[lastGroup]++;
            entries[count++] = new PointEntry(lastId, time, point.Value, lastGroup, i);
        }

        return created;
    }

    /// <summary>
    /// Counting sort by series group (stable, so arrival order survives), then each group by time. Points of one
    /// series nearly always arrive in time order, so the per-group sort is usually a single check.
    /// </summary>
    private static void Order(ReadOnlySpan<PointEntry> arrived, PointEntry[] ordered, List<int> groupSizes, List<(int Start, int Length)> groups)
    {
        var next = new int[groupSizes.Count];
        var start = 0;
        for (var g = 0; g < groupSizes.Count; g++)
        {
            next[g] = start;
            groups.Add((start, groupSizes[g]));
            start += groupSizes[g];
        }

        foreach (var entry in arrived)
        {
            ordered[next[entry.Group]++] = entry;
        }

        foreach (var (groupStart, length) in groups)
        {
            var span = ordered.AsSpan(groupStart, length);
            for (var i = 1; i < span.Length; i++)
            {
                if (span[i].Time < span[i - 1].Time)
                {
                    span.Sort(PointEntry.ByTimeThenArrival);
                    break;
                }
            }
        }
    }

    /// <summary>
    /// Removes points whose (series, time) is stored already or came earlier in this batch, compacting the rest
    /// to the front; returns how many remain. The batch holds the write lock in an IMMEDIATE transaction, so
    /// nothing can add a point between this check and the insert.
    /// </summary>
    private int DropKnown(SqliteConnection connection, PointEntry[] ordered, List<(int Start, int Length)> groups)
    {
        var existing = db.WriterStatement(connection, ExistingSql);
        var stored = new List<long>();
        var kept = 0;
        foreach (var (start, length) in groups)
        {
            if (length == 0)
            {
                continue;
            }

            stored.Clear();
            var seriesId = ordered[start].SeriesId;
            if (ordered[start].Time <= Latest(connection, seriesId))
            {
                existing.Bind(1, seriesId);
                existing.Bind(2, ordered[start].Time);
                existing.Bind(3, ordered[start + length - 1].Time);
                while (existing.Step())
                {
                    stored.Add(existing.ColumnInt64(0));
                }

                existing.Reset();
            }

            var s = 0;
            for (var i = start; i < start + length; i++)
            {
                var entry = ordered[i];
                if (i > start && entry.Time == ordered[i - 1].Time)
                {
                    continue; // repeated in this batch: the first arrival (sorted first) wins
                }

                // Both lists ascend by time: walk the stored times alongside.
                while (s < stored.Count && stored[s] < entry.Time)
                {
                    s++;
                }

                if (s < stored.Count && stored[s] == entry.Time)
                {
                    continue;
                }

                ordered[kept++] = entry;
            }
        }

        return kept;
    }

    private long Latest(SqliteConnection connection, long seriesId)
    {
        if (!_latest.TryGetValue(seriesId, out var latest))
        {
            var query = db.WriterStatement(connection, LatestSql);
            query.Bind(1, seriesId);
            // max() of no rows is NULL, which reads as 0; Unix ms before 1970 are negative, so use the minimum.
            latest = query.Step() && !query.IsNull(0) ? query.ColumnInt64(0) : long.MinValue;
            query.Reset();
            _latest[seriesId] = latest;
        }

        return latest;
    }

    private void Insert(SqliteConnection connection, ReadOnlySpan<PointEntry> fresh)
    {
        var i = 0;
        if (fresh.Length >= RowsPerInsert)
        {
            // Many rows per statement: SQLite's per-statement work is paid once per 64 points.
            var many = db.WriterStatement(connection, InsertManySql);
            for (; i + RowsPerInsert <= fresh.Length; i += RowsPerInsert)
            {
                for (var r = 0; r < RowsPerInsert; r++)
                {
                    Bind(many, r * 3, fresh[i + r]);
                }

                many.Execute();
            }
        }

        if (i < fresh.Length)
        {
            var one = db.WriterStatement(connection, InsertOneSql);
            for (; i < fresh.Length; i++)
            {
                Bind(one, 0, fresh[i]);
                one.Execute();
            }
        }
    }

    private static void Bind(RawStatement statement, int offset, in PointEntry entry)
    {
        statement.Bind(offset + 1, entry.SeriesId);
        statement.Bind(offset + 2, entry.Time);
        statement.Bind(offset + 3, entry.Value);
    }
}

/// <summary>A point ready to store: series id, Unix ms, value, its series group in the batch and its arrival position.</summary>
internal readonly record struct PointEntry(long SeriesId, long Time, double Value, int Group, int Arrival)
{
    public static IComparer<PointEntry> ByTimeThenArrival { get; } = Comparer<PointEntry>.Create(static (x, y) =>
    {
        var c = x.Time.CompareTo(y.Time);
        return c != 0 ? c : x.Arrival.CompareTo(y.Arrival);
    });
}
