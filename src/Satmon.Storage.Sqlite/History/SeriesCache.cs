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

    /// <summary>Finds or creates the series row inside the caller's write transaction.</summary>
    public static long Create(SqliteConnection connection, SqliteTransaction transaction, SeriesKey key)
    {
        (string, object?)[] parameters = [("$e", key.ElementId), ("$t", key.Table), ("$k", key.Key), ("$c", key.Column)];
        // Another process may have created it since the cache was loaded: insert if missing, then read the id.
        Sql.Execute(connection, transaction,
            "INSERT INTO series (element_id, table_name, row_key, column_name) VALUES ($e, $t, $k, $c) ON CONFLICT DO NOTHING", parameters);
        return (long)Sql.Scalar(connection, transaction,
            "SELECT id FROM series WHERE element_id = $e AND table_name = $t AND row_key = $k AND column_name = $c", parameters)!;
    }
}
