namespace Satmon.Storage.Postgres.Objects;

/// <summary>Tables of the object store: objects as jsonb, and the change log. Times are Unix milliseconds.</summary>
internal static class ObjectSchema
{
    // Keys are COLLATE "C": ids sort by code point as in SQLite (BINARY), whatever the database's locale, and the
    // primary-key index serves ORDER BY id.
    public const string Sql = """
        CREATE TABLE objects (
            element_id text COLLATE "C" NOT NULL,
            definition text COLLATE "C" NOT NULL,
            id text COLLATE "C" NOT NULL,
            fields jsonb NOT NULL,           -- timestamps as ISO-8601 UTC text, JSON fields as the text they came as
            created_at bigint NOT NULL,
            updated_at bigint NOT NULL,
            PRIMARY KEY (element_id, definition, id)
        );
        CREATE INDEX objects_by_definition ON objects (definition, id);
        CREATE TABLE object_changes (
            seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            element_id text COLLATE "C" NOT NULL,
            definition text COLLATE "C" NOT NULL,
            object_id text COLLATE "C" NOT NULL,
            time bigint NOT NULL,
            kind text NOT NULL,
            changes jsonb                    -- field -> {old, new} as JSON texts; null unless kind = Updated
        );
        CREATE INDEX object_changes_by_object ON object_changes (definition, object_id, time);
        CREATE INDEX object_changes_by_element ON object_changes (element_id);
        """;
}
