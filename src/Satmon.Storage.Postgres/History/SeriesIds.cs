using System.Collections.Concurrent;
using Npgsql;
using NpgsqlTypes;

namespace Satmon.Storage.Postgres.History;

/// <summary>Identity of one history series within an element.</summary>
internal readonly record struct SeriesName(string Table, string Key, string Column);

/// <summary>
/// Series ids, cached in memory: a series id never changes once created, so a hit needs no query. A miss always
/// goes to the database, which is the only authority on ids — several nodes create series in the same table.
/// </summary>
internal sealed class SeriesIds(NpgsqlDataSource dataSource)
{
    // Per element first: ingest hashes the element id once per batch instead of once per point.
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<SeriesName, long>> _ids = new(StringComparer.Ordinal);

    // Creates the missing series, then reads the ids of all of them. Two statements in one round trip: in READ
    // COMMITTED the SELECT takes a fresh snapshot, so it sees rows that another node committed while our INSERT
    // waited on them and then skipped. Sorted so that two nodes creating overlapping sets lock in the same order.
    private const string CreateSql = """
        INSERT INTO series (element_id, table_name, row_key, column_name)
        SELECT @e, u.t, u.k, u.c FROM unnest(@tables, @keys, @columns) AS u(t, k, c)
        ORDER BY u.t, u.k, u.c
        ON CONFLICT DO NOTHING
        """;

    private const string SelectSql = """
        SELECT s.id, s.table_name, s.row_key, s.column_name
        FROM unnest(@tables, @keys, @columns) AS u(t, k, c)
        JOIN series s ON s.element_id = @e AND s.table_name = u.t AND s.row_key = u.k AND s.column_name = u.c
        """;

    /// <summary>The cached ids of one element; may be empty.</summary>
    public ConcurrentDictionary<SeriesName, long> Element(string elementId) =>
        _ids.GetOrAdd(elementId, static _ => new());

    /// <summary>Forgets an element's ids once its series were deleted, so that a recreated element gets new ones.</summary>
    public void Forget(string elementId) => _ids.TryRemove(elementId, out _);

    /// <summary>The id of one series, or null when it has never been written.</summary>
    public async Task<long?> FindAsync(string elementId, SeriesName name, CancellationToken cancellationToken)
    {
        var known = Element(elementId);
        if (known.TryGetValue(name, out var cached))
        {
            return cached;
        }

        await using var command = dataSource.CreateCommand(
            "SELECT id FROM series WHERE element_id = $1 AND table_name = $2 AND row_key = $3 AND column_name = $4");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = elementId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name.Table });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name.Key });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name.Column });
        if (await command.ExecuteScalarAsync(cancellationToken) is not long id)
        {
            // Not cached: the series may be created by any node at any time.
            return null;
        }

        known[name] = id;
        return id;
    }

    /// <summary>Finds or creates every series in <paramref name="missing"/> and adds their ids to <paramref name="known"/>.</summary>
    public static async Task CreateAsync(
        NpgsqlConnection connection, string elementId, ConcurrentDictionary<SeriesName, long> known, IReadOnlyCollection<SeriesName> missing, CancellationToken cancellationToken)
    {
        var tables = new string[missing.Count];
        var keys = new string[missing.Count];
        var columns = new string[missing.Count];
        var i = 0;
        foreach (var name in missing)
        {
            (tables[i], keys[i], columns[i]) = (name.Table, name.Key, name.Column);
            i++;
        }

        await using var batch = new NpgsqlBatch(connection);
        foreach (var sql in new[] { CreateSql, SelectSql })
        {
            var command = new NpgsqlBatchCommand(sql);
            command.Parameters.Add(new NpgsqlParameter<string>("e", elementId));
            command.Parameters.Add(new NpgsqlParameter<string[]>("tables", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = tables });
            command.Parameters.Add(new NpgsqlParameter<string[]>("keys", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = keys });
            command.Parameters.Add(new NpgsqlParameter<string[]>("columns", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = columns });
            batch.BatchCommands.Add(command);
        }

        // The batch runs as one implicit transaction that commits at once: ids are cached only once they are durable.
        var found = 0;
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                known[new SeriesName(reader.GetString(1), reader.GetString(2), reader.GetString(3))] = reader.GetInt64(0);
                found++;
            }
        }

        if (found != missing.Count)
        {
            // Only a concurrent delete of the element between the two statements can cause this.
            throw new InvalidOperationException($"Created {missing.Count} history series of element '{elementId}' but found {found}; the element was deleted meanwhile.");
        }
    }
}
