namespace Satmon.Core.Objects;

/// <summary>Type of an object field.</summary>
public enum FieldType
{
    /// <summary>Text.</summary>
    String,
    /// <summary>A double.</summary>
    Number,
    /// <summary>A UTC instant.</summary>
    Timestamp,
    /// <summary>true / false.</summary>
    Bool,
    /// <summary>Structured data kept as JSON text (characteristics, relationships).</summary>
    Json,
}

/// <summary>One typed field of an object definition.</summary>
/// <param name="Name">camelCase name.</param>
/// <param name="Type">Value type.</param>
/// <param name="Label">Display label.</param>
public sealed record FieldDefinition(string Name, FieldType Type, string? Label = null);

/// <summary>An object definition (e.g. Services) with typed fields.</summary>
/// <param name="Name">Definition name used in routes, e.g. <c>services</c>.</param>
/// <param name="Label">Display name.</param>
/// <param name="Fields">Fields besides the id.</param>
public sealed record ObjectDefinition(string Name, string Label, IReadOnlyList<FieldDefinition> Fields)
{
    /// <summary>Finds a field by name, or null.</summary>
    public FieldDefinition? FindField(string name) =>
        Fields.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>An object to write: id and field values (string, double, DateTimeOffset, bool, JSON text, or null).</summary>
/// <param name="Id">Object id, unique per element and definition.</param>
/// <param name="Fields">Field values.</param>
public sealed record ObjectRecord(string Id, IReadOnlyDictionary<string, object?> Fields);

/// <summary>An object as stored.</summary>
/// <param name="ElementId">Element that owns it.</param>
/// <param name="Definition">Definition name.</param>
/// <param name="Id">Object id.</param>
/// <param name="Fields">Field values.</param>
/// <param name="CreatedAt">First stored.</param>
/// <param name="UpdatedAt">Last changed.</param>
public sealed record StoredObject(
    string ElementId, string Definition, string Id, IReadOnlyDictionary<string, object?> Fields, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>Counts of one batch write.</summary>
/// <param name="Created">New objects.</param>
/// <param name="Updated">Objects whose fields changed.</param>
/// <param name="Unchanged">Objects written with the same fields.</param>
public sealed record ObjectWriteResult(int Created, int Updated, int Unchanged);

/// <summary>Kind of change.</summary>
public enum ChangeKind
{
    /// <summary>First stored.</summary>
    Created,
    /// <summary>Fields changed.</summary>
    Updated,
    /// <summary>Removed.</summary>
    Deleted,
}

/// <summary>One change-log entry.</summary>
/// <param name="Time">When it was stored.</param>
/// <param name="Kind">What happened.</param>
/// <param name="ChangedFields">For updates: field name → (old, new) values as JSON text; empty otherwise.</param>
public sealed record ObjectChange(DateTimeOffset Time, ChangeKind Kind, IReadOnlyDictionary<string, FieldChange> ChangedFields);

/// <summary>Old and new value of one field, as JSON text (null when absent).</summary>
/// <param name="Old">Before.</param>
/// <param name="New">After.</param>
public sealed record FieldChange(string? Old, string? New);

/// <summary>A query of objects: same filter grammar as tables, over fields (and <c>id</c>).</summary>
/// <param name="ElementId">Restrict to one element; null for all.</param>
/// <param name="Filters">Clauses combined with AND; column names are field names or <c>id</c>.</param>
/// <param name="SortField">Field to sort by (or <c>id</c>); null sorts by id.</param>
/// <param name="Descending">Sort direction.</param>
/// <param name="Offset">Objects to skip.</param>
/// <param name="Limit">Maximum objects to return.</param>
public sealed record ObjectQuery(
    string? ElementId, IReadOnlyList<Tables.FilterClause> Filters, string? SortField, bool Descending, int Offset, int Limit);

/// <summary>A page of objects and the total that matched.</summary>
/// <param name="Total">Matching objects.</param>
/// <param name="Items">The page.</param>
public sealed record ObjectPage(long Total, IReadOnlyList<StoredObject> Items);
