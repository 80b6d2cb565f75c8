using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Satmon.Core.History;
using Satmon.Core.History.Packing;
using Satmon.Storage.Postgres;
using Satmon.Storage.Postgres.History;

namespace Satmon.Storage.Tests.Postgres;

// The packed layout on PostgreSQL: one raw record per row, hour and batch; rollup records folded from them every
// FoldAfter writes, merged by readers with the raw records not folded yet and compacted by writers; retention inside a
// record and after a fold; the writer's cache after another node wrote or deleted the element; rollups stored before
// they were kept per batch, and before they were folded.
public sealed class PostgresPackedHistoryTests : HistoryNodesTest
{
    private async Task<object?> ScalarAsync(string sql)
    {
        await using var command = Nodes.Node().CreateCommand(sql);
        return await command.ExecuteScalarAsync(Ct);
    }

    private const string FiveMinuteRecords = "SELECT count(*) FROM history_rollups WHERE resolution = 1";

    // The table, column and row of series e1 / terminals / t1 / latency, as every schema version stores them.
    private const string OneSeriesSql = """
        INSERT INTO history_tables (element_id, table_name) VALUES ('e1', 'terminals');
        INSERT INTO history_columns (table_id, column_no, column_name) SELECT id, 0, 'latency' FROM history_tables;
        INSERT INTO history_rows (table_id, row_key) SELECT id, 't1' FROM history_tables;

        """;

    /// <summary>A rollup span record with one bucket, the span's first, of column 0.</summary>
    private static byte[] SpanOfOneBucket(Aggregate aggregate)
    {
        var entry = new byte[PackedRollups.MaxEntryBytes];
        var length = PackedRollups.Write(entry, 0, aggregate);
        var data = new byte[PackedRollupSpans.HeaderBytes + length];
        PackedRollupSpans.WriteHeader(data, 0, length);
        entry.AsSpan(0, length).CopyTo(data.AsSpan(PackedRollupSpans.HeaderBytes));
        return data;
    }

    [Fact]
    public async Task WriteAsync_SeveralBatchesOfOneRowAndHour_OneRawRecordPerBatchAndRollupsOnlyWhenFolded()
    {
        var store = Node();
        HistoryPoint Q(string column, int minute, double value) => new("terminals", "t1", column, T0.AddMinutes(minute), value);

        Assert.Equal(4, await store.WriteAsync("e1", [Q("latency", 0, 1), Q("snr", 0, 10), Q("latency", 20, 3), Q("snr", 20, 30)], Ct));
        // Late values between stored ones and a repeat: the stored records of the hour are read, the repeat dropped.
        Assert.Equal(2, await store.WriteAsync("e1", [Q("latency", 10, 2), Q("snr", 0, 99), Q("snr", 10, 20)], Ct));
        Assert.Equal(1, await store.WriteAsync("e1", [Q("latency", 30, 4)], Ct));

        Assert.Equal(3L, await ScalarAsync("SELECT count(*) FROM history_points"));
        Assert.Equal(1L, await ScalarAsync("SELECT count(*) FROM history_rows"));
        Assert.Equal(0L, await ScalarAsync("SELECT count(*) FROM history_rollups"));
        Assert.Equal(3, await ScalarAsync("SELECT unfolded FROM history_writers WHERE element_id = 'e1'"));

        // Before and after the fold, from raw records or rollup records, on this node and another: the same trends.
        for (var folded = 0; folded < 2; folded++)
        {
            foreach (var reader in new[] { store, Node() })
            {
                Assert.Equal([1.0, 2.0, 3.0, 4.0], (await QueryAsync(reader, "t1", Resolution.Raw)).Raw.Select(s => s.Value));
                var snr = await reader.QueryAsync("e1", new HistoryQuery("terminals", "t1", "snr", T0, T0.AddHours(1), Resolution.Raw), Ct);
                Assert.Equal([10.0, 20.0, 30.0], snr.Raw.Select(s => s.Value));
                Assert.Equal(new RollupSample(T0, 1, 2.5, 4, 4), Assert.Single((await QueryAsync(reader, "t1", Resolution.OneHour)).Rollups));
                Assert.Equal([1.0, 2.0, 3.0, 4.0], (await QueryAsync(reader, "t1", Resolution.FiveMinutes)).Rollups.Select(b => b.Avg));
            }

            Assert.Equal(folded == 0 ? 1 : 0, await store.FoldAsync(Ct));
        }

        // One record per resolution for the three writes: the 5-minute buckets of the hour, the hour of the day, the day.
        Assert.Equal(3L, await ScalarAsync("SELECT count(*) FROM history_rollups"));
        Assert.Equal(0, await ScalarAsync("SELECT unfolded FROM history_writers WHERE element_id = 'e1'"));

        // A value into a folded bucket: the reader adds the unfolded raw value to the stored aggregate.
        Assert.Equal(1, await store.WriteAsync("e1", [Q("latency", 31, 6)], Ct));
        Assert.Equal(new RollupSample(T0, 1, 3.2, 6, 5), Assert.Single((await QueryAsync(store, "t1", Resolution.OneHour)).Rollups));
        Assert.Equal(new RollupSample(T0.AddMinutes(30), 4, 5, 6, 2), (await QueryAsync(store, "t1", Resolution.FiveMinutes)).Rollups[^1]);
    }

