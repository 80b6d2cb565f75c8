namespace Satmon.Storage.Sqlite.Objects;

/// <summary>
/// The object tables since schema version 5. Object ids come from the vendor and are random, so every index that
/// starts with one takes its 100 inserts of a batch in about 100 different pages, each written whole to the WAL at
/// commit: with three such indexes a batch wrote about 3 MB. Now one index is keyed by id; the others follow the
/// integer object key, which grows with every insert, so a batch only appends to them.
/// </summary>
internal static class ObjectSchema
{
    /// <summary>
    /// Migration 5. Objects keep their rowid as <c>object_key</c>. A change row gets the key of its object; rows of
    /// an object that no longer exists share a negative key (objects never get one), which its Deleted rows carry.
    /// </summary>
    public const string Version5Sql = """
        CREATE TABLE objects_v5 (
            object_key INTEGER PRIMARY KEY,
            element_id TEXT NOT NULL,
            definition TEXT NOT NULL,
            id TEXT NOT NULL,
            fields TEXT NOT NULL,            -- JSON object; timestamps as ISO-8601 UTC text
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        );
        INSERT INTO objects_v5 (object_key, element_id, definition, id, fields, created_at, updated_at)
            SELECT rowid, element_id, definition, id, fields, created_at, updated_at FROM objects ORDER BY rowid;
        CREATE TABLE object_changes_v5 (
            seq INTEGER PRIMARY KEY,
            object_key INTEGER NOT NULL,     -- the object's key when the change was made
            element_id TEXT NOT NULL,
            definition TEXT NOT NULL,
            object_id TEXT NOT NULL,
            time INTEGER NOT NULL,
            kind TEXT NOT NULL,
            changes TEXT                     -- JSON: field -> {old, new}; null unless kind = Updated
        );
        INSERT INTO object_changes_v5 (seq, object_key, element_id, definition, object_id, time, kind, changes)
            SELECT c.seq,
                coalesce(o.rowid, -(SELECT min(f.seq) FROM object_changes f
                    WHERE f.definition = c.definition AND f.object_id = c.object_id AND f.element_id = c.element_id)),
                c.element_id, c.definition, c.object_id, c.time, c.kind, c.changes
            FROM object_changes c
            LEFT JOIN objects o ON o.element_id = c.element_id AND o.definition = c.definition AND o.id = c.object_id
            ORDER BY c.seq;
        DROP TABLE object_changes;
        DROP TABLE objects;
        ALTER TABLE objects_v5 RENAME TO objects;
        ALTER TABLE object_changes_v5 RENAME TO object_changes;
        -- The one index keyed by id: upserts, lookups with or without element, pages sorted by id.
        CREATE UNIQUE INDEX objects_by_id ON objects (definition, id, element_id);
        -- Counts and ids per element and definition, and element deletion; in key order, so inserts append.
        CREATE INDEX objects_by_element ON objects (element_id, definition);
        -- An object's changes by its key; a new object's key is the largest, so its Created row appends.
        CREATE INDEX object_changes_by_key ON object_changes (object_key, time);
        -- The keys an id had before it was deleted, so that its history survives a delete and re-create.
        CREATE INDEX object_changes_deleted ON object_changes (definition, object_id) WHERE kind = 'Deleted';
        CREATE INDEX object_changes_by_element ON object_changes (element_id);
        """;
}
