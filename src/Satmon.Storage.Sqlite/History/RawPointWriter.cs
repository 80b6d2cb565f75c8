using Satmon.Core.History.Packing;
using Microsoft.Data.Sqlite;
using Satmon.Core.History;

namespace Satmon.Storage.Sqlite.History;

/// <summary>
/// Stores a batch's raw values as one blob per row and hour (<see cref="PackedPoints"/>), keyed by its first time,
/// after dropping every value whose (row, column, time) is stored already or came earlier in the batch (first wins). The batch holds the write lock in an IMMEDIATE
/// transaction, so nothing can add a point between the check and the insert.
/// </summary>
internal sealed class RawPointWriter(SqliteDatabase db)
{
    private const int RowsPerInsert = 64;
    private const string StoredSql = "SELECT t, data FROM history_points WHERE hour = ?1 AND row_id = ?2";
    private const string UpdateSql = "UPDATE history_points SET data = ?4 WHERE hour = ?1 AND row_id = ?2 AND t = ?3";
    private const string InsertOneSql = "INSERT INTO history_points (hour, row_id, t, data) VALUES (?, ?, ?, ?)";
    private static readonly string InsertManySql =
        "INSERT INTO history_points (hour, row_id, t, data) VALUES " + string.Join(", ", Enumerable.Repeat("(?, ?, ?, ?)", RowsPerInsert));

    private static readonly string[] LatestSql = [.. Resolutions.Rollups.Select(r =>
        $"SELECT max(bucket_start) + {(long)Resolutions.BucketWidth(r).TotalMilliseconds - 1} FROM {RollupFolder.TableName(r)} WHERE row_id = ?1")];

    // Per row, a time no stored point is later than (an upper bound: retention only lowers the truth). Points after it
    // need no look-up, which spares the usual case, new points after the last ones, a query per row. Touched only
    // under the write lock, and raised only after a commit.
    private readonly Dictionary<long, long> _latest = [];
    private readonly HashSet<(long Time, int Column)> _storedValues = [];
    private readonly Dictionary<long, byte[]> _storedRecords = [];
    private readonly List<Record> _inserts = [];
    private readonly List<(long Hour, long RowId, long Key, byte[] Data)> _updates = [];
    private byte[] _blob = new byte[4096];

    /// <summary>A row created in this batch has nothing stored: spare it the look-up.</summary>
    public void Created(long rowId) => _latest[rowId] = long.MinValue;

    public void ForgetLatest() => _latest.Clear();

    /// <summary>
    /// Drops known values from <paramref name="ordered"/> (compacting the rest to the front, still ordered by row and
    /// time), writes the rest, and returns how many values remain.
    /// </summary>
    public int Store(SqliteConnection connection, PointEntry[] ordered, List<(int Start, int Length)> groups)
    {
        _inserts.Clear();
        _updates.Clear();
        var kept = 0;
        foreach (var (start, length) in groups)
        {
            var latest = length > 0 ? Latest(connection, ordered[start].RowId) : long.MinValue;
            for (var i = start; i < start + length;)
            {
                // One record per row and hour: split the row's values (ordered by time) at hour boundaries.
                var hour = HistorySchema.Hour(ordered[i].Time);
                var end = i;
                while (end < start + length && HistorySchema.Hour(ordered[end].Time) == hour)
                {
                    end++;
                }

                kept = KeepNew(connection, ordered, i, end, hour, latest, kept);
                i = end;
            }
        }

        Insert(connection, ordered);
        Update(connection);
        return kept;
    }

    /// <summary>Raises the rows' latest times once the batch has committed.</summary>
    public void Committed(ReadOnlySpan<PointEntry> fresh)
    {
        foreach (var entry in fresh)
        {
            // A row missing here was never looked up: its bound is not known, so it must not be guessed from the batch.
            if (_latest.TryGetValue(entry.RowId, out var latest) && entry.Time > latest)
            {
                _latest[entry.RowId] = entry.Time;
            }
        }
    }

