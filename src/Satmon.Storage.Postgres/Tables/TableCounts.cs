using System.Collections.Concurrent;
using Npgsql;

namespace Satmon.Storage.Postgres.Tables;

/// <summary>
/// Row counts of filtered tables, kept per table version. Every write raises its table's version in
/// <c>data_tables</c> in the same transaction, so a count taken at a version stays exact until the next write on any
/// node. A page query sends the version it has a count for; the server counts again only when the table moved on.
/// Counting a large filtered table is most of a page query's time, and people page through a table many times
/// between two polls.
/// </summary>
internal sealed class TableCounts
{
    /// <summary>Counts kept at most; all are dropped when it is reached (cheap, and they come back on the next query).</summary>
    public const int Capacity = 4096;

    private readonly ConcurrentDictionary<string, Counted> _counts = new(StringComparer.Ordinal);

    /// <summary>A count of a table's rows matching a filter, taken at a table version.</summary>
    public sealed record Counted(long Version, long Total);

    /// <summary>The statement raising the version of <paramref name="table"/>; goes in the batch of the write.</summary>
    public static NpgsqlBatchCommand RaiseVersion(TableInfo table)
    {
        var command = new NpgsqlBatchCommand("UPDATE data_tables SET version = version + 1 WHERE physical_name = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = table.PhysicalName });
        return command;
    }

    /// <summary>
    /// One row: the table's version and the count, or -1 when the version is <paramref name="knownVersion"/> (the
    /// count under CASE runs only when needed). Both come from one snapshot. The filter's values are $1..$n.
    /// </summary>
    public static NpgsqlBatchCommand CountUnlessAt(TableInfo table, string where, List<object> values, long? knownVersion)
    {
        var n = values.Count;
        var command = new NpgsqlBatchCommand($"""
            SELECT d.version, CASE WHEN d.version = ${n + 2} THEN -1 ELSE (SELECT count(*) FROM {table.QuotedTable}{where}) END
            FROM data_tables d WHERE d.physical_name = ${n + 1}
            """);
        TableSql.AddValues(command, values);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = table.PhysicalName });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = knownVersion ?? -1 });
        return command;
    }

    public Counted? Find(TableInfo table, string where, List<object> values) => _counts.GetValueOrDefault(Key(table, where, values));

    /// <summary>
    /// Reads the result of <see cref="CountUnlessAt"/>: the known count when the version held, else the new count
    /// (kept); null when the table's registry row is gone (the element was deleted meanwhile).
    /// </summary>
    public async Task<Counted?> ReadAsync(NpgsqlDataReader reader, TableInfo table, string where, List<object> values, Counted? known, CancellationToken cancellationToken)
    {
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var version = reader.GetInt64(0);
        var total = reader.GetInt64(1);
        if (total < 0 && known is not null && known.Version == version)
        {
            return known;
        }

        if (_counts.Count >= Capacity)
        {
            _counts.Clear();
        }

        var counted = new Counted(version, total);
        _counts[Key(table, where, values)] = counted;
        return counted;
    }

    // The physical name is unique for the table's lifetime (a re-created table gets a new number), and the filter's
    // SQL and values are what the count depends on.
    private static string Key(TableInfo table, string where, List<object> values) =>
        table.PhysicalName + "\n" + where + "\n" + string.Join("\n", values.Select(v => v.GetType().Name + ":" + Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture)));
}
