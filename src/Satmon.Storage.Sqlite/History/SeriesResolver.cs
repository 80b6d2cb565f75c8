using Microsoft.Data.Sqlite;

namespace Satmon.Storage.Sqlite.History;

/// <summary>
/// Finds or creates the table, column and row identities of one ingest batch inside its write transaction. What it
/// creates stays private to the batch until <see cref="Publish"/> (after the commit), so a rollback leaks no id.
/// </summary>
/// <remarks>
/// A first pull can bring 100 000 new rows. When no other connection has written since this one's last transaction
/// (<see cref="Begin"/>'s <c>othersWrote</c>), the cache is complete, so a key missing from it is certainly new: rows
/// then get ids counted on from the largest and are inserted many per statement by <see cref="InsertNewRows"/>.
/// Otherwise each row is inserted on its own with a fallback to the row another process created.
/// </remarks>
internal sealed class SeriesResolver(SqliteDatabase db, SeriesCache cache)
{
    private const int RowsPerInsert = 64;
    private const string MaxRowIdSql = "SELECT coalesce(max(id), 0) FROM history_rows";
    private const string InsertRowOneSql = "INSERT INTO history_rows (id, table_id, row_key) VALUES (?, ?, ?)";
    private static readonly string InsertRowManySql =
        "INSERT INTO history_rows (id, table_id, row_key) VALUES " + string.Join(", ", Enumerable.Repeat("(?, ?, ?)", RowsPerInsert));

    private const string InsertTableSql = "INSERT INTO history_tables (element_id, table_name) VALUES (?1, ?2) ON CONFLICT DO NOTHING RETURNING id";
    private const string SelectTableSql = "SELECT id FROM history_tables WHERE element_id = ?1 AND table_name = ?2";
    private const string SelectColumnSql = "SELECT column_no FROM history_columns WHERE table_id = ?1 AND column_name = ?2";
    private const string NextColumnSql = "SELECT coalesce(max(column_no) + 1, 0) FROM history_columns WHERE table_id = ?1";
    private const string InsertColumnSql = "INSERT INTO history_columns (table_id, column_no, column_name) VALUES (?1, ?2, ?3)";
    private const string InsertRowSql = "INSERT INTO history_rows (table_id, row_key) VALUES (?1, ?2) ON CONFLICT DO NOTHING RETURNING id";
    private const string SelectRowSql = "SELECT id FROM history_rows WHERE table_id = ?1 AND row_key = ?2";

    private readonly Dictionary<string, TableSeries> _newTables = new(StringComparer.Ordinal);
    private readonly Dictionary<TableSeries, Pending> _pending = [];
    private string _elementId = "";
    private SqliteConnection? _connection;
    private SqliteTransaction? _transaction;
    private readonly List<(long Id, long TableId, string Key)> _newRows = [];
    private bool _cacheComplete;
    private long _lastRowId;

    public void Begin(SqliteConnection connection, SqliteTransaction transaction, string elementId, bool othersWrote)
    {
        _connection = connection;
        _transaction = transaction;
        _elementId = elementId;
        _cacheComplete = !othersWrote;
        _lastRowId = -1;
        _newTables.Clear();
        _pending.Clear();
        _newRows.Clear();
    }

    public TableSeries Table(string name)
    {
        if (cache.Element(_elementId).TryGetValue(name, out var table) || _newTables.TryGetValue(name, out table))
        {
            return table;
        }

        table = new TableSeries(InsertOrSelect(InsertTableSql, SelectTableSql, null, name, out var isNew));
        if (!isNew)
        {
            // Created by another process since this one loaded its cache: take its columns and rows as well.
            LoadTable(table);
        }

        _newTables[name] = table;
        return table;
    }

    public int Column(TableSeries table, string name)
    {
        if (table.Columns.TryGetValue(name, out var columnNo) || (_pending.TryGetValue(table, out var pending) && pending.Columns.TryGetValue(name, out columnNo)))
        {
            return columnNo;
        }

        var select = db.WriterStatement(Connection, SelectColumnSql);
        select.Bind(1, table.Id);
        select.Bind(2, name);
        var found = select.Step();
        columnNo = found ? (int)select.ColumnInt64(0) : 0;
        select.Reset();
        if (!found)
        {
            var next = db.WriterStatement(Connection, NextColumnSql);
            next.Bind(1, table.Id);
            columnNo = next.Step() ? (int)next.ColumnInt64(0) : 0;
            next.Reset();
            if (columnNo > HistorySchema.MaxColumnNo)
            {
                throw new InvalidOperationException($"History table '{table.Id}' would get more than {HistorySchema.MaxColumnNo + 1} trended columns; column '{name}' is not stored.");
            }

            var insert = db.WriterStatement(Connection, InsertColumnSql);
            insert.Bind(1, table.Id);
            insert.Bind(2, columnNo);
            insert.Bind(3, name);
            insert.Execute();
        }

        PendingOf(table).Columns[name] = columnNo;
        return columnNo;
    }