    /// <summary>Keeps the new values of one row in one hour, ordered[start..end), and plans their record.</summary>
    private int KeepNew(SqliteConnection connection, PointEntry[] ordered, int start, int end, long hour, long latest, int kept)
    {
        var rowId = ordered[start].RowId;
        var mayBeStored = ordered[start].Time <= latest;
        if (mayBeStored)
        {
            LoadStored(connection, rowId, hour);
        }

        var recordStart = kept;
        for (var i = start; i < end; i++)
        {
            var entry = ordered[i];
            // Repeated in this batch (the first arrival sorts first and wins), or stored already.
            var repeated = i > start && entry.Time == ordered[i - 1].Time && entry.Column == ordered[i - 1].Column;
            if (!repeated && !(mayBeStored && _storedValues.Contains((entry.Time, entry.Column))))
            {
                ordered[kept++] = entry;
            }
        }

        if (kept > recordStart)
        {
            var key = ordered[recordStart].Time;
            if (mayBeStored && _storedRecords.TryGetValue(key, out var stored))
            {
                // A stored record of this row and hour starts at the same time: the new values join it.
                var added = new byte[PackedPoints.Size(ordered.AsSpan(recordStart, kept - recordStart))];
                PackedPoints.Write(added, hour, ordered.AsSpan(recordStart, kept - recordStart));
                _updates.Add((hour, rowId, key, PackedPoints.Merge(stored, added)));
            }
            else
            {
                _inserts.Add(new Record(rowId, hour, recordStart, kept - recordStart));
            }
        }

        return kept;
    }

    /// <summary>The (time, column) of every value stored for a row in an hour, and its records by key.</summary>
    private void LoadStored(SqliteConnection connection, long rowId, long hour)
    {
        _storedValues.Clear();
        _storedRecords.Clear();
        var query = db.WriterStatement(connection, StoredSql);
        query.Bind(1, hour);
        query.Bind(2, rowId);
        var state = (Values: _storedValues, HourStart: hour * HistorySchema.HourMs);
        while (query.Step())
        {
            var data = query.ColumnBlob(1);
            _storedRecords[query.ColumnInt64(0)] = data.ToArray();
            PackedPoints.ForEach(data, ref state, static (ref (HashSet<(long, int)> Values, long HourStart) s, uint at, int column, double _) =>
                s.Values.Add((s.HourStart + at, column)));
        }

        query.Reset();
    }

    private long Latest(SqliteConnection connection, long rowId)
    {
        if (!_latest.TryGetValue(rowId, out var latest))
        {
            // Every stored point is folded into every rollup level, and each level's newest bucket ends after it; the
            // largest of the three survives whichever retention removed the others.
            latest = long.MinValue;
            foreach (var sql in LatestSql)
            {
                var query = db.WriterStatement(connection, sql);
                query.Bind(1, rowId);
                if (query.Step() && !query.IsNull(0))
                {
                    latest = Math.Max(latest, query.ColumnInt64(0));
                }

                query.Reset();
            }

            _latest[rowId] = latest;
        }

        return latest;
    }

    private void Insert(SqliteConnection connection, PointEntry[] kept)
    {
        var i = 0;
        if (_inserts.Count >= RowsPerInsert)
        {
            // Many rows per statement: SQLite's per-statement work is paid once per 64 records.
            var many = db.WriterStatement(connection, InsertManySql);
            for (; i + RowsPerInsert <= _inserts.Count; i += RowsPerInsert)
            {
                for (var r = 0; r < RowsPerInsert; r++)
                {
                    Bind(many, r * 4, _inserts[i + r], kept);
                }

                many.Execute();
            }
        }

        if (i < _inserts.Count)
        {
            var one = db.WriterStatement(connection, InsertOneSql);
            for (; i < _inserts.Count; i++)
            {
                Bind(one, 0, _inserts[i], kept);
                one.Execute();
            }
        }
    }

    private void Bind(RawStatement statement, int offset, Record record, PointEntry[] kept)
    {
        var values = kept.AsSpan(record.Start, record.Length);
        var size = PackedPoints.Size(values);
        if (_blob.Length < size)
        {
            _blob = new byte[Math.Max(size, _blob.Length * 2)];
        }

        PackedPoints.Write(_blob, record.Hour, values);
        statement.Bind(offset + 1, record.Hour);
        statement.Bind(offset + 2, record.RowId);
        statement.Bind(offset + 3, values[0].Time);
        // The blob is copied by SQLite when bound (SQLITE_TRANSIENT), so the buffer can be reused at once.
        statement.Bind(offset + 4, _blob.AsSpan(0, size));
    }

    private void Update(SqliteConnection connection)
    {
        if (_updates.Count == 0)
        {
            return;
        }

        var update = db.WriterStatement(connection, UpdateSql);
        foreach (var (hour, rowId, key, data) in _updates)
        {
            update.Bind(1, hour);
            update.Bind(2, rowId);
            update.Bind(3, key);
            update.Bind(4, data);
            update.Execute();
        }
    }

    /// <summary>A new record of one row and hour, keyed by its first time: its values are kept[Start..Start+Length).</summary>
    private readonly record struct Record(long RowId, long Hour, int Start, int Length);
}
