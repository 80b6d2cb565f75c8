using System.Globalization;
using Microsoft.Data.Sqlite;
using Satmon.Core.Tables;

namespace Satmon.Storage.Sqlite.Tables;

/// <summary>
/// Converts table values to SQLite and back: String/Enum → TEXT, Number → REAL, Timestamp → INTEGER Unix ms,
/// Bool → INTEGER 0/1.
/// </summary>
internal static class TableValues
{
    public static string SqlType(ColumnType type) => type switch
    {
        ColumnType.Number => "REAL",
        ColumnType.Timestamp or ColumnType.Bool => "INTEGER",
        _ => "TEXT",
    };

    /// <summary>A row value as a parameter value; throws when the value does not fit the column.</summary>
    public static object ToDb(TableInfo table, StoredColumn column, object? value)
    {
        if (value is null)
        {
            return DBNull.Value;
        }

        object? converted = column.Type switch
        {
            ColumnType.Number => value switch
            {
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
            ColumnType.Bool => value is bool b ? (b ? 1L : 0L) : null,
            _ => value switch
            {
                string s => s,
                Enum e => e.ToString(),
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                _ => value.ToString(),
            },
        };
        return converted ?? throw new ArgumentException(
            $"Column '{column.Name}' of table '{table.Name}' is {column.Type.ToString().ToLowerInvariant()}; a {value.GetType().Name} value does not fit.");
    }

    /// <summary>A filter value as a parameter value, converting text the way the API's query parser does.</summary>
    public static object FilterToDb(TableInfo table, StoredColumn column, object value) =>
        value is string text && column.Type is not (ColumnType.String or ColumnType.Enum)
            ? ToDb(table, column, QueryParser.ConvertValue(column.Name, column.Type, text))
            : ToDb(table, column, value);

    public static object? Read(SqliteDataReader reader, int ordinal, ColumnType type)
    {
        if (reader.IsDBNull(ordinal))
        {
            return null;
        }

        return type switch
        {
            ColumnType.Number => reader.GetDouble(ordinal),
            ColumnType.Timestamp => DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal)),
            ColumnType.Bool => reader.GetInt64(ordinal) != 0,
            _ => reader.GetString(ordinal),
        };
    }

    public static TableRow ReadRow(TableInfo table, SqliteDataReader reader)
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
