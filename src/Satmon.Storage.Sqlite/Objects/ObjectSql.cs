using System.Globalization;
using Microsoft.Data.Sqlite;
using Satmon.Core.Objects;
using Satmon.Core.Storage;
using Satmon.Core.Tables;

namespace Satmon.Storage.Sqlite.Objects;

/// <summary>
/// Filters and sort of object queries. Fields are read with <c>json_extract</c>; field names must belong to the
/// definition and reach SQL only as JSON-path parameters, never as SQL text.
/// </summary>
internal static class ObjectSql
{
    private const string IdColumn = "id";

    /// <summary>" WHERE …" for the definition, the element (when given) and the filters; parameters go to every command.</summary>
    public static string Where(ObjectDefinition definition, ObjectQuery query, params SqliteCommand[] commands)
    {
        var clauses = new List<string> { "definition = $def" };
        AddParameter(commands, "$def", definition.Name);
        if (query.ElementId is not null)
        {
            clauses.Add("element_id = $element");
            AddParameter(commands, "$element", query.ElementId);
        }

        for (var i = 0; i < query.Filters.Count; i++)
        {
            var filter = query.Filters[i];
            var suffix = i.ToString(CultureInfo.InvariantCulture);
            var (expression, type) = Field(definition, filter.Column, "$path" + suffix, commands);
            var name = "$f" + suffix;
            object value = filter.Operator == FilterOperator.Contains
                ? "%" + SqlText.EscapeLike(Convert.ToString(filter.Value, CultureInfo.InvariantCulture) ?? "") + "%"
                : FilterValue(filter, type);
            clauses.Add(filter.Operator switch
            {
                FilterOperator.Eq => $"{expression} = {name}",
                // IS NOT: an object without the field differs from every value.
                FilterOperator.Ne => $"{expression} IS NOT {name}",
                FilterOperator.Gt => $"{expression} > {name}",
                FilterOperator.Lt => $"{expression} < {name}",
                FilterOperator.Contains => $"{expression} LIKE {name} ESCAPE '\\'",
                _ => throw new ArgumentOutOfRangeException(nameof(query), filter.Operator, "Unknown filter operator."),
            });
            AddParameter(commands, name, value);
        }

        return " WHERE " + string.Join(" AND ", clauses);
    }

    /// <summary>" ORDER BY …": the field with missing values last in both directions, then id and element for stable pages.</summary>
    public static string OrderBy(ObjectDefinition definition, ObjectQuery query, SqliteCommand command)
    {
        var direction = query.Descending ? "DESC" : "ASC";
        if (query.SortField is null || string.Equals(query.SortField, IdColumn, StringComparison.OrdinalIgnoreCase))
        {
            return $" ORDER BY id {direction}, element_id {direction}";
        }

        var (expression, _) = Field(definition, query.SortField, "$sortpath", command);
        return $" ORDER BY {expression} {direction} NULLS LAST, id {direction}, element_id {direction}";
    }

    private static (string Expression, FieldType Type) Field(ObjectDefinition definition, string name, string pathParameter, params SqliteCommand[] commands)
    {
        if (string.Equals(name, IdColumn, StringComparison.OrdinalIgnoreCase))
        {
            return (IdColumn, FieldType.String);
        }

        var field = definition.FindField(name) ?? throw new ArgumentException(
            $"Definition '{definition.Name}' has no field '{name}'. Fields: {IdColumn}, {string.Join(", ", definition.Fields.Select(f => f.Name))}.");
        AddParameter(commands, pathParameter, "$.\"" + field.Name.Replace("\"", "\\\"", StringComparison.Ordinal) + "\"");
        return ($"json_extract(fields, {pathParameter})", field.Type);
    }

    /// <summary>The filter value in the form json_extract returns for the field's stored JSON.</summary>
    private static object FilterValue(FilterClause filter, FieldType type)
    {
        var value = filter.Value;
        if (value is string text && type is FieldType.Number or FieldType.Timestamp or FieldType.Bool)
        {
            value = QueryParser.ConvertValue(filter.Column, type switch
            {
                FieldType.Number => ColumnType.Number,
                FieldType.Timestamp => ColumnType.Timestamp,
                _ => ColumnType.Bool,
            }, text);
        }

        return value switch
        {
            DateTimeOffset time => ObjectFieldJson.FormatTime(time),
            DateTime time => ObjectFieldJson.FormatTime(new DateTimeOffset(DateTime.SpecifyKind(time, time.Kind == DateTimeKind.Unspecified ? DateTimeKind.Utc : time.Kind))),
            // json_extract turns JSON true/false into 1/0.
            bool b => b ? 1L : 0L,
            float or decimal or int or long or short or byte => Convert.ToDouble(value, CultureInfo.InvariantCulture),
            _ => value,
        };
    }

    private static void AddParameter(SqliteCommand[] commands, string name, object value)
    {
        foreach (var command in commands)
        {
            if (!command.Parameters.Contains(name))
            {
                command.Parameters.AddWithValue(name, value);
            }
        }
    }
}
