using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Satmon.Core.Objects;
using Satmon.Core.Storage;

namespace Satmon.Storage.Sqlite.Objects;

/// <summary>Objects as JSON rows, with a change log written in the same transaction as each change.</summary>
internal sealed class ObjectStore(SqliteDatabase db) : IObjectStore
{
    private const string ObjectColumns = "element_id, definition, id, fields, created_at, updated_at";

    public Task<ObjectWriteResult> UpsertAsync(
        string elementId, string definition, IReadOnlyList<ObjectRecord> objects, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (objects.Count == 0)
        {
            return Task.FromResult(new ObjectWriteResult(0, 0, 0));
        }

        // Serialized before taking the write lock; only the comparison with the stored row needs it.
        var incoming = objects.Select(o => (o.Id, Json: ObjectJson.Serialize(o.Fields), Texts: Texts(o.Fields))).ToList();
        var time = now.ToUnixTimeMilliseconds();
        return db.WriteAsync(connection =>
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            using var select = Sql.Command(connection, transaction,
                "SELECT fields FROM objects WHERE element_id = $e AND definition = $d AND id = $id", ("$e", elementId), ("$d", definition));
            var selectId = select.Parameters.Add("$id", SqliteType.Text);
            using var insert = Sql.Command(connection, transaction, $"""
                INSERT INTO objects ({ObjectColumns}) VALUES ($e, $d, $id, $f, $t, $t)
                """, ("$e", elementId), ("$d", definition), ("$t", time));
            var insertId = insert.Parameters.Add("$id", SqliteType.Text);
            var insertFields = insert.Parameters.Add("$f", SqliteType.Text);
            using var update = Sql.Command(connection, transaction,
                "UPDATE objects SET fields = $f, updated_at = $t WHERE element_id = $e AND definition = $d AND id = $id",
                ("$e", elementId), ("$d", definition), ("$t", time));
            var updateId = update.Parameters.Add("$id", SqliteType.Text);
            var updateFields = update.Parameters.Add("$f", SqliteType.Text);
            using var log = ChangeLogCommand(connection, transaction, elementId, definition, time);

            int created = 0, updated = 0, unchanged = 0;
            foreach (var (id, json, texts) in incoming)
            {
                selectId.Value = id;
                if (select.ExecuteScalar() is not string stored)
                {
                    insertId.Value = id;
                    insertFields.Value = json;
                    insert.ExecuteNonQuery();
                    LogChange(log, id, ChangeKind.Created, null);
                    created++;
                    continue;
                }

                // Same serialised record: nothing changed, and the field-by-field diff (the costly part) is skipped.
                var changes = stored == json ? [] : Diff(ObjectJson.ValueTexts(stored), texts);
                if (changes.Count == 0)
                {
                    unchanged++;
                    continue;
                }

                updateId.Value = id;
                updateFields.Value = json;
                update.ExecuteNonQuery();
                LogChange(log, id, ChangeKind.Updated, JsonSerializer.Serialize(changes, StorageJson.Default.DictionaryStringFieldChange));
                updated++;
            }

            transaction.Commit();
            return new ObjectWriteResult(created, updated, unchanged);
        }, cancellationToken);
    }

    private static Dictionary<string, string> Texts(IReadOnlyDictionary<string, object?> fields)
    {
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in fields)
        {
            if (ObjectJson.ValueText(value) is { } text)
            {
                texts[name] = text;
            }
        }

        return texts;
    }

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

    private static SqliteCommand ChangeLogCommand(SqliteConnection connection, SqliteTransaction transaction, string elementId, string definition, long time)
    {
        var command = Sql.Command(connection, transaction,
            "INSERT INTO object_changes (element_id, definition, object_id, time, kind, changes) VALUES ($e, $d, $id, $t, $k, $c)",
            ("$e", elementId), ("$d", definition), ("$t", time));
        command.Parameters.Add("$id", SqliteType.Text);
        command.Parameters.Add("$k", SqliteType.Text);
        command.Parameters.Add("$c", SqliteType.Text);
        return command;
    }

    private static void LogChange(SqliteCommand log, string id, ChangeKind kind, string? changes)
    {
        log.Parameters["$id"].Value = id;
        log.Parameters["$k"].Value = kind.ToString();
        log.Parameters["$c"].Value = (object?)changes ?? DBNull.Value;
        log.ExecuteNonQuery();
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
            using var delete = Sql.Command(connection, transaction,
                "DELETE FROM objects WHERE element_id = $e AND definition = $d AND id = $id", ("$e", elementId), ("$d", definition));
            var deleteId = delete.Parameters.Add("$id", SqliteType.Text);
            using var log = ChangeLogCommand(connection, transaction, elementId, definition, now.ToUnixTimeMilliseconds());
            var deleted = 0;
            foreach (var id in ids)
            {
                deleteId.Value = id;
                if (delete.ExecuteNonQuery() == 1)
                {
                    LogChange(log, id, ChangeKind.Deleted, null);
                    deleted++;
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
            using var command = Sql.Command(connection, null, """
                SELECT time, kind, changes FROM object_changes
                WHERE definition = $d AND object_id = $id AND ($e IS NULL OR element_id = $e)
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
        ObjectJson.Read(reader.GetString(3), definition),
        Sql.FromUnixMs(reader.GetInt64(4)),
        Sql.FromUnixMs(reader.GetInt64(5)));
}
