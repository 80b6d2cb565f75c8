using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Satmon.Storage.Sqlite.History;

/// <summary>The history identities of one (element, table): its id, column numbers and row ids.</summary>
internal sealed class TableSeries(long id)
{
    public long Id { get; } = id;

    public ConcurrentDictionary<string, int> Columns { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, long> Rows { get; } = new(StringComparer.Ordinal);
}

/// <summary>
/// Every history table, column number and row id, in memory: ingest resolves a point without a query. Loaded on
/// start; new identities are added only after the transaction that created them commits, so a rolled-back id is never
/// handed out. Readers look up concurrently with the single writer.
/// </summary>
internal sealed class SeriesCache
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, TableSeries>> _elements = new(StringComparer.Ordinal);

    /// <summary>Row id and column number of one series, if it has ever been written.</summary>
    public bool TryGet(string elementId, string table, string key, string column, out long rowId, out int columnNo)
    {
        rowId = 0;
        columnNo = 0;
        return _elements.TryGetValue(elementId, out var tables) && tables.TryGetValue(table, out var series)
            && series.Rows.TryGetValue(key, out rowId) && series.Columns.TryGetValue(column, out columnNo);
    }

    /// <summary>The tables of one element, for lookups in a loop; may be empty.</summary>
    public ConcurrentDictionary<string, TableSeries> Element(string elementId) =>
        _elements.GetOrAdd(elementId, static _ => new(StringComparer.Ordinal));

    /// <summary>Forgets an element; returns how many row series it had.</summary>
    public int RemoveElement(string elementId) => _elements.TryRemove(elementId, out var removed) ? removed.Values.Sum(t => t.Rows.Count) : 0;

    /// <summary>All row ids, for retention.</summary>
    public List<long> AllRowIds() => [.. _elements.Values.SelectMany(tables => tables.Values).SelectMany(t => t.Rows.Values).Order()];

    public void Load(SqliteConnection connection)
    {
        _elements.Clear();
        var byId = new Dictionary<long, TableSeries>();
        using (var command = Sql.Command(connection, null, "SELECT id, element_id, table_name FROM history_tables"))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var series = new TableSeries(reader.GetInt64(0));
                byId[series.Id] = series;
                Element(reader.GetString(1))[reader.GetString(2)] = series;
            }
        }

        using (var command = Sql.Command(connection, null, "SELECT table_id, column_no, column_name FROM history_columns"))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                byId[reader.GetInt64(0)].Columns[reader.GetString(2)] = reader.GetInt32(1);
            }
        }

        using (var command = Sql.Command(connection, null, "SELECT table_id, id, row_key FROM history_rows"))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                byId[reader.GetInt64(0)].Rows[reader.GetString(2)] = reader.GetInt64(1);
            }
        }
    }
}