    [Fact]
    public async Task WriteAsync_EveryFoldAfterWrites_FoldsThemIntoOneRecordPerSpanAndCompactsAtCompactAt()
    {
        var store = Node();
        var values = new List<double>();
        for (var i = 0; i < HistoryFold.FoldAfter * HistoryRecords.CompactAt; i++)
        {
            // One value a write, all in the hour's first 5-minute bucket and in one span of every resolution.
            values.Add(100 + ((i * 37) % 11));
            Assert.Equal(1, await store.WriteAsync("e1", [P("t1", T0.AddMilliseconds(100 * i), values[^1])], Ct));
            if ((i + 1) % HistoryFold.FoldAfter == 0)
            {
                var folds = (i + 1) / HistoryFold.FoldAfter;
                Assert.Equal(folds < HistoryRecords.CompactAt ? 3L * folds : 3L, await ScalarAsync("SELECT count(*) FROM history_rollups"));
                Assert.Equal(0, await ScalarAsync("SELECT unfolded FROM history_writers"));
            }
            else if (i < HistoryFold.FoldAfter)
            {
                Assert.Equal(0L, await ScalarAsync("SELECT count(*) FROM history_rollups"));
            }
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

        // The next write is raw until the next fold, and read with the compacted record.
        await store.WriteAsync("e1", [P("t1", T0.AddMinutes(4), 1)], Ct);
        Assert.Equal(3L, await ScalarAsync("SELECT count(*) FROM history_rollups"));
        Assert.Equal(values.Count + 1, Assert.Single((await QueryAsync(store, "t1", Resolution.FiveMinutes)).Rollups).Count);
    }

    [Fact]
    public async Task WriteAsync_FoldAfterAnotherNodeWroteOrRetentionFolded_FoldsEachValueOnce()
    {
        var a = Node();
        var b = Node();
        var value = 0;
        async Task WriteAsync(PostgresHistoryStore store, int writes)
        {
            for (var i = 0; i < writes; i++, value++)
            {
                Assert.Equal(1, await store.WriteAsync("e1", [P("t1", T0.AddSeconds(value), value)], Ct));
            }
        }

        // Node b finds writes of node a not folded yet: its fold reads them back from the raw records.
        await WriteAsync(a, 10);
        await WriteAsync(b, HistoryFold.FoldAfter - 10);
        Assert.Equal(0, await ScalarAsync("SELECT unfolded FROM history_writers"));
        // Node a folds from the values it wrote since, not from what it had before node b's fold.
        await WriteAsync(a, HistoryFold.FoldAfter);
        // A fold by retention (or FoldAsync) meanwhile: what node a wrote before it is not folded again.
        await WriteAsync(a, 5);
        Assert.Equal(1, await b.FoldAsync(Ct));
        await WriteAsync(a, HistoryFold.FoldAfter);
        await WriteAsync(a, 3);

        Assert.Equal(3, await ScalarAsync("SELECT unfolded FROM history_writers"));
        var sum = Enumerable.Range(0, value).Sum();
        foreach (var resolution in new[] { Resolution.FiveMinutes, Resolution.OneHour, Resolution.OneDay })
        {
            var buckets = (await QueryAsync(a, "t1", resolution)).Rollups;
            Assert.Equal(value, buckets.Sum(r => r.Count));
            Assert.Equal(sum, buckets.Sum(r => r.Avg * r.Count), 6);
            Assert.Equal(value - 1, buckets.Max(r => r.Max));
        }
    }

    [Fact]
    public async Task WriteAsync_LateValuesKeepReachingTheSpanBeforeTheNewest_BothSpansCompacted()
    {
        var store = Node();
        var writes = HistoryFold.FoldAfter * HistoryRecords.CompactAt;
        for (var i = 0; i < writes; i++)
        {
            // Each write: a value of today's first hour and a late one of yesterday's last hour.
            await store.WriteAsync("e1", [P("t1", T0.AddSeconds(i), 1), P("t1", T0.AddHours(-1).AddSeconds(i), 2)], Ct);
        }

        // 5 min (hour spans) and 1 h (day spans): two spans each, one record each.
        Assert.Equal(2L, await ScalarAsync(FiveMinuteRecords));
        Assert.Equal(2L, await ScalarAsync("SELECT count(*) FROM history_rollups WHERE resolution = 2"));
        var hours = (await QueryAsync(store, "t1", Resolution.OneHour)).Rollups;
        Assert.Equal([new RollupSample(T0.AddHours(-1), 2, 2, 2, writes), new RollupSample(T0, 1, 1, 1, writes)], hours);

        // One write in each of the next hours, up to the next fold: the writer stops tracking the hours left behind,
        // and nothing is lost.
        for (var hour = 1; hour <= HistoryFold.FoldAfter; hour++)
        {
            await store.WriteAsync("e1", [P("t1", T0.AddHours(hour), 3)], Ct);
        }

        Assert.Equal(0, await store.FoldAsync(Ct));
        Assert.Equal((2 * writes) + HistoryFold.FoldAfter, (await QueryAsync(store, "t1", Resolution.FiveMinutes)).Rollups.Sum(b => b.Count));
        Assert.Equal(2L + HistoryFold.FoldAfter, await ScalarAsync(FiveMinuteRecords));
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
    public async Task ApplyRetentionAsync_RawRecordsNotFoldedYet_FoldedBeforeTheyAreDeleted()
    {
        var store = Node();
        var now = T0.AddDays(30);
        await store.WriteAsync("e1", [P("t1", now.AddDays(-10), 1), P("t1", now.AddDays(-10).AddMinutes(1), 3)], Ct);
        await store.WriteAsync("e1", [P("t1", now.AddHours(-1), 5)], Ct);
        Assert.Equal(0L, await ScalarAsync("SELECT count(*) FROM history_rollups"));

        Assert.Equal(2, await store.ApplyRetentionAsync(new RetentionOptions { RawDays = 7 }, now, Ct));

        var range = new HistoryQuery("terminals", "t1", "latency", now.AddDays(-20), now, Resolution.Raw);
        Assert.Equal([5.0], (await store.QueryAsync("e1", range, Ct)).Raw.Select(s => s.Value));
        Assert.Equal(
            [new RollupSample(now.AddDays(-10), 1, 2, 3, 2), new RollupSample(now.AddHours(-1), 5, 5, 5, 1)],
            (await store.QueryAsync("e1", range with { Resolution = Resolution.FiveMinutes }, Ct)).Rollups);
        Assert.Equal(1L, await ScalarAsync("SELECT count(*) FROM history_points"));
        Assert.Equal(0, await ScalarAsync("SELECT unfolded FROM history_writers"));
    }

    [Fact]
    public async Task ApplyRetentionAsync_SpansInSeveralRecords_CountsEachBucketOnceAndLeavesOneRecord()
    {
        var store = Node();
        var now = T0.AddDays(30).AddMinutes(30);
        var cutoff = now.AddDays(-7);
        // Three batches into the 5-minute span (hour) of the cutoff, two of them into one bucket before it; two batches
        // into one bucket of the hour before (wholly older).
        // Each write folded at once, so that each is a rollup record of its own.
        foreach (var (minutes, value) in new[] { (-70, 1), (-69, 2), (-10, 3), (-9, 4), (10, 5) })
        {
            await store.WriteAsync("e1", [P("t1", cutoff.AddMinutes(minutes), value)], Ct);
            await store.FoldAsync(Ct);
        }

        Assert.Equal(5L, await ScalarAsync(FiveMinuteRecords));

        var deleted = await store.ApplyRetentionAsync(new RetentionOptions { RawDays = 365, FiveMinuteDays = 7 }, now, Ct);

        // 5 min: the bucket of the older hour and the bucket before the cutoff, each once however many records held it.
        Assert.Equal(2, deleted);
        Assert.Equal(1L, await ScalarAsync(FiveMinuteRecords));
        var range = new HistoryQuery("terminals", "t1", "latency", now.AddDays(-20), now, Resolution.FiveMinutes);
        Assert.Equal([new RollupSample(cutoff.AddMinutes(10), 5, 5, 5, 1)], (await store.QueryAsync("e1", range, Ct)).Rollups);
        Assert.Equal(5, (await store.QueryAsync("e1", range with { Resolution = Resolution.OneDay }, Ct)).Rollups.Sum(b => b.Count));

        // Writers and folds go on adding records beside the rewritten one.
        await store.WriteAsync("e1", [P("t1", cutoff.AddMinutes(11), 7)], Ct);
        await store.FoldAsync(Ct);
        Assert.Equal([new RollupSample(cutoff.AddMinutes(10), 5, 6, 7, 2)], (await store.QueryAsync("e1", range, Ct)).Rollups);
        Assert.Equal(0, await store.ApplyRetentionAsync(new RetentionOptions { RawDays = 365, FiveMinuteDays = 7 }, now, Ct));
    }

    [Fact]
    public async Task MigrateAsync_RawAndRollupsOfSchemaVersion4_CountedOnceAndFoldedWithNewWrites()
    {
        await using var db = new PostgresTestDatabase();
        await db.CreateAsync();
        await using var source = NpgsqlDataSource.Create(db.ConnectionString);
        await using (var connection = await source.OpenConnectionAsync(Ct))
        {
            Assert.Equal(4, await Migrations.ApplyAsync(connection, "test", TimeProvider.System, NullLogger.Instance, Ct, upTo: 4));
            // What a version-4 writer stored for one value: its raw record and, in the same batch, its 5-minute rollup.
            var time = T0.ToUnixTimeMilliseconds();
            PointEntry[] value = [new(0, time, 10, 0, 0, 0)];
            var raw = new byte[PackedPoints.Size(value)];
            PackedPoints.Write(raw, PackedPoints.Hour(time), value);
            await using var insert = new NpgsqlCommand(OneSeriesSql + """
                INSERT INTO history_points (row_id, hour, batch, last_t, data) SELECT id, @hour, 5, @t, @raw FROM history_rows;
                INSERT INTO history_rollups (row_id, resolution, span_start, batch, data) SELECT id, 1, @t, 5, @rollup FROM history_rows;
                INSERT INTO history_writers (element_id, batch) VALUES ('e1', 5);
                SELECT setval('history_batches', 5);
                """, connection);
            insert.Parameters.AddWithValue("hour", PackedPoints.Hour(time));
            insert.Parameters.AddWithValue("t", time);
            insert.Parameters.AddWithValue("raw", raw);
            insert.Parameters.AddWithValue("rollup", SpanOfOneBucket(Aggregate.Of(10)));
            await insert.ExecuteNonQueryAsync(Ct);
        }

        await using (var migrated = await db.NewStoreAsync())
        {
            await migrated.MigrateAsync(Ct);
        }

        // The stored raw record is in the rollups already: not added to them again, before or after a fold.
        var store = new PostgresHistoryStore(source, NullLogger.Instance);
        Assert.Equal([new RollupSample(T0, 10, 10, 10, 1)], (await QueryAsync(store, "t1", Resolution.FiveMinutes)).Rollups);
        Assert.Equal(1, await store.WriteAsync("e1", [P("t1", T0.AddMinutes(1), 30)], Ct));
        Assert.Equal([new RollupSample(T0, 10, 20, 30, 2)], (await QueryAsync(store, "t1", Resolution.FiveMinutes)).Rollups);
        Assert.Equal(1, await store.FoldAsync(Ct));
        Assert.Equal([new RollupSample(T0, 10, 20, 30, 2)], (await QueryAsync(store, "t1", Resolution.FiveMinutes)).Rollups);
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
            await using var insert = new NpgsqlCommand(OneSeriesSql + """
                INSERT INTO history_rollups (row_id, resolution, span_start, data) SELECT id, 1, @span, @data FROM history_rows;
                """, connection);
            insert.Parameters.AddWithValue("span", T0.ToUnixTimeMilliseconds());
            insert.Parameters.AddWithValue("data", SpanOfOneBucket(Aggregate.Of(10).Add(20)));
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
