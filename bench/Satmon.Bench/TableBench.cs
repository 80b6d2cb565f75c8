using System.Diagnostics;
using Satmon.Core.Tables;
using Satmon.Storage.Sqlite;

namespace Satmon.Bench;

/// <summary>(b) table upserts, (c) page queries.</summary>
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

    public static async Task<(TimeSpan Insert, TimeSpan Update)> UpsertAsync(SqliteSatmonStore store, int rowCount, int batch)
    {
        await store.Tables.EnsureTableAsync("bench", Definition, CancellationToken.None);
        var first = Rows(rowCount, 1);
        var second = Rows(rowCount, 2);
        var insert = await TimeAsync(store, first, batch);
        var update = await TimeAsync(store, second, batch);
        var count = await store.Tables.CountAsync("bench", "terminals", CancellationToken.None);
        return count == rowCount ? (insert, update) : throw new InvalidOperationException($"Table holds {count} rows, expected {rowCount}.");
    }

    private static async Task<TimeSpan> TimeAsync(SqliteSatmonStore store, List<TableRow> rows, int batch)
    {
        var start = Stopwatch.GetTimestamp();
        foreach (var chunk in rows.Chunk(batch))
        {
            await store.Tables.UpsertAsync("bench", "terminals", chunk, CancellationToken.None);
        }

        return Stopwatch.GetElapsedTime(start);
    }

    /// <summary>
    /// Page queries as the dashboard sends them: 100 rows, sorted by a number column, with a filter. Shallow pages
    /// (the first 20) are what people click through; deep pages pick an offset anywhere in the filtered result.
    /// </summary>
    public static async Task<(Latencies Shallow, Latencies Deep)> PagesAsync(SqliteSatmonStore store, int queries)
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
        var totals = new Dictionary<int, long>();
        var shallow = new Latencies();
        var deep = new Latencies();

        for (var i = 0; i < queries; i++)
        {
            var f = random.Next(filters.Length);
            var sort = sorts[random.Next(sorts.Length)];
            var descending = random.Next(2) == 0;
            if (!totals.TryGetValue(f, out var total))
            {
                total = (await store.Tables.QueryAsync("bench", "terminals", new TableQuery(filters[f], sort, descending, 0, 100), CancellationToken.None)).Total;
                totals[f] = total;
            }

            var shallowOffset = random.Next(20) * 100;
            var deepOffset = (int)random.NextInt64(Math.Max(1, total - 100));
            var page = await shallow.MeasureAsync(() => store.Tables.QueryAsync("bench", "terminals", new TableQuery(filters[f], sort, descending, shallowOffset, 100), CancellationToken.None));
            Check(page, total, shallowOffset);
            page = await deep.MeasureAsync(() => store.Tables.QueryAsync("bench", "terminals", new TableQuery(filters[f], sort, descending, deepOffset, 100), CancellationToken.None));
            Check(page, total, deepOffset);
        }

        return (shallow, deep);
    }

    private static void Check(TablePage page, long total, int offset)
    {
        if (page.Total != total || page.Rows.Count != Math.Clamp(total - offset, 0, 100))
        {
            throw new InvalidOperationException($"Page at offset {offset} returned {page.Rows.Count} rows of total {page.Total}; expected total {total}.");
        }
    }
}
