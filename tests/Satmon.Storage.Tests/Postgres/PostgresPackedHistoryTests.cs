using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Satmon.Core.History;
using Satmon.Core.History.Packing;
using Satmon.Storage.Postgres;
using Satmon.Storage.Postgres.History;

namespace Satmon.Storage.Tests.Postgres;

// The packed layout on PostgreSQL: one raw and one rollup record per row, hour or span, and batch; rollup records of a
// span merged by readers and compacted by writers; retention inside a record; the writer's cache after another node
// wrote or deleted the element; rollups stored before they were kept per batch.
public sealed class PostgresPackedHistoryTests : HistoryNodesTest
{
    private async Task<object?> ScalarAsync(string sql)
    {
        await using var command = Nodes.Node().CreateCommand(sql);
        return await command.ExecuteScalarAsync(Ct);
    }

    [Fact]
    public async Task WriteAsync_SeveralBatchesOfOneRowAndHour_OneRawAndOneRollupRecordPerBatch()
    {
        var store = Node();
        HistoryPoint Q(string column, int minute, double value) => new("terminals", "t1", column, T0.AddMinutes(minute), value);

        Assert.Equal(4, await store.WriteAsync("e1", [Q("latency", 0, 1), Q("snr", 0, 10), Q("latency", 20, 3), Q("snr", 20, 30)], Ct));
        // Late values between stored ones and a repeat: the stored records of the hour are read, the repeat dropped.
        Assert.Equal(2, await store.WriteAsync("e1", [Q("latency", 10, 2), Q("snr", 0, 99), Q("snr", 10, 20)], Ct));
        Assert.Equal(1, await store.WriteAsync("e1", [Q("latency", 30, 4)], Ct));

        Assert.Equal([1.0, 2.0, 3.0, 4.0], (await QueryAsync(store, "t1", Resolution.Raw)).Raw.Select(s => s.Value));
        var snr = await store.QueryAsync("e1", new HistoryQuery("terminals", "t1", "snr", T0, T0.AddHours(1), Resolution.Raw), Ct);
        Assert.Equal([10.0, 20.0, 30.0], snr.Raw.Select(s => s.Value));
        var hour = Assert.Single((await QueryAsync(store, "t1", Resolution.OneHour)).Rollups);
        Assert.Equal(new RollupSample(T0, 1, 2.5, 4, 4), hour);
        Assert.Equal(4, (await QueryAsync(store, "t1", Resolution.FiveMinutes)).Rollups.Count);

        Assert.Equal(3L, await ScalarAsync("SELECT count(*) FROM history_points"));
        Assert.Equal(1L, await ScalarAsync("SELECT count(*) FROM history_rows"));
        // Per batch one record per resolution: the 5-minute buckets of the hour, the hour of the day, the day of its span.
        Assert.Equal(9L, await ScalarAsync("SELECT count(*) FROM history_rollups"));
    }

    [Fact]
    public async Task WriteAsync_SpanReachesCompactAt_FoldedIntoOneRecordWithExactAggregates()
    {
        var store = Node();
        var values = new List<double>();
        for (var i = 0; i < HistoryRecords.CompactAt; i++)
        {
            // One value a batch, all in the hour's first 5-minute bucket and in one span of every resolution.
            values.Add(100 + ((i * 37) % 11));
            Assert.Equal(1, await store.WriteAsync("e1", [P("t1", T0.AddSeconds(10 * i), values[^1])], Ct));
            var records = (long)(await ScalarAsync("SELECT count(*) FROM history_rollups"))!;
            Assert.Equal(i + 1 < HistoryRecords.CompactAt ? 3L * (i + 1) : 3L, records);
        }

        var expected = new RollupSample(T0, values.Min(), values.Average(), values.Max(), values.Count);
        foreach (var reader in new[] { store, Node() })
        {
            foreach (var resolution in new[] { Resolution.FiveMinutes, Resolution.OneHour, Resolution.OneDay })
            {
                var bucket = Assert.Single((await QueryAsync(reader, "t1", resolution)).Rollups);
                Assert.Equal(expected with { Avg = bucket.Avg }, bucket);
                Assert.Equal(expected.Avg, bucket.Avg, 9);
            }
        }

        // The next batch starts counting again from the compacted record.
        await store.WriteAsync("e1", [P("t1", T0.AddMinutes(4), 1)], Ct);
        Assert.Equal(6L, await ScalarAsync("SELECT count(*) FROM history_rollups"));
        Assert.Equal(values.Count + 1, Assert.Single((await QueryAsync(store, "t1", Resolution.FiveMinutes)).Rollups).Count);
    }

