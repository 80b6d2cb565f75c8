using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Satmon.Core.Objects;
using Satmon.Core.Storage;

namespace Satmon.Storage.Postgres.Objects;

/// <summary>
/// Objects as jsonb rows with a change log written by the same statement as each change. A batch upsert is one
/// round trip: the database compares old and new fields (jsonb equality, so numbers compare by value), writes the
/// objects that are new or changed and logs each with the fields that changed.
/// </summary>
internal sealed class PostgresObjectStore(NpgsqlDataSource dataSource) : IObjectStore
{
    private const string ObjectColumns = "element_id, definition, id, fields::text, created_at, updated_at";

    // Second half of the advisory key is a hash of (element, definition); the first keeps these locks apart from
    // every other use of advisory locks (ElementLock uses 0x5341_5401).
    private const int LockNamespace = 0x5341_5402;

    // Writers of one element's definition take turns: the upsert reads the old fields in its snapshot, which must
    // not be overtaken by another node's write to the same objects. The lock is its own statement, so the upsert's
    // snapshot is taken after the lock is held.
    private const string LockSql = "SELECT pg_advisory_xact_lock(@ns, hashtext(@e || '/' || @d))";

    // Per object: old fields (null when new) and the changed fields as {"name": {"old": text, "new": text}}, where
    // text is jsonb's own rendering of the value and a JSON null counts as absent. Only new and changed objects are
    // written and logged; the final row counts created, updated and unchanged.
    private const string UpsertSql = """
        WITH incoming AS (
            SELECT u.id, u.fields FROM unnest(@ids, @fields) AS u(id, fields)
        ),
        diff AS MATERIALIZED (
            SELECT i.id, i.fields, o.fields IS NULL AS created,
                   (SELECT jsonb_object_agg(coalesce(n.key, p.key), jsonb_build_object('old', p.value::text, 'new', n.value::text))
                    FROM (SELECT key, value FROM jsonb_each(i.fields) WHERE jsonb_typeof(value) <> 'null') n
                    FULL JOIN (SELECT key, value FROM jsonb_each(o.fields) WHERE jsonb_typeof(value) <> 'null') p ON p.key = n.key
                    WHERE n.value IS DISTINCT FROM p.value) AS changes
            FROM incoming i
            LEFT JOIN objects o ON o.element_id = @e AND o.definition = @d AND o.id = i.id
        ),
        written AS (
            INSERT INTO objects AS o (element_id, definition, id, fields, created_at, updated_at)
            SELECT @e, @d, id, fields, @t, @t FROM diff WHERE created OR changes IS NOT NULL
            ORDER BY id
            ON CONFLICT (element_id, definition, id) DO UPDATE SET fields = excluded.fields, updated_at = excluded.updated_at
        ),
        logged AS (
            INSERT INTO object_changes (element_id, definition, object_id, time, kind, changes)
            SELECT @e, @d, id, @t, CASE WHEN created THEN 'Created' ELSE 'Updated' END, CASE WHEN created THEN NULL ELSE changes END
            FROM diff WHERE created OR changes IS NOT NULL
            ORDER BY id
        )
        SELECT count(*) FILTER (WHERE created)::integer,
               count(*) FILTER (WHERE NOT created AND changes IS NOT NULL)::integer,
               count(*) FILTER (WHERE NOT created AND changes IS NULL)::integer
        FROM diff
        """;

    private const string DeleteSql = """
        WITH gone AS (
            DELETE FROM objects WHERE element_id = @e AND definition = @d AND id = ANY(@ids)
            RETURNING id
        ),
        logged AS (
            INSERT INTO object_changes (element_id, definition, object_id, time, kind)
            SELECT @e, @d, id, @t, 'Deleted' FROM gone ORDER BY id
        )
        SELECT count(*)::integer FROM gone
        """;

    public async Task<ObjectWriteResult> UpsertAsync(
        string elementId, string definition, IReadOnlyList<ObjectRecord> objects, DateTimeOffset now, CancellationToken cancellationToken)
    {
        int created = 0, updated = 0, unchanged = 0;
        // One statement cannot write a row twice: an id repeated in the batch starts a new statement, so the later
        // record is compared with the earlier one, as if they had come in two batches.
        foreach (var run in RunsOfDistinctIds(objects))
        {
            await using var batch = dataSource.CreateBatch();
            batch.BatchCommands.Add(LockCommand(elementId, definition));
            var upsert = new NpgsqlBatchCommand(UpsertSql);
            upsert.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = run.Select(o => o.Id).ToArray() });
            upsert.Parameters.Add(new NpgsqlParameter("fields", NpgsqlDbType.Array | NpgsqlDbType.Jsonb) { Value = run.Select(o => ObjectFieldJson.Serialize(o.Fields)).ToArray() });
            AddScope(upsert, elementId, definition, now);
            batch.BatchCommands.Add(upsert);

