using Satmon.Core.Tables;

namespace Satmon.Storage.Tests.Contracts;

/// <summary>
/// Keyset paging: a page after a cursor holds the rows after the cursor's (sort value, key) in the query's order —
/// by value then key in the query's direction, rows without a value last by key — and NextCursor is set exactly when
/// rows follow the page.
/// </summary>
public abstract partial class TableStoreContract
{
    private static List<TableRow> RandomRows(int count, int seed)
    {
        var random = new Random(seed);
        string?[] statuses = ["online", "online", "online", "offline", "degraded", null];
        return Enumerable.Range(0, count).Select(i => Row(
            $"k{i:000}",
            name: $"Terminal {random.Next(60)}",
            status: statuses[random.Next(statuses.Length)],
            latency: random.Next(10) == 0 ? null : random.Next(40) * 10.0,
            lastSeen: random.Next(8) == 0 ? null : T0.AddMinutes(random.Next(100)),
            moving: random.Next(5) == 0 ? null : random.Next(2) == 0)).ToList();
    }

    [Fact]
    public async Task QueryAsync_FollowingNextCursor_ReadsEveryRowOnceInOrder()
    {
        // Many ties and nulls: pages end inside runs of equal values and inside the rows without a value. The filters
        // range from none to a handful of rows, so that every way of reading a page is taken somewhere.
        var rows = RandomRows(230, 12);
        await Store.Tables.EnsureTableAsync(El, Terminals, Ct);
        await Store.Tables.UpsertAsync(El, "terminals", rows, Ct);
        (FilterClause[] Filters, Func<TableRow, bool> Match)[] filters =
        [
            ([], _ => true),
            ([new FilterClause("status", FilterOperator.Eq, "online")], r => (string?)r.Values["status"] == "online"),
            ([new FilterClause("status", FilterOperator.Ne, "online")], r => (string?)r.Values["status"] != "online"),
            ([new FilterClause("latency", FilterOperator.Gt, 150.0)], r => r.Values["latency"] is > 150.0),
            ([new FilterClause("latency", FilterOperator.Lt, 40.0)], r => r.Values["latency"] is < 40.0),
            ([new FilterClause("name", FilterOperator.Contains, "5")], r => ((string)r.Values["name"]!).Contains('5', StringComparison.Ordinal)),
            ([new FilterClause("name", FilterOperator.Contains, "l 5"), new FilterClause("status", FilterOperator.Ne, "online")],
                r => ((string)r.Values["name"]!).Contains("l 5", StringComparison.Ordinal) && (string?)r.Values["status"] != "online"),
        ];
        foreach (var (clauses, match) in filters)
        {
            foreach (var sort in new[] { "latency", "lastSeen", "moving", "name", "key" })
            {
                foreach (var descending in new[] { false, true })
                {
                    var expected = Reference(rows.Where(match), sort, descending);
                    var read = new List<string>();
                    var page = await Store.Tables.QueryAsync(El, "terminals", new TableQuery(clauses, sort, descending, 0, 7), Ct);
                    read.AddRange(page.Rows.Select(r => r.Key));
                    while (page.NextCursor is { } cursor)
                    {
                        page = await Store.Tables.QueryAsync(El, "terminals", new TableQuery(clauses, sort, descending, 0, 7) { After = cursor }, Ct);
                        Assert.Equal(expected.Count, page.Total);
                        Assert.NotEmpty(page.Rows);
                        read.AddRange(page.Rows.Select(r => r.Key));
                    }

                    var what = $"filter {string.Join(" and ", clauses.Select(c => c.ToString()))}, sort {sort} {(descending ? "desc" : "asc")}";
                    Assert.True(expected.SequenceEqual(read), what);
                }
            }
        }
    }