    [Fact]
    public async Task WriteAsync_LateValuesKeepReachingTheSpanBeforeTheNewest_BothSpansCompacted()
    {
        var store = Node();
        for (var i = 0; i < HistoryRecords.CompactAt; i++)
        {
            // Each batch: a value of today's first hour and a late one of yesterday's last hour.
            await store.WriteAsync("e1", [P("t1", T0.AddSeconds(i), 1), P("t1", T0.AddHours(-1).AddSeconds(i), 2)], Ct);
        }

        // 5 min (hour spans) and 1 h (day spans): two spans each, one record each.
        Assert.Equal(2L, await ScalarAsync("SELECT count(*) FROM history_rollups WHERE resolution = 1"));
        Assert.Equal(2L, await ScalarAsync("SELECT count(*) FROM history_rollups WHERE resolution = 2"));
        var hours = (await QueryAsync(store, "t1", Resolution.OneHour)).Rollups;
        Assert.Equal([new RollupSample(T0.AddHours(-1), 2, 2, 2, HistoryRecords.CompactAt), new RollupSample(T0, 1, 1, 1, HistoryRecords.CompactAt)], hours);

        // Twelve more hours, one batch each: the writer stops tracking the hours left behind, and nothing is lost.
        for (var hour = 1; hour <= 12; hour++)
        {
            await store.WriteAsync("e1", [P("t1", T0.AddHours(hour), 3)], Ct);
        }

        Assert.Equal((2 * HistoryRecords.CompactAt) + 12, (await QueryAsync(store, "t1", Resolution.FiveMinutes)).Rollups.Sum(b => b.Count));
        Assert.Equal(14L, await ScalarAsync("SELECT count(*) FROM history_rollups WHERE resolution = 1"));
    }

    [Fact]
    public async Task WriteAsync_ElementDeletedByAnotherNode_WritesIntoNewRowsFromZero()
    {
        var a = Node();
        var b = Nodes.Node();
        await a.WriteAsync("e1", [P("t1", T0, 1)], Ct);
        await using (var connection = await b.OpenConnectionAsync(Ct))
        await using (var transaction = await connection.BeginTransactionAsync(Ct))
        {
            await PostgresHistoryStore.DeleteElementAsync(connection, transaction, "e1", Ct);
            await transaction.CommitAsync(Ct);
        }

        // Node a was not told: its cached row id and latest time are gone from the database and must not be used.
        Assert.Equal(1, await a.WriteAsync("e1", [P("t1", T0, 3)], Ct));

        Assert.Equal([3.0], (await QueryAsync(a, "t1", Resolution.Raw)).Raw.Select(s => s.Value));
        Assert.Equal(1, Assert.Single((await QueryAsync(a, "t1", Resolution.OneDay)).Rollups).Count);
    }

    [Fact]
    public async Task ForgetElement_AfterAnotherNodeWrote_NextWriteReadsFromTheDatabase()
    {
        var a = Node();
        var b = Node();
        await a.WriteAsync("e1", [P("t1", T0, 1)], Ct);
        await b.WriteAsync("e1", [P("t1", T0.AddMinutes(5), 2)], Ct);

        a.ForgetElement("e1");

        Assert.Equal(1, await a.WriteAsync("e1", [P("t1", T0.AddMinutes(5), 9), P("t1", T0.AddMinutes(6), 3)], Ct));
        Assert.Equal([1.0, 2.0, 3.0], (await QueryAsync(a, "t1", Resolution.Raw)).Raw.Select(s => s.Value));
        Assert.Equal(3, Assert.Single((await QueryAsync(a, "t1", Resolution.OneHour)).Rollups).Count);
    }

    [Fact]
    public async Task ApplyRetentionAsync_CutoffInsideARecord_KeepsItsNewerValuesAndBuckets()
    {
        var store = Node();
        var now = T0.AddDays(30).AddMinutes(30);
        var cutoff = now.AddDays(-7);
        // One raw record (same row and hour) and one 5-minute span on both sides of the raw and 5-minute cutoffs.
        await store.WriteAsync("e1", [P("t1", cutoff.AddMinutes(-10), 1), P("t1", cutoff.AddMinutes(-1), 2), P("t1", cutoff.AddMinutes(10), 3)], Ct);
        Assert.Equal(1L, await ScalarAsync("SELECT count(*) FROM history_points"));

        var deleted = await store.ApplyRetentionAsync(new RetentionOptions { RawDays = 7, FiveMinuteDays = 7 }, now, Ct);

        // Raw: two values; 5 min: the two buckets before the cutoff.
        Assert.Equal(4, deleted);
        var range = new HistoryQuery("terminals", "t1", "latency", now.AddDays(-20), now, Resolution.Raw);
        Assert.Equal([3.0], (await store.QueryAsync("e1", range, Ct)).Raw.Select(s => s.Value));
        Assert.Equal([cutoff.AddMinutes(10)], (await store.QueryAsync("e1", range with { Resolution = Resolution.FiveMinutes }, Ct)).Rollups.Select(b => b.Time));
        Assert.Equal(3, Assert.Single((await store.QueryAsync("e1", range with { Resolution = Resolution.OneHour }, Ct)).Rollups).Count);
        Assert.Equal(1L, await ScalarAsync("SELECT count(*) FROM history_points"));
        Assert.Equal(0, await store.ApplyRetentionAsync(new RetentionOptions { RawDays = 7, FiveMinuteDays = 7 }, now, Ct));
    }

