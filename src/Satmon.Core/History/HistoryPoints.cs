using Satmon.Core.Tables;

namespace Satmon.Core.History;

/// <summary>Builds history points from table rows.</summary>
public static class HistoryPoints
{
    /// <summary>
    /// One point per trended number column present in each row, at <paramref name="time"/> (poll time or the
    /// vendor's timestamp for the row).
    /// </summary>
    public static List<HistoryPoint> FromRows(TableDefinition table, IEnumerable<TableRow> rows, DateTimeOffset time)
    {
        var trended = table.Columns.Where(c => c.Trended && c.Type == ColumnType.Number).ToList();
        var points = new List<HistoryPoint>();
        foreach (var row in rows)
        {
            foreach (var column in trended)
            {
                if (row.Values.TryGetValue(column.Name, out var value) && value is double d && double.IsFinite(d))
                {
                    points.Add(new HistoryPoint(table.Name, row.Key, column.Name, time, d));
                }
            }
        }

        return points;
    }
}
