using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Satmon.Core.History;
using Satmon.Core.Storage;

namespace Satmon.Storage.Sqlite.History;

/// <summary>
/// History: raw points keyed by (series, time) plus 5 min / 1 h / 1 d rollups that stay exact under late,
/// out-of-order and re-delivered points, because only points that were actually new are folded into them.
/// </summary>
internal sealed class HistoryStore(SqliteDatabase db, SeriesCache series, ILogger logger) : IHistoryStore
{
    private const int RetentionSeriesPerTransaction = 256;
    private readonly HistoryWriter _writer = new(db, series);

    /// <summary>Reads the retention watermark; call under the write lock after migrating.</summary>
    public void Load(SqliteConnection connection) =>
        _writer.RawCutoff = Sql.Scalar(connection, null, "SELECT raw_cutoff FROM history_watermark WHERE id = 1") is long cutoff ? cutoff : long.MinValue;

    public Task<int> WriteAsync(string elementId, IReadOnlyList<HistoryPoint> points, CancellationToken cancellationToken) =>
        points.Count == 0
            ? Task.FromResult(0)
            : db.WriteAsync(connection => _writer.Write(connection, elementId, points), cancellationToken);

    public Task<HistorySeries> QueryAsync(string elementId, HistoryQuery query, CancellationToken cancellationToken)
    {
        if (!series.TryGet(new SeriesKey(elementId, query.Table, query.Key, query.Column), out var id))
        {
            return Task.FromResult(new HistorySeries(query.Resolution, [], []));
        }

        var from = query.From.ToUnixTimeMilliseconds();
        var to = query.To.ToUnixTimeMilliseconds();
        if (query.Resolution == Resolution.Raw)
        {
            return Task.FromResult(db.Read(connection =>
            {
                using var command = Sql.Command(connection, null,
                    "SELECT t, value FROM history_raw WHERE series_id = $s AND t >= $from AND t < $to ORDER BY t",
                    ("$s", id), ("$from", from), ("$to", to));
                using var reader = command.ExecuteReader();
                var samples = new List<HistorySample>();
                while (reader.Read())
                {
                    samples.Add(new HistorySample(Sql.FromUnixMs(reader.GetInt64(0)), reader.GetDouble(1)));
                }

                return new HistorySeries(Resolution.Raw, samples, []);
            }));
        }

        var table = RollupFolder.TableName(query.Resolution);
        return Task.FromResult(db.Read(connection =>
        {
            // Buckets whose start lies in [From, To).
            using var command = Sql.Command(connection, null,
                $"SELECT bucket_start, min_value, max_value, sum_value, count FROM {table} WHERE series_id = $s AND bucket_start >= $from AND bucket_start < $to ORDER BY bucket_start",
                ("$s", id), ("$from", from), ("$to", to));
            using var reader = command.ExecuteReader();
            var buckets = new List<RollupSample>();
            while (reader.Read())
            {
                var n = reader.GetInt64(4);
                buckets.Add(new RollupSample(Sql.FromUnixMs(reader.GetInt64(0)), reader.GetDouble(1), reader.GetDouble(3) / n, reader.GetDouble(2), n));
            }

            return new HistorySeries(query.Resolution, [], buckets);
        }));
    }

    public async Task<long> ApplyRetentionAsync(RetentionOptions retention, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var ids = db.Read(connection =>
        {
            using var command = Sql.Command(connection, null, "SELECT id FROM series ORDER BY id");
            using var reader = command.ExecuteReader();
            var list = new List<long>();
            while (reader.Read())
            {
                list.Add(reader.GetInt64(0));
            }

            return list;
        });

        // Raise the watermark before deleting, so that no point older than the cutoff is stored meanwhile.
        var rawCutoff = (now - retention.For(Resolution.Raw)).ToUnixTimeMilliseconds();
        await db.WriteAsync(connection =>
        {
            Sql.Execute(connection, null, """
                INSERT INTO history_watermark (id, raw_cutoff) VALUES (1, $c)
                ON CONFLICT (id) DO UPDATE SET raw_cutoff = max(raw_cutoff, excluded.raw_cutoff)
                """, ("$c", rawCutoff));
            _writer.RawCutoff = Math.Max(_writer.RawCutoff, rawCutoff);
            return 0;
        }, cancellationToken);

        var total = 0L;
        foreach (var (resolution, table, timeColumn) in new[] { (Resolution.Raw, "history_raw", "t") }
            .Concat(Resolutions.Rollups.Select(r => (r, RollupFolder.TableName(r), "bucket_start"))))
        {
            var cutoff = now - retention.For(resolution);
            var cutoffMs = cutoff.ToUnixTimeMilliseconds();
            var deleted = 0L;
            // Per series (a primary-key range each) and in chunks, so ingest is never held up for long.
            foreach (var chunk in ids.Chunk(RetentionSeriesPerTransaction))
            {
                deleted += await db.WriteAsync(connection =>
                {
                    using var transaction = connection.BeginTransaction(deferred: false);
                    using var command = Sql.Command(connection, transaction,
                        $"DELETE FROM {table} WHERE series_id = $s AND {timeColumn} < $cutoff", ("$cutoff", cutoffMs));
                    var seriesParameter = command.Parameters.Add("$s", SqliteType.Integer);
                    var n = 0L;
                    foreach (var id in chunk)
                    {
                        seriesParameter.Value = id;
                        n += command.ExecuteNonQuery();
                    }

                    transaction.Commit();
                    return n;
                }, cancellationToken);
            }

            if (deleted > 0)
            {
                Log.RetentionApplied(logger, deleted, Resolutions.ToToken(resolution), cutoff);
            }

            total += deleted;
        }

        return total;
    }
}
