using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Satmon.Core.Storage;
using Satmon.Storage.Sqlite.History;
using Satmon.Storage.Sqlite.Tables;

namespace Satmon.Storage.Sqlite;

/// <summary>Removes everything an element owns: its physical tables, history, objects, change log, state and polling rows.</summary>
internal sealed class ElementDataCleaner(SqliteDatabase db, TableRegistry tables, SeriesCache series, ILogger logger)
{
    private static readonly string[] OwnedByElement = ["data_tables", "objects", "object_changes", "element_state", "poll_tasks", "element_leases", "element_requests"];

    /// <summary>Deletes inside the caller's write transaction; returns how many tables and series went.</summary>
    public (int Tables, int Series) DeleteOwnedData(SqliteConnection connection, SqliteTransaction transaction, string elementId)
    {
        // Cached upsert statements name the tables about to be dropped.
        db.ClearWriterStatements();
        var physical = new List<string>();
        using (var command = Sql.Command(connection, transaction, "SELECT physical_name FROM data_tables WHERE element_id = $e", ("$e", elementId)))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                physical.Add(reader.GetString(0));
            }
        }

        foreach (var name in physical)
        {
            Sql.Execute(connection, transaction, $"DROP TABLE IF EXISTS {SqlText.Quote(name)}");
        }

        var seriesCount = HistorySchema.DeleteElement(connection, transaction, elementId);
        foreach (var table in OwnedByElement)
        {
            Sql.Execute(connection, transaction, $"DELETE FROM {table} WHERE element_id = $e", ("$e", elementId));
        }

        return (physical.Count, seriesCount);
    }

    /// <summary>Drops the element from the in-memory registries; call after the delete committed.</summary>
    public void Forget(string elementId, (int Tables, int Series) deleted)
    {
        Log.ElementDeleted(logger, elementId, deleted.Tables, deleted.Series);
        tables.RemoveElement(elementId);
        series.RemoveElement(elementId);
    }
}
