using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Satmon.Core.Objects;
using Satmon.Core.Storage;
using SQLitePCL;

namespace Satmon.Storage.Sqlite.Objects;

/// <summary>Objects as JSON rows, with a change log written in the same transaction as each change.</summary>
internal sealed class ObjectStore(SqliteDatabase db) : IObjectStore
{
    private const string ObjectColumns = "element_id, definition, id, fields, created_at, updated_at";

    // Bound by position through SQLitePCL, prepared once per write connection: per object, ADO.NET's parameter
    // lookups and command set-up cost more than SQLite's own work.
    private const string InsertSql = "INSERT INTO objects (element_id, definition, id, fields, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5)";
    private const string UpdateSql = "UPDATE objects SET fields = ?2, updated_at = ?3 WHERE object_key = ?1";
    private const string StoredSql = "SELECT object_key, id, fields FROM objects WHERE definition = ?2 AND id IN (SELECT value FROM json_each(?3)) AND element_id = ?1";
    private const string DeleteSql = "DELETE FROM objects WHERE definition = ?2 AND id = ?3 AND element_id = ?1 RETURNING object_key";
    private const string LogSql = "INSERT INTO object_changes (object_key, element_id, definition, object_id, time, kind, changes) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";

    public Task<ObjectWriteResult> UpsertAsync(
        string elementId, string definition, IReadOnlyList<ObjectRecord> objects, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (objects.Count == 0)
        {
            return Task.FromResult(new ObjectWriteResult(0, 0, 0));
        }

        // Serialized before taking the write lock; only the comparison with the stored rows needs it.
        var incoming = ObjectFieldJson.SerializeAllUtf8(objects);
        var time = now.ToUnixTimeMilliseconds();
        return db.WriteAsync(connection =>
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            var stored = ReadStored(db.WriterStatement(connection, StoredSql), elementId, definition, incoming);
            var insert = db.WriterStatement(connection, InsertSql);
            var update = db.WriterStatement(connection, UpdateSql);
            var log = db.WriterStatement(connection, LogSql);
            var target = new ObjectTarget(elementId, definition, "", time);
            int created = 0, updated = 0, unchanged = 0;
            foreach (var (id, json) in incoming)
            {
                long key;
                target = target with { Id = id };
                if (!stored.TryGetValue(id, out var before))
                {
                    insert.Bind(1, elementId);
                    insert.Bind(2, definition);
                    insert.Bind(3, id);
                    insert.BindText(4, json);
                    insert.Bind(5, time);
                    insert.Execute();
                    key = raw.sqlite3_last_insert_rowid(connection.Handle);
                    LogChange(log, key, target, ChangeKind.Created, null);
                    created++;
                }
                else if (before.Json.AsSpan().SequenceEqual(json))
                {
                    // Same serialised record: nothing changed, and the field-by-field diff (the costly part) is skipped.
                    unchanged++;
                    continue;
                }
                else if (Diff(ObjectFieldJson.ValueTexts(before.Json), ObjectFieldJson.ValueTexts(json)) is { Count: > 0 } changes)
                {
                    key = before.Key;
                    update.Bind(1, key);
                    update.BindText(2, json);
                    update.Bind(3, time);
                    update.Execute();
                    LogChange(log, key, target, ChangeKind.Updated, JsonSerializer.Serialize(changes, StorageJson.Default.DictionaryStringFieldChange));
                    updated++;
                }
                else
                {
                    unchanged++;
                    continue;
                }

                // An id given twice in one batch is compared with what its first occurrence wrote.
                stored[id] = (key, json);
            }

            transaction.Commit();
            return new ObjectWriteResult(created, updated, unchanged);
        }, cancellationToken);
    }

    /// <summary>The key and stored fields of those of the batch's objects that exist, by id: one statement for the batch.</summary>
    private static Dictionary<string, (long Key, byte[] Json)> ReadStored(
        RawStatement select, string elementId, string definition, (string Id, byte[] Json)[] incoming)
    {
        var ids = new ArrayBufferWriter<byte>(incoming.Length * 24);
        using (var writer = new Utf8JsonWriter(ids))
        {
            writer.WriteStartArray();
            foreach (var (id, _) in incoming)
            {
                writer.WriteStringValue(id);
            }

            writer.WriteEndArray();
        }

        select.Bind(1, elementId);
        select.Bind(2, definition);
        select.BindText(3, ids.WrittenSpan);
        var stored = new Dictionary<string, (long, byte[])>(StringComparer.Ordinal);
        try
        {
            while (select.Step())
            {
                stored[select.ColumnText(1)] = (select.ColumnInt64(0), select.ColumnBlob(2).ToArray());
            }
        }
        finally
        {
            select.Reset();
        }

        return stored;
    }

    /// <summary>The object a change row is about, and the time of the change.</summary>
    private readonly record struct ObjectTarget(string ElementId, string Definition, string Id, long Time);

    private static void LogChange(RawStatement log, long key, ObjectTarget target, ChangeKind kind, string? changes)
    {
        log.Bind(1, key);
        log.Bind(2, target.ElementId);
        log.Bind(3, target.Definition);
        log.Bind(4, target.Id);
        log.Bind(5, target.Time);
        log.Bind(6, KindText(kind));
        log.BindValue(7, changes);
        log.Execute();
    }

    private static string KindText(ChangeKind kind) => kind switch
    {
        ChangeKind.Created => nameof(ChangeKind.Created),
        ChangeKind.Updated => nameof(ChangeKind.Updated),
        _ => nameof(ChangeKind.Deleted),
    };

    /// <summary>Fields whose JSON text differs; a field that is absent and one that is null are the same.</summary>
    private static Dictionary<string, FieldChange> Diff(Dictionary<string, string> old, Dictionary<string, string> current)
    {
        var changes = new Dictionary<string, FieldChange>(StringComparer.Ordinal);
        foreach (var (name, text) in current)
        {
            if (!old.TryGetValue(name, out var before) || before != text)
            {
                changes[name] = new FieldChange(before, text);
            }
        }

        foreach (var (name, before) in old)
        {
            if (!current.ContainsKey(name))
            {
                changes[name] = new FieldChange(before, null);
            }
        }

        return changes;
    }

    public Task<int> DeleteAsync(string elementId, string definition, IReadOnlyCollection<string> ids, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return Task.FromResult(0);
        }

        return db.WriteAsync(connection =>
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            var delete = db.WriterStatement(connection, DeleteSql);
            var log = db.WriterStatement(connection, LogSql);
            var target = new ObjectTarget(elementId, definition, "", now.ToUnixTimeMilliseconds());
            var deleted = 0;
            foreach (var id in ids)
            {
                delete.Bind(1, elementId);
                delete.Bind(2, definition);
                delete.Bind(3, id);
                if (delete.Step())
                {
                    var key = delete.ColumnInt64(0);
                    delete.Step();
                    delete.Reset();
                    LogChange(log, key, target with { Id = id }, ChangeKind.Deleted, null);
                    deleted++;
                }
                else
                {
                    delete.Reset();
                }
            }

            transaction.Commit();
            return deleted;
        }, cancellationToken);
    }

    public Task<ObjectPage> QueryAsync(ObjectDefinition definition, ObjectQuery query, CancellationToken cancellationToken) =>
        Task.FromResult(db.Read(connection =>
        {
            using var transaction = connection.BeginTransaction(deferred: true);
            using var page = Sql.Command(connection, transaction, "");
            using var count = Sql.Command(connection, transaction, "");
            var where = ObjectSql.Where(definition, query, page, count);
            page.CommandText = $"SELECT {ObjectColumns} FROM objects{where}{ObjectSql.OrderBy(definition, query, page)} LIMIT $limit OFFSET $offset";
            page.Parameters.AddWithValue("$limit", Math.Max(0, query.Limit));
            page.Parameters.AddWithValue("$offset", Math.Max(0, query.Offset));
            var items = new List<StoredObject>();
            using (var reader = page.ExecuteReader())
            {
                while (reader.Read())
                {
                    items.Add(ReadObject(reader, definition));
                }
            }

            count.CommandText = $"SELECT count(*) FROM objects{where}";
            return new ObjectPage(Convert.ToInt64(count.ExecuteScalar(), CultureInfo.InvariantCulture), items);
        }));

    public Task<StoredObject?> GetAsync(string? elementId, string definition, string id, CancellationToken cancellationToken) =>
        Task.FromResult(db.Read(connection =>
        {
            using var command = Sql.Command(connection, null, $"""
                SELECT {ObjectColumns} FROM objects
                WHERE definition = $d AND id = $id AND ($e IS NULL OR element_id = $e)
                ORDER BY element_id LIMIT 1
                """, ("$d", definition), ("$id", id), ("$e", elementId));
            using var reader = command.ExecuteReader();
            return reader.Read() ? ReadObject(reader, null) : null;
        }));

    public Task<IReadOnlyCollection<string>> GetIdsAsync(string elementId, string definition, CancellationToken cancellationToken) =>
        Task.FromResult(db.Read<IReadOnlyCollection<string>>(connection =>
        {
            using var command = Sql.Command(connection, null,
                "SELECT id FROM objects WHERE element_id = $e AND definition = $d", ("$e", elementId), ("$d", definition));
            using var reader = command.ExecuteReader();
            var ids = new HashSet<string>(StringComparer.Ordinal);
            while (reader.Read())
            {
                ids.Add(reader.GetString(0));
            }

            return ids;
        }));

    public Task<IReadOnlyDictionary<string, long>> CountAsync(string elementId, CancellationToken cancellationToken) =>
        Task.FromResult(db.Read<IReadOnlyDictionary<string, long>>(connection =>
        {
            using var command = Sql.Command(connection, null,
                "SELECT definition, count(*) FROM objects WHERE element_id = $e GROUP BY definition", ("$e", elementId));
            using var reader = command.ExecuteReader();
            var counts = new Dictionary<string, long>(StringComparer.Ordinal);
            while (reader.Read())
            {
                counts[reader.GetString(0)] = reader.GetInt64(1);
            }

            return counts;
        }));

    public Task<IReadOnlyList<ObjectChange>> GetChangesAsync(string? elementId, string definition, string id, int limit, CancellationToken cancellationToken) =>
        Task.FromResult(db.Read<IReadOnlyList<ObjectChange>>(connection =>
        {
            // The keys the id has now and had before each delete; a key SQLite handed out again after a delete may
            // also hold another object's rows, hence the id test on the rows too.
            using var command = Sql.Command(connection, null, """
                SELECT time, kind, changes FROM object_changes
                WHERE object_key IN (
                        SELECT object_key FROM objects WHERE definition = $d AND id = $id AND ($e IS NULL OR element_id = $e)
                        UNION
                        SELECT object_key FROM object_changes
                        WHERE kind = 'Deleted' AND definition = $d AND object_id = $id AND ($e IS NULL OR element_id = $e))
                    AND definition = $d AND object_id = $id AND ($e IS NULL OR element_id = $e)
                ORDER BY time DESC, seq DESC LIMIT $limit
                """, ("$d", definition), ("$id", id), ("$e", elementId), ("$limit", Math.Max(0, limit)));
            using var reader = command.ExecuteReader();
            var changes = new List<ObjectChange>();
            while (reader.Read())
            {
                var fields = reader.IsDBNull(2)
                    ? new Dictionary<string, FieldChange>()
                    : JsonSerializer.Deserialize(reader.GetString(2), StorageJson.Default.DictionaryStringFieldChange) ?? [];
                changes.Add(new ObjectChange(Sql.FromUnixMs(reader.GetInt64(0)), Enum.Parse<ChangeKind>(reader.GetString(1)), fields));
            }

            return changes;
        }));

    private static StoredObject ReadObject(SqliteDataReader reader, ObjectDefinition? definition) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        ObjectFieldJson.Read(reader.GetString(3), definition),
        Sql.FromUnixMs(reader.GetInt64(4)),
        Sql.FromUnixMs(reader.GetInt64(5)));
}
