using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using Satmon.Core.History;
using Satmon.Core.Storage;

namespace Satmon.Storage.Postgres.History;

/// <summary>
/// History on PostgreSQL: raw points keyed by (series, time) plus 5 min / 1 h / 1 d rollups that stay exact under
/// late, out-of-order and re-delivered points, also when several nodes write the same database. All state that
/// decides what is stored lives in the database; the only memory is a cache of series ids, which never change.
/// </summary>
internal sealed class PostgresHistoryStore : IHistoryStore
{
    // Retention deletes per chunk of series (a primary-key range scan each), so each transaction stays short and
    // ingest of the same rows is never held up for long.
    private const int RetentionSeriesPerStatement = 1_000;

    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger _logger;
    private readonly SeriesIds _series;
    private readonly HistoryIngest _ingest;

    public PostgresHistoryStore(NpgsqlDataSource dataSource, ILogger logger)
    {
        _dataSource = dataSource;
        _logger = logger;
        _series = new SeriesIds(dataSource);
        _ingest = new HistoryIngest(dataSource, _series);
    }

    public Task<int> WriteAsync(string elementId, IReadOnlyList<HistoryPoint> points, CancellationToken cancellationToken) =>
        points.Count == 0 ? Task.FromResult(0) : _ingest.WriteAsync(elementId, points, cancellationToken);

    public async Task<HistorySeries> QueryAsync(string elementId, HistoryQuery query, CancellationToken cancellationToken)
    {
        if (await _series.FindAsync(elementId, new SeriesName(query.Table, query.Key, query.Column), cancellationToken) is not { } id)
        {
            return new HistorySeries(query.Resolution, [], []);
        }

        var from = query.From.ToUnixTimeMilliseconds();
        var to = query.To.ToUnixTimeMilliseconds();
        if (query.Resolution == Resolution.Raw)
        {
            await using var raw = Command("SELECT t, value FROM history_raw WHERE series_id = $1 AND t >= $2 AND t < $3 ORDER BY t", id, from, to);
            await using var reader = await raw.ExecuteReaderAsync(cancellationToken);
            var samples = new List<HistorySample>();
            while (await reader.ReadAsync(cancellationToken))
            {
                samples.Add(new HistorySample(DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(0)), reader.GetDouble(1)));
            }

            return new HistorySeries(Resolution.Raw, samples, []);
        }

        // Buckets whose start lies in [From, To).
        await using var command = Command(
            $"SELECT bucket_start, min_value, max_value, sum_value, count FROM {TableName(query.Resolution)} " +
            "WHERE series_id = $1 AND bucket_start >= $2 AND bucket_start < $3 ORDER BY bucket_start", id, from, to);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            var buckets = new List<RollupSample>();
            while (await reader.ReadAsync(cancellationToken))
            {
                var n = reader.GetInt64(4);
                buckets.Add(new RollupSample(DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(0)), reader.GetDouble(1), reader.GetDouble(3) / n, reader.GetDouble(2), n));
            }

            return new HistorySeries(query.Resolution, [], buckets);
        }
    }

    public async Task<long> ApplyRetentionAsync(RetentionOptions retention, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Raise the watermark first, in its own committed statement: from then on no node stores a point older than
        // the cutoff, so none can slip in behind the deletes below and be counted again after its raw twin is gone.
        var rawCutoff = (now - retention.For(Resolution.Raw)).ToUnixTimeMilliseconds();
        await using (var raise = Command("UPDATE history_watermark SET raw_cutoff = greatest(raw_cutoff, $1) WHERE id = 1", rawCutoff))
        {
            await raise.ExecuteNonQueryAsync(cancellationToken);
        }

        var ids = new List<long>();
        await using (var list = Command("SELECT id FROM series ORDER BY id"))
        await using (var reader = await list.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                ids.Add(reader.GetInt64(0));
            }
        }

        var total = 0L;
        foreach (var resolution in (IEnumerable<Resolution>)[Resolution.Raw, .. Resolutions.Rollups])
        {
            var cutoff = now - retention.For(resolution);
            var timeColumn = resolution == Resolution.Raw ? "t" : "bucket_start";
            var deleted = 0L;
            foreach (var chunk in ids.Chunk(RetentionSeriesPerStatement))
            {
                await using var delete = Command(
                    $"DELETE FROM {TableName(resolution)} WHERE series_id = ANY($1) AND {timeColumn} < $2", chunk, cutoff.ToUnixTimeMilliseconds());
                deleted += await delete.ExecuteNonQueryAsync(cancellationToken);
            }

            if (deleted > 0)
            {
                HistoryLog.RetentionApplied(_logger, deleted, Resolutions.ToToken(resolution), cutoff);
            }

            total += deleted;
        }

        return total;
    }

    /// <summary>Forgets the cached series ids of an element; call after <see cref="DeleteElementAsync"/> committed.</summary>
    public void ForgetElement(string elementId) => _series.Forget(elementId);

    /// <summary>Deletes an element's series, raw points and rollups inside the caller's transaction.</summary>
    internal static async Task DeleteElementAsync(NpgsqlConnection c, NpgsqlTransaction tx, string elementId, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(c, tx);
        foreach (var table in new[] { "history_raw", "rollup_5m", "rollup_1h", "rollup_1d" })
        {
            var delete = new NpgsqlBatchCommand($"DELETE FROM {table} WHERE series_id IN (SELECT id FROM series WHERE element_id = $1)");
            delete.Parameters.Add(new NpgsqlParameter<string> { TypedValue = elementId });
            batch.BatchCommands.Add(delete);
        }

        var series = new NpgsqlBatchCommand("DELETE FROM series WHERE element_id = $1");
        series.Parameters.Add(new NpgsqlParameter<string> { TypedValue = elementId });
        batch.BatchCommands.Add(series);
        await batch.ExecuteNonQueryAsync(ct);
    }

    internal static string TableName(Resolution resolution) => resolution switch
    {
        Resolution.Raw => "history_raw",
        Resolution.FiveMinutes => "rollup_5m",
        Resolution.OneHour => "rollup_1h",
        Resolution.OneDay => "rollup_1d",
        _ => throw new ArgumentOutOfRangeException(nameof(resolution), resolution, "Unknown resolution."),
    };

    private NpgsqlCommand Command(string sql, params object[] parameters)
    {
        var command = _dataSource.CreateCommand(sql);
        foreach (var value in parameters)
        {
            command.Parameters.Add(value is long[] ids
                ? new NpgsqlParameter { Value = ids, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint }
                : new NpgsqlParameter { Value = value });
        }

        return command;
    }
}
