using System.Globalization;
using Microsoft.Data.Sqlite;
using Satmon.Core.Tables;

namespace Satmon.Storage.Sqlite.Tables;

/// <summary>
/// Rows of one upsert grouped by the set of columns they carry. Each group is written with one prepared
/// statement that updates only its columns, which is how absent columns keep their stored values.
/// </summary>
internal sealed class RowGroups
{
    private readonly int[] _columns;
    private readonly List<(string Key, object[] Values)> _rows = [];

    private RowGroups(int[] columns, string shape)
    {
        _columns = columns;
        Shape = shape;
    }

    /// <summary>Column indexes into <see cref="TableInfo.Columns"/>, ascending, joined by commas.</summary>
    public string Shape { get; }

    /// <summary>Converts every value (throwing on a value that does not fit its column) and groups the rows.</summary>
    public static List<RowGroups> Build(TableInfo table, IReadOnlyList<TableRow> rows)
    {
        var groups = new List<RowGroups>();
        var byShape = new Dictionary<string, RowGroups>(StringComparer.Ordinal);
        var indexes = new List<int>(table.Columns.Count);
        var byIndex = new object?[table.Columns.Count];
        RowGroups? last = null;
        foreach (var row in rows)
        {
            ArgumentNullException.ThrowIfNull(row.Key, nameof(TableRow.Key));
            indexes.Clear();
            foreach (var (name, value) in row.Values)
            {
                var index = table.IndexOf(name);
                if (index < 0)
                {
                    throw new ArgumentException(
                        $"Table '{table.Name}' has no column '{name}' (row '{row.Key}'). Columns: {string.Join(", ", table.Columns.Select(c => c.Name))}.");
                }

                if (indexes.Contains(index))
                {
                    throw new ArgumentException($"Row '{row.Key}' of table '{table.Name}' names column '{name}' twice.");
                }

                indexes.Add(index);
                byIndex[index] = value;
            }

            indexes.Sort();
            // Rows of one batch nearly always carry the same columns: compare with the previous group before
            // building a lookup string.
            var group = last is not null && last._columns.AsSpan().SequenceEqual(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(indexes))
                ? last
                : null;
            if (group is null)
            {
                var shape = string.Join(",", indexes.Select(i => i.ToString(CultureInfo.InvariantCulture)));
                if (!byShape.TryGetValue(shape, out group))
                {
                    group = new RowGroups([.. indexes], shape);
                    byShape[shape] = group;
                    groups.Add(group);
                }
            }

            var values = new object[group._columns.Length];
            for (var i = 0; i < values.Length; i++)
            {
                var index = group._columns[i];
                values[i] = TableValues.ToDb(table, table.Columns[index], byIndex[index]);
            }

            group._rows.Add((row.Key, values));
            last = group;
        }

        return groups;
    }

    /// <summary>Writes the group with one statement prepared for it; call inside the write transaction.</summary>
    public void Write(SqliteDatabase db, SqliteConnection connection, TableInfo table)
    {
        // Bound by position through SQLitePCL: 20-column rows through ADO.NET spent more time in parameter
        // lookups than SQLite spent storing them.
        var statement = db.WriterStatement(connection, table.CachedSql(Shape, TableSql.Upsert));
        foreach (var (rowKey, values) in _rows)
        {
            statement.Bind(1, rowKey);
            for (var i = 0; i < values.Length; i++)
            {
                statement.BindValue(i + 2, values[i]);
            }

            statement.Execute();
        }
    }
}