            // Both statements run in one implicit transaction, which holds the lock until it commits.
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken); // the lock's row
            await reader.NextResultAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            created += reader.GetInt32(0);
            updated += reader.GetInt32(1);
            unchanged += reader.GetInt32(2);
        }

        return new ObjectWriteResult(created, updated, unchanged);
    }

    public async Task<int> DeleteAsync(string elementId, string definition, IReadOnlyCollection<string> ids, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return 0;
        }

        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(LockCommand(elementId, definition));
        var delete = new NpgsqlBatchCommand(DeleteSql);
        delete.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = ids.Distinct(StringComparer.Ordinal).ToArray() });
        AddScope(delete, elementId, definition, now);
        batch.BatchCommands.Add(delete);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return reader.GetInt32(0);
    }

    public async Task<ObjectPage> QueryAsync(ObjectDefinition definition, ObjectQuery query, CancellationToken cancellationToken)
    {
        var filters = ObjectFilters.Build(definition, query);
        // Page and total in one round trip, in one implicit transaction (READ COMMITTED: each sees its own snapshot).
        await using var batch = dataSource.CreateBatch();
        var page = new NpgsqlBatchCommand($"SELECT {ObjectColumns} FROM objects{filters.Where}{filters.OrderBy} LIMIT @limit OFFSET @offset");
        filters.AddParameters(page.Parameters);
        page.Parameters.Add(new NpgsqlParameter<int>("limit", Math.Max(0, query.Limit)));
        page.Parameters.Add(new NpgsqlParameter<int>("offset", Math.Max(0, query.Offset)));
        var count = new NpgsqlBatchCommand($"SELECT count(*) FROM objects{filters.Where}");
        filters.AddParameters(count.Parameters);
        batch.BatchCommands.Add(page);
        batch.BatchCommands.Add(count);

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var items = new List<StoredObject>();
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(ReadObject(reader, definition));
        }

        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new ObjectPage(reader.GetInt64(0), items);
    }

    public async Task<StoredObject?> GetAsync(string? elementId, string definition, string id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {ObjectColumns} FROM objects
            WHERE definition = @d AND id = @id AND (@e::text IS NULL OR element_id = @e)
            ORDER BY element_id LIMIT 1
            """);
        command.Parameters.Add(new NpgsqlParameter<string>("d", definition));
        command.Parameters.Add(new NpgsqlParameter<string>("id", id));
        command.Parameters.Add(new NpgsqlParameter("e", NpgsqlDbType.Text) { Value = (object?)elementId ?? DBNull.Value });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadObject(reader, null) : null;
    }

    public async Task<IReadOnlyCollection<string>> GetIdsAsync(string elementId, string definition, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT id FROM objects WHERE element_id = @e AND definition = @d");
        command.Parameters.Add(new NpgsqlParameter<string>("e", elementId));
        command.Parameters.Add(new NpgsqlParameter<string>("d", definition));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    public async Task<IReadOnlyDictionary<string, long>> CountAsync(string elementId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT definition, count(*) FROM objects WHERE element_id = @e GROUP BY definition");
        command.Parameters.Add(new NpgsqlParameter<string>("e", elementId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }

        return counts;
    }

    public async Task<IReadOnlyList<ObjectChange>> GetChangesAsync(string? elementId, string definition, string id, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT time, kind, changes::text FROM object_changes
            WHERE definition = @d AND object_id = @id AND (@e::text IS NULL OR element_id = @e)
            ORDER BY time DESC, seq DESC LIMIT @limit
            """);
        command.Parameters.Add(new NpgsqlParameter<string>("d", definition));
        command.Parameters.Add(new NpgsqlParameter<string>("id", id));
        command.Parameters.Add(new NpgsqlParameter("e", NpgsqlDbType.Text) { Value = (object?)elementId ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter<int>("limit", Math.Max(0, limit)));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var changes = new List<ObjectChange>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var fields = reader.IsDBNull(2)
                ? new Dictionary<string, FieldChange>()
                : JsonSerializer.Deserialize(reader.GetString(2), ObjectChangeJson.Default.DictionaryStringFieldChange) ?? [];
            changes.Add(new ObjectChange(DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(0)), Enum.Parse<ChangeKind>(reader.GetString(1)), fields));
        }

        return changes;
    }

    /// <summary>Deletes an element's objects and change log inside the caller's transaction.</summary>
    internal static async Task DeleteElementAsync(NpgsqlConnection c, NpgsqlTransaction tx, string elementId, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(c, tx);
        foreach (var table in new[] { "objects", "object_changes" })
        {
            var delete = new NpgsqlBatchCommand($"DELETE FROM {table} WHERE element_id = $1");
            delete.Parameters.Add(new NpgsqlParameter<string> { TypedValue = elementId });
            batch.BatchCommands.Add(delete);
        }

        await batch.ExecuteNonQueryAsync(ct);
    }

    private static NpgsqlBatchCommand LockCommand(string elementId, string definition)
    {
        var command = new NpgsqlBatchCommand(LockSql);
        command.Parameters.Add(new NpgsqlParameter<int>("ns", LockNamespace));
        command.Parameters.Add(new NpgsqlParameter<string>("e", elementId));
        command.Parameters.Add(new NpgsqlParameter<string>("d", definition));
        return command;
    }

    private static void AddScope(NpgsqlBatchCommand command, string elementId, string definition, DateTimeOffset now)
    {
        command.Parameters.Add(new NpgsqlParameter<string>("e", elementId));
        command.Parameters.Add(new NpgsqlParameter<string>("d", definition));
        command.Parameters.Add(new NpgsqlParameter<long>("t", now.ToUnixTimeMilliseconds()));
    }

    /// <summary>Splits the batch where an id repeats; usually one run, the whole batch.</summary>
    private static IEnumerable<List<ObjectRecord>> RunsOfDistinctIds(IReadOnlyList<ObjectRecord> objects)
    {
        var run = new List<ObjectRecord>(objects.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var record in objects)
        {
            ArgumentNullException.ThrowIfNull(record.Id, nameof(ObjectRecord.Id));
            if (!seen.Add(record.Id))
            {
                yield return run;
                run = [];
                seen.Clear();
                seen.Add(record.Id);
            }

            run.Add(record);
        }

        if (run.Count > 0)
        {
            yield return run;
        }
    }

    private static StoredObject ReadObject(NpgsqlDataReader reader, ObjectDefinition? definition) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        ObjectFieldJson.Read(reader.GetString(3), definition),
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)),
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)));
}
