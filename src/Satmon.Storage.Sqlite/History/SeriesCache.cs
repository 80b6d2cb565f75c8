using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Satmon.Storage.Sqlite.History;

/// <summary>Identity of one history series.</summary>
internal readonly record struct SeriesKey(string ElementId, string Table, string Key, string Column);

/// <summary>
/// Every series id, in memory: ingest resolves ids without a query per point. Loaded on start; new series are
/// added only after the transaction that created them commits, so a rolled-back id is never handed out.
/// </summary>
internal sealed class SeriesCache
{
    // Per element first: ingest hashes the element id once per batch instead of once per point.
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<(string Table, string Key, string Column), long>> _ids = new(StringComparer.Ordinal);

    public bool TryGet(SeriesKey key, out long id)
    {
        id = 0;
        return _ids.TryGetValue(key.ElementId, out var element) && element.TryGetValue((key.Table, key.Key, key.Column), out id);
    }

    /// <summary>The series of one element, for lookups in a loop; may be empty.</summary>
    public ConcurrentDictionary<(string Table, string Key, string Column), long> Element(string elementId) =>
        _ids.GetOrAdd(elementId, static _ => new());

    public void Add(SeriesKey key, long id) => Element(key.ElementId)[(key.Table, key.Key, key.Column)] = id;

    public int RemoveElement(string elementId) => _ids.TryRemove(elementId, out var removed) ? removed.Count : 0;

    public void Load(SqliteConnection connection)
    {
        _ids.Clear();
        using var command = Sql.Command(connection, null, "SELECT id, element_id, table_name, row_key, column_name FROM series");
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            Add(new SeriesKey(reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4)), reader.GetInt64(0));
        }
    }

    private const string InsertSql =
        "INSERT INTO series (element_id, table_name, row_key, column_name) VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING RETURNING id";

    private const string SelectSql = "SELECT id FROM series WHERE element_id = ?1 AND table_name = ?2 AND row_key = ?3 AND column_name = ?4";

    /// <summary>
    /// Finds or creates the series row inside the caller's write transaction, with statements kept prepared on the
    /// write connection: a pull of 100 000 new terminals creates millions of series in one batch.
    /// </summary>
    /// <remarks><c>isNew</c> is true when this call inserted the row, so the series has no stored points yet.</remarks>
    public static long Create(SqliteDatabase db, SqliteConnection connection, SeriesKey key, out bool isNew)
    {
        var insert = db.WriterStatement(connection, InsertSql);
        Bind(insert, key);
        isNew = insert.Step();
        var id = isNew ? insert.ColumnInt64(0) : 0;
        insert.Reset();
        if (isNew)
        {
            return id;
        }

        // Another process created it since the cache was loaded.
        var select = db.WriterStatement(connection, SelectSql);
        Bind(select, key);
        id = select.Step() ? select.ColumnInt64(0) : throw new InvalidOperationException($"Series {key} vanished inside the write transaction.");
        select.Reset();
        return id;
    }

    private static void Bind(RawStatement statement, SeriesKey key)
    {
        statement.Bind(1, key.ElementId);
        statement.Bind(2, key.Table);
        statement.Bind(3, key.Key);
        statement.Bind(4, key.Column);
    }
}
