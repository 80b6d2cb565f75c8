using System.Diagnostics;
using Satmon.Core.Storage;
using Satmon.Core.Tables;

namespace Satmon.Bench;

/// <summary>(b) table upserts, (c) page queries at an offset and after a cursor.</summary>
internal static class TableBench
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] Numbers =
        ["latency", "fwdLoss", "rtnLoss", "fwdThroughput", "rtnThroughput", "fwdUtilization", "rtnUtilization", "fwdEsNo", "maxTxPower", "latitude", "longitude"];

    private static readonly string[] Texts = ["name", "site", "vno", "customer", "serviceId", "beam"];
    private static readonly string[] Statuses = ["online", "online", "online", "online", "online", "online", "online", "offline", "offline", "degraded"];

    /// <summary>20 columns: 6 text, 2 enum, 11 number, 1 timestamp — the shape of the mPOWER terminals table.</summary>
    public static TableDefinition Definition { get; } = new("terminals", "Terminals", "Object name",
    [
        .. Texts.Select(t => new ColumnDefinition(t, ColumnType.String)),
        new ColumnDefinition("terminalStatus", ColumnType.Enum),
        new ColumnDefinition("serviceStatus", ColumnType.Enum),
        .. Numbers.Select(n => new ColumnDefinition(n, ColumnType.Number, Trended: true)),
        new ColumnDefinition("lastReport", ColumnType.Timestamp),
    ]);

    public static List<TableRow> Rows(int count, int seed)
    {
        var random = new Random(seed);
        var rows = new List<TableRow>(count);
        for (var i = 0; i < count; i++)
        {
            var values = new Dictionary<string, object?>(20)
            {
                ["name"] = $"Terminal {i}",
                ["site"] = $"Site {i % 500}",
                ["vno"] = $"VNO-{i % 20}",
                ["customer"] = $"Customer {i % 300}",
                ["serviceId"] = $"svc-{i:000000}",
                ["beam"] = $"beam-{i % 64}",
                ["terminalStatus"] = Statuses[random.Next(Statuses.Length)],
                ["serviceStatus"] = random.Next(20) == 0 ? "suspended" : "active",
                ["lastReport"] = T0.AddSeconds(-random.Next(86_400)),
            };
            foreach (var number in Numbers)
            {
                // A few terminals report no value, as real fleets do.
                values[number] = random.Next(40) == 0 ? null : Math.Round(random.NextDouble() * 1000, 2);
            }

            rows.Add(new TableRow($"obj-{i:000000}", values));
        }

        return rows;
    }

    public static async Task<(TimeSpan Insert, TimeSpan Update)> UpsertAsync(ISatmonStore store, int rowCount, int batch)
    {
        await store.Tables.EnsureTableAsync("bench", Definition, CancellationToken.None);
        var first = Rows(rowCount, 1);
        var second = Rows(rowCount, 2);
        var insert = await TimeAsync(store, first, batch);
        var update = await TimeAsync(store, second, batch);
        var count = await store.Tables.CountAsync("bench", "terminals", CancellationToken.None);
        return count == rowCount ? (insert, update) : throw new InvalidOperationException($"Table holds {count} rows, expected {rowCount}.");
    }

    /// <summary>A full update of every row (values of another seed), e.g. after queries made their column indexes.</summary>
    public static Task<TimeSpan> UpdateAsync(ISatmonStore store, int rowCount, int batch, int seed) => TimeAsync(store, Rows(rowCount, seed), batch);

    /// <summary>Sorts once by every number, enum and timestamp column, so each gets its index (what earlier versions made up front).</summary>
    public static async Task IndexEveryNumberEnumAndTimeAsync(ISatmonStore store)
    {
        foreach (var column in Definition.Columns.Where(c => c.Type is ColumnType.Number or ColumnType.Enum or ColumnType.Timestamp))
        {
            await store.Tables.QueryAsync("bench", "terminals", new TableQuery([], column.Name, false, 0, 1), CancellationToken.None);
        }
    }

    /// <summary>How many column indexes the store has made in the file (queries make them on first use).</summary>
    public static long ColumnIndexes(string path)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False;Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name LIKE 'ixk\\_%' ESCAPE '\\'";
        return (long)command.ExecuteScalar()!;
    }

    private static async Task<TimeSpan> TimeAsync(ISatmonStore store, List<TableRow> rows, int batch)
    {
        var start = Stopwatch.GetTimestamp();
        foreach (var chunk in rows.Chunk(batch))
        {
            await store.Tables.UpsertAsync("bench", "terminals", chunk, CancellationToken.None);
        }

        return Stopwatch.GetElapsedTime(start);
    }

    /// <summary>Latencies of the page queries: the first 20 pages, a page at any offset, the same page asked for by cursor.</summary>
    public sealed record PageLatencies(Latencies Shallow, Latencies Deep, Latencies Cursor);

    /// <summary>
    /// Page queries as the dashboard sends them: 100 rows, sorted by a number column, with a filter. Shallow pages
    /// (the first 20) are what people click through; deep pages pick an offset anywhere in the filtered result; the
    /// cursor query asks for that same deep page after the row before it (the cursor comes from an unmeasured query)
    /// and must return the same rows. The first query of each filter and sort makes its column indexes (unmeasured).
    /// </summary>
    public static async Task<PageLatencies> PagesAsync(ISatmonStore store, int queries)
    {
        var random = new Random(3);
        FilterClause[][] filters =
        [
            [new FilterClause("terminalStatus", FilterOperator.Eq, "online")],
            [new FilterClause("terminalStatus", FilterOperator.Ne, "online")],
            [new FilterClause("latency", FilterOperator.Gt, 600.0)],
            [new FilterClause("fwdEsNo", FilterOperator.Lt, 250.0)],
            [new FilterClause("name", FilterOperator.Contains, "12")],
            [new FilterClause("serviceStatus", FilterOperator.Eq, "active"), new FilterClause("latency", FilterOperator.Lt, 700.0)],
            [new FilterClause("lastReport", FilterOperator.Gt, T0.AddHours(-6))],
        ];
        string[] sorts = ["latency", "fwdThroughput", "fwdEsNo", "rtnUtilization"];
        var totals = new Dictionary<(int, string), long>();
        var result = new PageLatencies(new Latencies(), new Latencies(), new Latencies());

        for (var i = 0; i < queries; i++)
        {
            var f = random.Next(filters.Length);
            var sort = sorts[random.Next(sorts.Length)];
            var descending = random.Next(2) == 0;
            TableQuery Query(int offset) => new(filters[f], sort, descending, offset, 100);
            if (!totals.TryGetValue((f, sort), out var total))
            {
                total = (await store.Tables.QueryAsync("bench", "terminals", Query(0), CancellationToken.None)).Total;
                totals[(f, sort)] = total;
            }

            var shallowOffset = random.Next(20) * 100;
            var deepOffset = 1 + (int)random.NextInt64(Math.Max(1, total - 101));
            var page = await result.Shallow.MeasureAsync(() => store.Tables.QueryAsync("bench", "terminals", Query(shallowOffset), CancellationToken.None));
            Check(page, total, shallowOffset);
            page = await result.Deep.MeasureAsync(() => store.Tables.QueryAsync("bench", "terminals", Query(deepOffset), CancellationToken.None));
            Check(page, total, deepOffset);

            var before = await store.Tables.QueryAsync("bench", "terminals", Query(deepOffset - 1) with { Limit = 1 }, CancellationToken.None);
            var byCursor = await result.Cursor.MeasureAsync(() =>
                store.Tables.QueryAsync("bench", "terminals", Query(0) with { After = before.NextCursor }, CancellationToken.None));
            if (!byCursor.Rows.Select(r => r.Key).SequenceEqual(page.Rows.Select(r => r.Key)))
            {
                throw new InvalidOperationException($"The page after the cursor of row {deepOffset - 1} differs from the page at offset {deepOffset}.");
            }
        }

        return result;
    }

    private static void Check(TablePage page, long total, int offset)
    {
        if (page.Total != total || page.Rows.Count != Math.Clamp(total - offset, 0, 100))
        {
            throw new InvalidOperationException($"Page at offset {offset} returned {page.Rows.Count} rows of total {page.Total}; expected total {total}.");
        }
    }
}
