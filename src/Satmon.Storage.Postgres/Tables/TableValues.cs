using System.Globalization;
using Npgsql;
using Satmon.Core.Tables;

namespace Satmon.Storage.Postgres.Tables;

/// <summary>
/// Converts table values to PostgreSQL and back: String/Enum → text (ordinal "C" collation), Number → double
/// precision, Timestamp → bigint Unix ms (as the rest of the schema), Bool → boolean.
/// </summary>
internal static class TableValues
{
    public static string SqlType(ColumnType type) => type switch
    {
        ColumnType.Number => "double precision",
        ColumnType.Timestamp => "bigint",
        ColumnType.Bool => "boolean",
        _ => "text COLLATE \"C\"",
    };

    public static string ArrayType(ColumnType type) => type switch
    {
        ColumnType.Number => "float8[]",
        ColumnType.Timestamp => "int8[]",
        ColumnType.Bool => "bool[]",
        _ => "text[]",
    };

    /// <summary>Columns worth an index: what the API sorts and filters on most (numbers, times, states).</summary>
    public static bool IsIndexed(ColumnType type) => type is ColumnType.Number or ColumnType.Timestamp or ColumnType.Enum;

    /// <summary>A row value as stored (double, long, bool, string or null); throws when the value does not fit the column.</summary>
    public static object? ToDb(TableInfo table, StoredColumn column, object? value)
    {
        if (value is null)
        {
            return null;
        }

        object? converted = column.Type switch
        {
            ColumnType.Number => value switch
            {
                // NaN is "no value", as in the SQLite store; infinities are kept.
                double d => double.IsNaN(d) ? DBNull.Value : d,
                float f => float.IsNaN(f) ? DBNull.Value : (double)f,
                int or long or short or byte or sbyte or uint or ulong or ushort or decimal => Convert.ToDouble(value, CultureInfo.InvariantCulture),
                _ => null,
            },
            ColumnType.Timestamp => value switch
            {
                DateTimeOffset t => t.ToUnixTimeMilliseconds(),
                DateTime t => new DateTimeOffset(t.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(t, DateTimeKind.Utc) : t.ToUniversalTime()).ToUnixTimeMilliseconds(),
                _ => null,
            },
            ColumnType.Bool => value is bool b ? b : null,
            _ => value switch
            {
                string s => s,
                Enum e => e.ToString(),
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                _ => value.ToString(),
            },
        };
        return converted switch
        {
            null => throw new ArgumentException(
                $"Column '{column.Name}' of table '{table.Name}' is {column.Type.ToString().ToLowerInvariant()}; a {value.GetType().Name} value does not fit."),
            DBNull => null,
            _ => converted,
        };
    }

    /// <summary>A filter value as a parameter value, converting text the way the API's query parser does.</summary>
    public static object FilterToDb(TableInfo table, StoredColumn column, object value) =>
        (value is string text && column.Type is not (ColumnType.String or ColumnType.Enum)
            ? ToDb(table, column, QueryParser.ConvertValue(column.Name, column.Type, text))
            : ToDb(table, column, value)) ?? DBNull.Value;

    /// <summary>One column's values of a batch as a typed array, for <c>unnest</c>.</summary>
    public static Array ToArray(ColumnType type, List<object?> values) => type switch
    {
        ColumnType.Number => values.Select(v => (double?)v).ToArray(),
        ColumnType.Timestamp => values.Select(v => (long?)v).ToArray(),
        ColumnType.Bool => values.Select(v => (bool?)v).ToArray(),
        _ => values.Select(v => (string?)v).ToArray(),
    };

    public static object? Read(NpgsqlDataReader reader, int ordinal, ColumnType type)
    {
        if (reader.IsDBNull(ordinal))
        {
            return null;
        }

        return type switch
        {
            ColumnType.Number => reader.GetDouble(ordinal),
            ColumnType.Timestamp => DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal)),
            ColumnType.Bool => reader.GetBoolean(ordinal),
            _ => reader.GetString(ordinal),
        };
    }

    public static TableRow ReadRow(TableInfo table, NpgsqlDataReader reader)
    {
        var values = new Dictionary<string, object?>(table.Columns.Count, StringComparer.Ordinal);
        for (var i = 0; i < table.Columns.Count; i++)
        {
            var column = table.Columns[i];
            values[column.Name] = Read(reader, i + 1, column.Type);
        }

        return new TableRow(reader.GetString(0), values);
    }
}