    [Fact]
    public async Task QueryAsync_LastPage_HasNoNextCursorEvenWhenFull()
    {
        await Store.Tables.EnsureTableAsync(El, Terminals, Ct);
        await Store.Tables.UpsertAsync(El, "terminals", Enumerable.Range(0, 6).Select(i => Row($"k{i}", latency: i)).ToList(), Ct);

        var first = await Store.Tables.QueryAsync(El, "terminals", new TableQuery([], "latency", false, 0, 3), Ct);
        Assert.Equal(new TableCursor("latency", false, 2.0, "k2"), first.NextCursor);
        var last = await Store.Tables.QueryAsync(El, "terminals", new TableQuery([], "latency", false, 0, 3) { After = first.NextCursor }, Ct);
        Assert.Equal(["k3", "k4", "k5"], last.Rows.Select(r => r.Key));
        Assert.Null(last.NextCursor);
        var byOffset = await Store.Tables.QueryAsync(El, "terminals", new TableQuery([], "latency", false, 3, 3), Ct);
        Assert.Null(byOffset.NextCursor);
        var empty = await Store.Tables.QueryAsync(El, "terminals", new TableQuery([], "latency", false, 0, 3) { After = new TableCursor("latency", false, 99.0, "z") }, Ct);
        Assert.Equal(6, empty.Total);
        Assert.Empty(empty.Rows);
        Assert.Null(empty.NextCursor);
    }

    [Fact]
    public async Task QueryAsync_RowsChangedBetweenPages_NextPageStartsAfterTheCursorPosition()
    {
        await Store.Tables.EnsureTableAsync(El, Terminals, Ct);
        await Store.Tables.UpsertAsync(El, "terminals", Enumerable.Range(1, 9).Select(i => Row($"k{i * 10}", latency: i * 10)).ToList(), Ct);
        var query = new TableQuery([], "latency", false, 0, 3);
        var first = await Store.Tables.QueryAsync(El, "terminals", query, Ct);
        Assert.Equal(["k10", "k20", "k30"], first.Rows.Select(r => r.Key));

        // A row before the position, one after it, the cursor's own row moved far ahead, and a deleted row.
        await Store.Tables.UpsertAsync(El, "terminals", [Row("k05", latency: 5), Row("k35", latency: 35), Partial("k30", ("latency", 1000.0))], Ct);
        await Store.Tables.DeleteAsync(El, "terminals", ["k40"], Ct);

        var second = await Store.Tables.QueryAsync(El, "terminals", query with { After = first.NextCursor }, Ct);
        Assert.Equal(["k35", "k50", "k60"], second.Rows.Select(r => r.Key));
        Assert.Equal(10, second.Total);
    }

    [Fact]
    public async Task QueryAsync_CursorWithoutValue_ContinuesAmongRowsWithoutValueByKey()
    {
        await SeedAsync();
        await Store.Tables.UpsertAsync(El, "terminals", [Row("k0"), Row("k6"), Row("k7", latency: 1)], Ct);

        async Task<List<string>> After(bool descending, string key) =>
            (await Store.Tables.QueryAsync(El, "terminals",
                new TableQuery([], "latency", descending, 0, 10) { After = new TableCursor("latency", descending, null, key) }, Ct)).Rows.Select(r => r.Key).ToList();

        // Rows without latency: k0, k3, k6 — after every row with one, in both directions.
        Assert.Equal(["k3", "k6"], await After(false, "k0"));
        Assert.Equal(["k3", "k0"], await After(true, "k6"));
        Assert.Empty(await After(false, "k6"));
    }

    [Fact]
    public async Task QueryAsync_CursorOfAnotherSortOrWithOffset_ThrowsArgumentException()
    {
        await SeedAsync();
        var cursor = new TableCursor("latency", false, 450.5, "k1");

        await Assert.ThrowsAsync<ArgumentException>(() =>
            Store.Tables.QueryAsync(El, "terminals", new TableQuery([], "latency", true, 0, 10) { After = cursor }, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() =>
            Store.Tables.QueryAsync(El, "terminals", new TableQuery([], "lastSeen", false, 0, 10) { After = cursor }, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() =>
            Store.Tables.QueryAsync(El, "terminals", new TableQuery([], "latency", false, 2, 10) { After = cursor }, Ct));
    }
}