    [Fact]
    public async Task ApplyRetentionAsync_SpansInSeveralRecords_CountsEachBucketOnceAndLeavesOneRecord()
    {
        var store = Node();
        var now = T0.AddDays(30).AddMinutes(30);
        var cutoff = now.AddDays(-7);
        // Three batches into the 5-minute span (hour) of the cutoff, two of them into one bucket before it; two batches
        // into one bucket of the hour before (wholly older).
        await store.WriteAsync("e1", [P("t1", cutoff.AddMinutes(-70), 1)], Ct);
        await store.WriteAsync("e1", [P("t1", cutoff.AddMinutes(-69), 2)], Ct);
        await store.WriteAsync("e1", [P("t1", cutoff.AddMinutes(-10), 3)], Ct);
        await store.WriteAsync("e1", [P("t1", cutoff.AddMinutes(-9), 4)], Ct);
        await store.WriteAsync("e1", [P("t1", cutoff.AddMinutes(10), 5)], Ct);
        const string FiveMinuteRecords = "SELECT count(*) FROM history_rollups WHERE resolution = 1";
        Assert.Equal(5L, await ScalarAsync(FiveMinuteRecords));

        var deleted = await store.ApplyRetentionAsync(new RetentionOptions { RawDays = 365, FiveMinuteDays = 7 }, now, Ct);

        // 5 min: the bucket of the older hour and the bucket before the cutoff, each once however many records held it.
        Assert.Equal(2, deleted);
        Assert.Equal(1L, await ScalarAsync(FiveMinuteRecords));
        var range = new HistoryQuery("terminals", "t1", "latency", now.AddDays(-20), now, Resolution.FiveMinutes);
        Assert.Equal([new RollupSample(cutoff.AddMinutes(10), 5, 5, 5, 1)], (await store.QueryAsync("e1", range, Ct)).Rollups);
        Assert.Equal(5, (await store.QueryAsync("e1", range with { Resolution = Resolution.OneDay }, Ct)).Rollups.Sum(b => b.Count));

        // Writers go on adding records beside the rewritten one.
        await store.WriteAsync("e1", [P("t1", cutoff.AddMinutes(11), 7)], Ct);
        Assert.Equal([new RollupSample(cutoff.AddMinutes(10), 5, 6, 7, 2)], (await store.QueryAsync("e1", range, Ct)).Rollups);
        Assert.Equal(0, await store.ApplyRetentionAsync(new RetentionOptions { RawDays = 365, FiveMinuteDays = 7 }, now, Ct));
    }

    [Fact]
    public async Task MigrateAsync_RollupsOfSchemaVersion2_KeptAndMergedWithNewBatches()
    {
        await using var db = new PostgresTestDatabase();
        await db.CreateAsync();
        await using var source = NpgsqlDataSource.Create(db.ConnectionString);
        await using (var connection = await source.OpenConnectionAsync(Ct))
        {
            Assert.Equal(2, await Migrations.ApplyAsync(connection, "test", TimeProvider.System, NullLogger.Instance, Ct, upTo: 2));
            // A 5-minute span record as version 2 stored it (one per row and span): bucket 0 of T0's hour, two values.
            var entry = new byte[PackedRollups.MaxEntryBytes];
            var length = PackedRollups.Write(entry, 0, Aggregate.Of(10).Add(20));
            var data = new byte[PackedRollupSpans.HeaderBytes + length];
            PackedRollupSpans.WriteHeader(data, 0, length);
            entry.AsSpan(0, length).CopyTo(data.AsSpan(PackedRollupSpans.HeaderBytes));
            await using var insert = new NpgsqlCommand("""
                INSERT INTO history_tables (element_id, table_name) VALUES ('e1', 'terminals');
                INSERT INTO history_columns (table_id, column_no, column_name) SELECT id, 0, 'latency' FROM history_tables;
                INSERT INTO history_rows (table_id, row_key) SELECT id, 't1' FROM history_tables;
                INSERT INTO history_rollups (row_id, resolution, span_start, data) SELECT id, 1, @span, @data FROM history_rows;
                """, connection);
            insert.Parameters.AddWithValue("span", T0.ToUnixTimeMilliseconds());
            insert.Parameters.AddWithValue("data", data);
            await insert.ExecuteNonQueryAsync(Ct);
        }

        await using (var migrated = await db.NewStoreAsync())
        {
            await migrated.MigrateAsync(Ct);
        }

        var store = new PostgresHistoryStore(source, NullLogger.Instance);
        Assert.Equal([new RollupSample(T0, 10, 15, 20, 2)], (await QueryAsync(store, "t1", Resolution.FiveMinutes)).Rollups);
        Assert.Equal(1, await store.WriteAsync("e1", [P("t1", T0.AddMinutes(1), 30)], Ct));
        Assert.Equal([new RollupSample(T0, 10, 20, 30, 3)], (await QueryAsync(store, "t1", Resolution.FiveMinutes)).Rollups);
    }
}
