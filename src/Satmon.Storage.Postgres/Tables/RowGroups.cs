using System.Globalization;
using System.Runtime.InteropServices;
using Npgsql;
using Satmon.Core.Tables;

namespace Satmon.Storage.Postgres.Tables;

/// <summary>
/// Rows of one upsert grouped by the set of columns they carry. Each group is written by one statement that
/// updates only its columns (which is how absent columns keep their stored values), with one array parameter per
/// column fed through <c>unnest</c>: a single round trip however many rows the group has.
/// </summary>
internal sealed class RowGroups
{
    private readonly int[] _columns;
    private readonly List<string> _keys = [];
    private readonly List<object?>[] _values;
    // A key twice in one statement would make ON CONFLICT fail ("cannot affect row a second time"), so a repeated
    // key overwrites its earlier values in place: the last one wins, as it would row by row.
    private readonly Dictionary<string, int> _positions = new(StringComparer.Ordinal);

    private RowGroups(int[] columns, string shape)
    {
        _columns = columns;
        Shape = shape;
        _values = columns.Select(_ => new List<object?>()).ToArray();
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
                    throw new UnknownColumnException(
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
            var group = last is not null && last._columns.AsSpan().SequenceEqual(CollectionsMarshal.AsSpan(indexes)) ? last : null;
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

            group.Add(table, row.Key, byIndex);
            last = group;
        }

        return groups;
    }

    private void Add(TableInfo table, string key, object?[] byIndex)
    {
        if (_positions.TryGetValue(key, out var position))
        {
            for (var i = 0; i < _columns.Length; i++)
            {
                _values[i][position] = TableValues.ToDb(table, table.Columns[_columns[i]], byIndex[_columns[i]]);
            }

            return;
        }

        _positions[key] = _keys.Count;
        _keys.Add(key);
        for (var i = 0; i < _columns.Length; i++)
        {
            _values[i].Add(TableValues.ToDb(table, table.Columns[_columns[i]], byIndex[_columns[i]]));
        }
    }

    /// <summary>The group's upsert as a batch command.</summary>
    public NpgsqlBatchCommand ToCommand(TableInfo table)
    {
        var command = new NpgsqlBatchCommand(table.CachedSql(Shape, TableSql.Upsert));
        command.Parameters.Add(new NpgsqlParameter { Value = _keys.ToArray() });
        for (var i = 0; i < _columns.Length; i++)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = TableValues.ToArray(table.Columns[_columns[i]].Type, _values[i]) });
        }

        return command;
    }
}
