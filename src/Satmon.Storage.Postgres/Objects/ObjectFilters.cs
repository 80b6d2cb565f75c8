using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using Satmon.Core.Objects;
using Satmon.Core.Storage;
using Satmon.Core.Tables;

namespace Satmon.Storage.Postgres.Objects;

/// <summary>
/// WHERE and ORDER BY of object queries. A field is read from the jsonb by name; the name must belong to the
/// definition and reaches SQL only as a parameter, never as SQL text. Each field type compares in its own domain:
/// numbers as float8 and booleans as boolean (a value of another JSON type counts as absent), strings and JSON by
/// code point, and timestamps as their ISO-8601 UTC text, which sorts like the instant it names.
/// </summary>
internal sealed class ObjectFilters
{
    private const string IdColumn = "id";
    private readonly List<(string Name, object Value, NpgsqlDbType Type)> _parameters = [];

    private ObjectFilters()
    {
    }

    /// <summary>" WHERE …" for the definition, the element (when given) and the filters.</summary>
    public string Where { get; private set; } = "";

    /// <summary>" ORDER BY …": the field with missing values last in both directions, then id and element for stable pages.</summary>
    public string OrderBy { get; private set; } = "";

    /// <summary>Adds the parameters that <see cref="Where"/> and <see cref="OrderBy"/> name; call once per command.</summary>
    public void AddParameters(NpgsqlParameterCollection parameters)
    {
        foreach (var (name, value, type) in _parameters)
        {
            parameters.Add(new NpgsqlParameter(name, type) { Value = value });
        }
    }

    /// <exception cref="ArgumentException">A filter or the sort names a field the definition does not have.</exception>
    public static ObjectFilters Build(ObjectDefinition definition, ObjectQuery query)
    {
        var filters = new ObjectFilters();
        var clauses = new List<string> { "definition = @def" };
        filters.Add("def", definition.Name, NpgsqlDbType.Text);
        if (query.ElementId is not null)
        {
            clauses.Add("element_id = @element");
            filters.Add("element", query.ElementId, NpgsqlDbType.Text);
        }

        for (var i = 0; i < query.Filters.Count; i++)
        {
            var filter = query.Filters[i];
            var suffix = i.ToString(CultureInfo.InvariantCulture);
            var value = "@v" + suffix;
            if (filter.Operator == FilterOperator.Contains)
            {
                // Contains matches the text of any field type, case-insensitively as in SQLite's LIKE.
                var text = filters.Text(definition, filter.Column, "p" + suffix);
                filters.Add("v" + suffix, "%" + SqlText.EscapeLike(Convert.ToString(filter.Value, CultureInfo.InvariantCulture) ?? "") + "%", NpgsqlDbType.Text);
                clauses.Add($"{text} ILIKE {value} ESCAPE '\\'");
                continue;
            }

            var (expression, type) = filters.Typed(definition, filter.Column, "p" + suffix);
            var (converted, dbType) = FilterValue(filter, type);
            filters.Add("v" + suffix, converted, dbType);
            clauses.Add(filter.Operator switch
            {
                FilterOperator.Eq => $"{expression} = {value}",
                // An object without the field differs from every value.
                FilterOperator.Ne => $"{expression} IS DISTINCT FROM {value}",
                FilterOperator.Gt => $"{expression} > {value}",
                FilterOperator.Lt => $"{expression} < {value}",
                _ => throw new ArgumentOutOfRangeException(nameof(query), filter.Operator, "Unknown filter operator."),
            });
        }

        filters.Where = " WHERE " + string.Join(" AND ", clauses);
        var direction = query.Descending ? "DESC" : "ASC";
        filters.OrderBy = query.SortField is null || IsId(query.SortField)
            ? $" ORDER BY id {direction}, element_id {direction}"
            : $" ORDER BY {filters.Typed(definition, query.SortField, "sort").Expression} {direction} NULLS LAST, id {direction}, element_id {direction}";
        return filters;
    }

    private void Add(string name, object value, NpgsqlDbType type) => _parameters.Add((name, value, type));

    private static bool IsId(string name) => string.Equals(name, IdColumn, StringComparison.OrdinalIgnoreCase);

    /// <summary>The field as text (for Contains).</summary>
    private string Text(ObjectDefinition definition, string name, string parameter) =>
        IsId(name) ? IdColumn : $"(fields ->> @{FieldName(definition, name, parameter)})";

    /// <summary>The field as a value of its type's SQL domain.</summary>
    private (string Expression, FieldType Type) Typed(ObjectDefinition definition, string name, string parameter)
    {
        if (IsId(name))
        {
            return (IdColumn, FieldType.String);
        }

        var field = Field(definition, name);
        var p = "@" + FieldName(definition, name, parameter);
        return (field.Type switch
        {
            FieldType.Number => $"(CASE WHEN jsonb_typeof(fields -> {p}) = 'number' THEN (fields ->> {p})::double precision END)",
            FieldType.Bool => $"(CASE WHEN jsonb_typeof(fields -> {p}) = 'boolean' THEN (fields ->> {p})::boolean END)",
            _ => $"((fields ->> {p}) COLLATE \"C\")",
        }, field.Type);
    }

    private string FieldName(ObjectDefinition definition, string name, string parameter)
    {
        Add(parameter, Field(definition, name).Name, NpgsqlDbType.Text);
        return parameter;
    }

    private static FieldDefinition Field(ObjectDefinition definition, string name) =>
        definition.FindField(name) ?? throw new ArgumentException(
            $"Definition '{definition.Name}' has no field '{name}'. Fields: {IdColumn}, {string.Join(", ", definition.Fields.Select(f => f.Name))}.");

    /// <summary>The filter value in the SQL domain of the field's expression.</summary>
    private static (object Value, NpgsqlDbType Type) FilterValue(FilterClause filter, FieldType type)
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

        return (type, value) switch
        {
            (FieldType.Number, float or double or decimal or int or long or short or byte or uint or ulong or ushort or sbyte) =>
                (Convert.ToDouble(value, CultureInfo.InvariantCulture), NpgsqlDbType.Double),
            (FieldType.Bool, bool b) => (b, NpgsqlDbType.Boolean),
            (FieldType.Number or FieldType.Bool, _) => throw new ArgumentException(
                $"Filter on '{filter.Column}' needs a {type.ToString().ToLowerInvariant()} value, not '{value}'."),
            (_, DateTimeOffset time) => (ObjectFieldJson.FormatTime(time), NpgsqlDbType.Text),
            (_, DateTime time) => (ObjectFieldJson.FormatTime(new DateTimeOffset(time.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(time, DateTimeKind.Utc) : time.ToUniversalTime())), NpgsqlDbType.Text),
            (_, bool b) => (b ? "true" : "false", NpgsqlDbType.Text),
            _ => (Convert.ToString(value, CultureInfo.InvariantCulture) ?? "", NpgsqlDbType.Text),
        };
    }
}
