using Microsoft.Data.Sqlite;
using Satmon.Core.History;

namespace Satmon.Storage.Tests.Sqlite;

/// <summary>
/// A database left by a Satmon with schema version 2 (one series row per column, one raw row per value) is opened by
/// this one: its points and rollups move into the packed layout, and ingest carries on from them.
/// </summary>
public sealed class SqliteHistoryMigrationTests : IAsyncDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 8, 0, 0, TimeSpan.Zero);
    private static readonly long Ms = T0.ToUnixTimeMilliseconds();
    private static readonly long Minute = 60_000;
    private static readonly long Old = T0.AddDays(-30).ToUnixTimeMilliseconds();
    private readonly SqliteTestDatabase _db = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// Series 1 and 2 are two columns of one row and share a timestamp; series 4 has the same row key in another
    /// element. Series 1 also has rollups of a month ago whose raw points retention had removed.
    /// </summary>
    private void CreateVersion2Database()
    {
        Version2Schema.CreateFile(_db.Path, $"""
            INSERT INTO series (id, element_id, table_name, row_key, column_name) VALUES
                (1, 'e1', 'terminals', 't1', 'latency'), (2, 'e1', 'terminals', 't1', 'throughput'),
                (3, 'e1', 'terminals', 't2', 'latency'), (4, 'e2', 'terminals', 't1', 'latency');
            INSERT INTO history_raw (series_id, t, value) VALUES
                (1, {Ms}, 10), (1, {Ms + Minute}, 20), (2, {Ms}, 5), (3, {Ms + 120 * Minute}, 7), (4, {Ms}, 1);
            INSERT INTO rollup_5m (series_id, bucket_start, min_value, max_value, sum_value, count) VALUES
                (1, {Old}, 1, 3, 6, 3), (1, {Ms}, 10, 20, 30, 2), (2, {Ms}, 5, 5, 5, 1), (3, {Ms + 120 * Minute}, 7, 7, 7, 1), (4, {Ms}, 1, 1, 1, 1);
            INSERT INTO rollup_1h (series_id, bucket_start, min_value, max_value, sum_value, count) VALUES
                (1, {Old}, 1, 3, 6, 3), (1, {Ms}, 10, 20, 30, 2), (2, {Ms}, 5, 5, 5, 1), (3, {Ms + 120 * Minute}, 7, 7, 7, 1), (4, {Ms}, 1, 1, 1, 1);
            INSERT INTO rollup_1d (series_id, bucket_start, min_value, max_value, sum_value, count) VALUES
                (1, {Old - Old % 86_400_000}, 1, 3, 6, 3), (1, {Ms - Ms % 86_400_000}, 10, 20, 30, 2),
                (2, {Ms - Ms % 86_400_000}, 5, 5, 5, 1), (3, {Ms - Ms % 86_400_000}, 7, 7, 7, 1), (4, {Ms - Ms % 86_400_000}, 1, 1, 1, 1);
            INSERT INTO history_watermark (id, raw_cutoff) VALUES (1, {Old + Minute});
            """);
    }

    private static async Task<HistorySeries> QueryAsync(
        Core.Storage.ISatmonStore store, string element, string key, string column, Resolution resolution, DateTimeOffset? from = null) =>
        await store.History.QueryAsync(element, new HistoryQuery("terminals", key, column, from ?? T0.AddDays(-40), T0.AddDays(1), resolution), Ct);

    private object? Scalar(string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _db.Path, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    [Fact]
    public async Task MigrateAsync_Version2History_MovesPointsAndRollupsAndDropsOldTables()
    {
        CreateVersion2Database();

        await using (var store = await _db.OpenAsync())
        {
            Assert.Equal([10.0, 20.0], (await QueryAsync(store, "e1", "t1", "latency", Resolution.Raw)).Raw.Select(s => s.Value));
            Assert.Equal([new HistorySample(T0, 5)], (await QueryAsync(store, "e1", "t1", "throughput", Resolution.Raw)).Raw);
            Assert.Equal([new HistorySample(T0.AddHours(2), 7)], (await QueryAsync(store, "e1", "t2", "latency", Resolution.Raw)).Raw);
            Assert.Equal([new HistorySample(T0, 1)], (await QueryAsync(store, "e2", "t1", "latency", Resolution.Raw)).Raw);

            // The month-old buckets had no raw points left: they are moved, not recomputed.
            Assert.Equal(
                [new RollupSample(T0.AddDays(-30), 1, 2, 3, 3), new RollupSample(T0, 10, 15, 20, 2)],
                (await QueryAsync(store, "e1", "t1", "latency", Resolution.FiveMinutes)).Rollups);
            var days = (await QueryAsync(store, "e1", "t1", "latency", Resolution.OneDay)).Rollups;
            Assert.Equal([3L, 2L], days.Select(d => d.Count));
            Assert.Equal(new RollupSample(T0, 5, 5, 5, 1), Assert.Single((await QueryAsync(store, "e1", "t1", "throughput", Resolution.OneHour)).Rollups));
        }

        Assert.Equal(0L, Scalar("SELECT count(*) FROM sqlite_master WHERE name IN ('series', 'history_raw', 'rollup_5m', 'rollup_1h', 'rollup_1d')"));
        Assert.True((long)Scalar("SELECT max(version) FROM schema_version")! >= 4);
    }

    [Fact]
    public async Task WriteAsync_AfterMigration_MovedPointsStillWinAndRollupsKeepCounting()
    {
        CreateVersion2Database();
        await using (var migrated = await _db.OpenAsync())
        {
            // Re-delivered: both columns at T0 are stored already; the minute after is new for throughput only.
            var written = await migrated.History.WriteAsync("e1", [
                new HistoryPoint("terminals", "t1", "latency", T0, 99),
                new HistoryPoint("terminals", "t1", "throughput", T0, 99),
                new HistoryPoint("terminals", "t1", "latency", T0.AddMinutes(1), 99),
                new HistoryPoint("terminals", "t1", "throughput", T0.AddMinutes(1), 6),
                new HistoryPoint("terminals", "t1", "latency", T0.AddMinutes(2), 30),
            ], Ct);
            Assert.Equal(2, written);

            // Older than the watermark carried over from version 2: ignored.
            Assert.Equal(0, await migrated.History.WriteAsync("e1", [new HistoryPoint("terminals", "t1", "latency", T0.AddDays(-30), 1)], Ct));
        }

        // After a restart the moved and the new points read as one history.
        await using var store = await _db.OpenAsync();
        Assert.Equal([10.0, 20.0, 30.0], (await QueryAsync(store, "e1", "t1", "latency", Resolution.Raw, T0)).Raw.Select(s => s.Value));
        Assert.Equal([5.0, 6.0], (await QueryAsync(store, "e1", "t1", "throughput", Resolution.Raw, T0)).Raw.Select(s => s.Value));
        Assert.Equal(new RollupSample(T0, 10, 20, 30, 3), Assert.Single((await QueryAsync(store, "e1", "t1", "latency", Resolution.OneHour, T0)).Rollups));
        Assert.Equal(new RollupSample(T0, 5, 5.5, 6, 2), Assert.Single((await QueryAsync(store, "e1", "t1", "throughput", Resolution.FiveMinutes, T0)).Rollups));
    }

    public async ValueTask DisposeAsync() => await _db.DisposeAsync();
}