    /// <summary>Row id of a key; <paramref name="isNew"/> when this call created the row, so it has no points yet.</summary>
    public long Row(TableSeries table, string key, out bool isNew)
    {
        isNew = false;
        if (table.Rows.TryGetValue(key, out var id) || (_pending.TryGetValue(table, out var pending) && pending.Rows.TryGetValue(key, out id)))
        {
            return id;
        }

        if (_cacheComplete)
        {
            if (_lastRowId < 0)
            {
                var max = db.WriterStatement(Connection, MaxRowIdSql);
                _lastRowId = max.Step() ? max.ColumnInt64(0) : 0;
                max.Reset();
            }

            id = ++_lastRowId;
            _newRows.Add((id, table.Id, key));
            isNew = true;
        }
        else
        {
            id = InsertOrSelect(InsertRowSql, SelectRowSql, table, key, out isNew);
        }

        PendingOf(table).Rows[key] = id;
        return id;
    }

    /// <summary>Inserts the rows <see cref="Row"/> numbered without a statement each.</summary>
    public void InsertNewRows()
    {
        var i = 0;
        if (_newRows.Count >= RowsPerInsert)
        {
            var many = db.WriterStatement(Connection, InsertRowManySql);
            for (; i + RowsPerInsert <= _newRows.Count; i += RowsPerInsert)
            {
                for (var r = 0; r < RowsPerInsert; r++)
                {
                    BindRow(many, r * 3, _newRows[i + r]);
                }

                many.Execute();
            }
        }

        if (i < _newRows.Count)
        {
            var one = db.WriterStatement(Connection, InsertRowOneSql);
            for (; i < _newRows.Count; i++)
            {
                BindRow(one, 0, _newRows[i]);
                one.Execute();
            }
        }

        _newRows.Clear();
    }

    private static void BindRow(RawStatement statement, int offset, (long Id, long TableId, string Key) row)
    {
        statement.Bind(offset + 1, row.Id);
        statement.Bind(offset + 2, row.TableId);
        statement.Bind(offset + 3, row.Key);
    }

    /// <summary>Makes the batch's new identities visible; call after the commit.</summary>
    public void Publish()
    {
        foreach (var (table, pending) in _pending)
        {
            foreach (var (name, columnNo) in pending.Columns)
            {
                table.Columns[name] = columnNo;
            }

            foreach (var (key, id) in pending.Rows)
            {
                table.Rows[key] = id;
            }
        }

        var tables = cache.Element(_elementId);
        foreach (var (name, table) in _newTables)
        {
            tables[name] = table;
        }

        _newTables.Clear();
        _pending.Clear();
    }

    private SqliteConnection Connection => _connection ?? throw new InvalidOperationException("Begin was not called.");

    private Pending PendingOf(TableSeries table)
    {
        if (!_pending.TryGetValue(table, out var pending))
        {
            pending = new Pending();
            _pending[table] = pending;
        }

        return pending;
    }

    /// <summary>Inserts (first, second) or finds it; first is the table of a row, or the batch's element for a table.</summary>
    private long InsertOrSelect(string insertSql, string selectSql, TableSeries? table, string second, out bool isNew)
    {
        var insert = db.WriterStatement(Connection, insertSql);
        BindFirst(insert, table);
        insert.Bind(2, second);
        isNew = insert.Step();
        var id = isNew ? insert.ColumnInt64(0) : 0;
        insert.Reset();
        if (isNew)
        {
            return id;
        }

        // Another process created it since the cache was loaded.
        var select = db.WriterStatement(Connection, selectSql);
        BindFirst(select, table);
        select.Bind(2, second);
        id = select.Step() ? select.ColumnInt64(0) : throw new InvalidOperationException($"History identity '{second}' vanished inside the write transaction.");
        select.Reset();
        return id;
    }

    private void BindFirst(RawStatement statement, TableSeries? table)
    {
        if (table is null)
        {
            statement.Bind(1, _elementId);
        }
        else
        {
            statement.Bind(1, table.Id);
        }
    }

    private void LoadTable(TableSeries table)
    {
        using (var command = Connection.CreateCommand())
        {
            command.Transaction = _transaction;
            command.CommandText = "SELECT column_no, column_name FROM history_columns WHERE table_id = $t";
            command.Parameters.AddWithValue("$t", table.Id);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                table.Columns[reader.GetString(1)] = reader.GetInt32(0);
            }
        }

        using (var command = Connection.CreateCommand())
        {
            command.Transaction = _transaction;
            command.CommandText = "SELECT id, row_key FROM history_rows WHERE table_id = $t";
            command.Parameters.AddWithValue("$t", table.Id);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                table.Rows[reader.GetString(1)] = reader.GetInt64(0);
            }
        }
    }

    private sealed class Pending
    {
        public Dictionary<string, int> Columns { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, long> Rows { get; } = new(StringComparer.Ordinal);
    }
}
