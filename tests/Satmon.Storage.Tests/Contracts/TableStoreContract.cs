using Satmon.Core.Tables;

namespace Satmon.Storage.Tests.Contracts;

/// <summary>Current-value tables: partial upserts, deletes, replace, filters, sort, paging and schema growth.</summary>
public abstract partial class TableStoreContract : StoreContract
{
    private const string El = "e1";
    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 8, 0, 0, TimeSpan.Zero);

    private static readonly TableDefinition Terminals = new("terminals", "Terminals", "IMEI",
    [
        new ColumnDefinition("name", ColumnType.String),
        new ColumnDefinition("status", ColumnType.Enum),
        new ColumnDefinition("latency", ColumnType.Number, "ms", Trended: true),
        new ColumnDefinition("lastSeen", ColumnType.Timestamp),
        new ColumnDefinition("moving", ColumnType.Bool),
    ]);

    private static TableRow Row(string key, string? name = null, string? status = null, double? latency = null, DateTimeOffset? lastSeen = null, bool? moving = null) =>
        new(key, new Dictionary<string, object?>
        {
            ["name"] = name, ["status"] = status, ["latency"] = latency, ["lastSeen"] = lastSeen, ["moving"] = moving,
        });

    private static TableRow Partial(string key, params (string Column, object? Value)[] values) =>
        new(key, values.ToDictionary(v => v.Column, v => v.Value));

    /// <summary>Five rows covering every type, with nulls.</summary>
    private async Task SeedAsync()
    {
        await Store.Tables.EnsureTableAsync(El, Terminals, Ct);
        await Store.Tables.UpsertAsync(El, "terminals",
        [
            Row("k1", "Ship Alpha", "online", 450.5, T0, true),
            Row("k2", "ship beta", "offline", 700, T0.AddHours(1), false),
            Row("k3", "Plane 50% (aero)", "online", null, T0.AddHours(2), false),
            Row("k4", "Rig_4", "degraded", 620, null, null),
            Row("k5", null, null, 120, T0.AddHours(-1), true),
        ], Ct);
    }

    private async Task<List<string>> KeysAsync(params FilterClause[] filters) =>
        (await Store.Tables.QueryAsync(El, "terminals", new TableQuery(filters, null, false, 0, 100), Ct)).Rows.Select(r => r.Key).ToList();

    [Fact]
    public async Task UpsertAsync_PartialColumns_KeepsStoredValuesOfOtherColumns()
    {
        await SeedAsync();

        await Store.Tables.UpsertAsync(El, "terminals",
            [Partial("k1", ("latency", 480.0)), Partial("k2", ("status", "online"), ("moving", null)), Partial("k9", ("name", "New"))], Ct);

        var k1 = (await Store.Tables.GetAsync(El, "terminals", "k1", Ct))!.Values;
        Assert.Equal(("Ship Alpha", "online", 480.0, T0, true), ((string?)k1["name"], (string?)k1["status"], (double?)k1["latency"], (DateTimeOffset?)k1["lastSeen"], (bool?)k1["moving"]));
        var k2 = (await Store.Tables.GetAsync(El, "terminals", "k2", Ct))!.Values;
        Assert.Equal(("ship beta", "online", 700.0, null), ((string?)k2["name"], (string?)k2["status"], (double?)k2["latency"], k2["moving"]));
        var k9 = (await Store.Tables.GetAsync(El, "terminals", "k9", Ct))!.Values;
        Assert.Equal("New", k9["name"]);
        Assert.Null(k9["latency"]);
        Assert.Equal(6, await Store.Tables.CountAsync(El, "terminals", Ct));
    }

    [Fact]
    public async Task UpsertAsync_IntegerAndDecimalValues_StoredAsNumbers()
    {
        await SeedAsync();
        await Store.Tables.UpsertAsync(El, "terminals", [Partial("k1", ("latency", 42)), Partial("k2", ("latency", 7L)), Partial("k3", ("latency", 1.25m))], Ct);

        Assert.Equal(42.0, (await Store.Tables.GetAsync(El, "terminals", "k1", Ct))!.Values["latency"]);
        Assert.Equal(7.0, (await Store.Tables.GetAsync(El, "terminals", "k2", Ct))!.Values["latency"]);
        Assert.Equal(1.25, (await Store.Tables.GetAsync(El, "terminals", "k3", Ct))!.Values["latency"]);
    }

    [Fact]
    public async Task UpsertAsync_ValueOfWrongTypeOrUnknownColumn_ThrowsAndWritesNothing()
    {
        await SeedAsync();

        await Assert.ThrowsAsync<ArgumentException>(() =>
            Store.Tables.UpsertAsync(El, "terminals", [Partial("k1", ("latency", 1.0)), Partial("k2", ("latency", "fast"))], Ct));
        await Assert.ThrowsAsync<ArgumentException>(() =>
            Store.Tables.UpsertAsync(El, "terminals", [Partial("k1", ("latency", 1.0)), Partial("k2", ("nope", 1.0))], Ct));

        Assert.Equal(450.5, (await Store.Tables.GetAsync(El, "terminals", "k1", Ct))!.Values["latency"]);
    }

    [Fact]
    public async Task UpsertAsync_TableNeverEnsured_Throws()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.Tables.UpsertAsync(El, "terminals", [Partial("k1")], Ct));
        Assert.Equal(0, (await Store.Tables.QueryAsync(El, "terminals", TableQuery.Default, Ct)).Total);
    }

    [Fact]
    public async Task DeleteAsync_Keys_RemovesOnlyThoseRows()
    {
        await SeedAsync();

        await Store.Tables.DeleteAsync(El, "terminals", ["k2", "k4", "missing"], Ct);

        Assert.Equal(["k1", "k3", "k5"], await KeysAsync());
        Assert.Null(await Store.Tables.GetAsync(El, "terminals", "k2", Ct));
    }

    [Fact]
    public async Task ReplaceAsync_Rows_LeavesExactlyTheGivenRows()
    {
        await SeedAsync();

        await Store.Tables.ReplaceAsync(El, "terminals", [Partial("k2", ("name", "Only")), Partial("k7", ("latency", 1.0))], Ct);

        Assert.Equal(["k2", "k7"], await KeysAsync());
        var k2 = (await Store.Tables.GetAsync(El, "terminals", "k2", Ct))!.Values;
        // Replace is delete-then-insert: columns not given are empty, not kept.
        Assert.Equal(("Only", null), ((string?)k2["name"], k2["latency"]));

        await Store.Tables.ReplaceAsync(El, "terminals", [], Ct);
        Assert.Equal(0, await Store.Tables.CountAsync(El, "terminals", Ct));
    }

    [Fact]
    public async Task QueryAsync_EqAndNe_OnEnumStringBoolAndKey()
    {
        await SeedAsync();

        Assert.Equal(["k1", "k3"], await KeysAsync(new FilterClause("status", FilterOperator.Eq, "online")));
        // ne keeps rows without a value.
        Assert.Equal(["k2", "k4", "k5"], await KeysAsync(new FilterClause("status", FilterOperator.Ne, "online")));
        Assert.Equal(["k1", "k5"], await KeysAsync(new FilterClause("moving", FilterOperator.Eq, true)));
        Assert.Equal(["k1", "k4", "k5"], await KeysAsync(new FilterClause("moving", FilterOperator.Ne, false)));
        Assert.Equal(["k4"], await KeysAsync(new FilterClause("name", FilterOperator.Eq, "Rig_4")));
        Assert.Equal(["k3"], await KeysAsync(new FilterClause("key", FilterOperator.Eq, "k3")));
        Assert.Equal(["k1", "k2", "k4", "k5"], await KeysAsync(new FilterClause("key", FilterOperator.Ne, "k3")));
    }

    [Fact]
    public async Task QueryAsync_GtAndLt_OnNumberTimestampAndKey()
    {
        await SeedAsync();

        Assert.Equal(["k2", "k4"], await KeysAsync(new FilterClause("latency", FilterOperator.Gt, 600.0)));
        Assert.Equal(["k1", "k5"], await KeysAsync(new FilterClause("latency", FilterOperator.Lt, 600.0)));
        Assert.Equal(["k2", "k3"], await KeysAsync(new FilterClause("lastSeen", FilterOperator.Gt, T0)));
        Assert.Equal(["k5"], await KeysAsync(new FilterClause("lastSeen", FilterOperator.Lt, T0)));
        Assert.Equal(["k4", "k5"], await KeysAsync(new FilterClause("key", FilterOperator.Gt, "k3")));
        // Text values are converted with the column's type, as the API's parser does.
        Assert.Equal(["k2", "k4"], await KeysAsync(new FilterClause("latency", FilterOperator.Gt, "600")));
    }

    [Fact]
    public async Task QueryAsync_Contains_IsCaseInsensitiveAndTreatsWildcardsAsText()
    {
        await SeedAsync();

        Assert.Equal(["k1", "k2"], await KeysAsync(new FilterClause("name", FilterOperator.Contains, "SHIP")));
        Assert.Equal(["k3"], await KeysAsync(new FilterClause("name", FilterOperator.Contains, "50%")));
        Assert.Equal(["k4"], await KeysAsync(new FilterClause("name", FilterOperator.Contains, "g_4")));
        Assert.Equal(["k3"], await KeysAsync(new FilterClause("name", FilterOperator.Contains, "%")));
        Assert.Empty(await KeysAsync(new FilterClause("name", FilterOperator.Contains, "e_5")));
        Assert.Equal(["k1", "k2", "k3", "k4", "k5"], await KeysAsync(new FilterClause("key", FilterOperator.Contains, "K")));
    }

    [Fact]
    public async Task QueryAsync_SeveralFilters_CombineWithAnd()
    {
        await SeedAsync();

        Assert.Equal(["k1"], await KeysAsync(
            new FilterClause("status", FilterOperator.Eq, "online"), new FilterClause("latency", FilterOperator.Gt, 100.0)));
    }

    [Fact]
    public async Task QueryAsync_FilterValueContainingSql_IsOnlyAValue()
    {
        await SeedAsync();
        const string Hostile = "x' OR '1'='1\"; DROP TABLE terminals; --";
        await Store.Tables.UpsertAsync(El, "terminals", [Partial("k6", ("name", Hostile))], Ct);

        Assert.Equal(["k6"], await KeysAsync(new FilterClause("name", FilterOperator.Eq, Hostile)));
        Assert.Empty(await KeysAsync(new FilterClause("name", FilterOperator.Eq, "x' OR '1'='1")));
        Assert.Equal(["k6"], await KeysAsync(new FilterClause("name", FilterOperator.Contains, "DROP TABLE")));
        Assert.Equal(6, await Store.Tables.CountAsync(El, "terminals", Ct));
    }

    [Fact]
    public async Task QueryAsync_UnknownColumn_ThrowsArgumentException()
    {
        await SeedAsync();

        await Assert.ThrowsAsync<ArgumentException>(() =>
            Store.Tables.QueryAsync(El, "terminals", new TableQuery([new FilterClause("name; --", FilterOperator.Eq, "x")], null, false, 0, 10), Ct));
        await Assert.ThrowsAsync<ArgumentException>(() =>
            Store.Tables.QueryAsync(El, "terminals", new TableQuery([], "nope", false, 0, 10), Ct));
    }

    [Fact]
    public async Task QueryAsync_SortByColumn_NullsLastInBothDirections()
    {
        await SeedAsync();

        async Task<List<string>> Sorted(string column, bool descending) =>
            (await Store.Tables.QueryAsync(El, "terminals", new TableQuery([], column, descending, 0, 100), Ct)).Rows.Select(r => r.Key).ToList();

        Assert.Equal(["k5", "k1", "k4", "k2", "k3"], await Sorted("latency", false));
        Assert.Equal(["k2", "k4", "k1", "k5", "k3"], await Sorted("latency", true));
        Assert.Equal(["k5", "k1", "k2", "k3", "k4"], await Sorted("lastSeen", false));
        Assert.Equal(["k3", "k2", "k1", "k5", "k4"], await Sorted("lastSeen", true));
        Assert.Equal(["k5", "k4", "k3", "k2", "k1"], await Sorted("key", true));
        // Ties are broken by key, so pages are stable.
        Assert.Equal(["k2", "k3", "k1", "k5", "k4"], await Sorted("moving", false));
    }

    [Fact]
    public async Task QueryAsync_OffsetAndLimit_ReturnPageAndTotalOfTheFilter()
    {
        await Store.Tables.EnsureTableAsync(El, Terminals, Ct);
        await Store.Tables.UpsertAsync(El, "terminals",
            Enumerable.Range(0, 25).Select(i => Row($"k{i:00}", status: i % 5 == 0 ? "offline" : "online", latency: 1000 - i)).ToList(), Ct);
        var online = new FilterClause("status", FilterOperator.Eq, "online");

        var page = await Store.Tables.QueryAsync(El, "terminals", new TableQuery([online], "latency", false, 14, 7), Ct);
        Assert.Equal(20, page.Total);
        Assert.Equal(["k07", "k06", "k04", "k03", "k02", "k01"], page.Rows.Select(r => r.Key));

        var full = await Store.Tables.QueryAsync(El, "terminals", new TableQuery([online], "latency", true, 0, 7), Ct);
        Assert.Equal(20, full.Total);
        Assert.Equal(7, full.Rows.Count);

        var beyond = await Store.Tables.QueryAsync(El, "terminals", new TableQuery([online], null, false, 40, 7), Ct);
        Assert.Equal(20, beyond.Total);
        Assert.Empty(beyond.Rows);

        var everything = await Store.Tables.QueryAsync(El, "terminals", new TableQuery([], null, false, 0, 100), Ct);
        Assert.Equal(25, everything.Total);
    }

    [Fact]
    public async Task EnsureTableAsync_NewColumn_AddsItAndKeepsRows()
    {
        await SeedAsync();
        var grown = Terminals with { Columns = [.. Terminals.Columns, new ColumnDefinition("beam", ColumnType.Number)] };

        await Store.Tables.EnsureTableAsync(El, grown, Ct);
        await Store.Tables.UpsertAsync(El, "terminals", [Partial("k1", ("beam", 12.0))], Ct);

        var k1 = (await Store.Tables.GetAsync(El, "terminals", "k1", Ct))!.Values;
        Assert.Equal(("Ship Alpha", 450.5, 12.0), ((string?)k1["name"], (double?)k1["latency"], (double?)k1["beam"]));
        Assert.Null((await Store.Tables.GetAsync(El, "terminals", "k2", Ct))!.Values["beam"]);
        Assert.Equal(["k1"], await KeysAsync(new FilterClause("beam", FilterOperator.Gt, 10.0)));
        Assert.Equal(5, await Store.Tables.CountAsync(El, "terminals", Ct));

        // Calling it again with the same definition, or after a restart, changes nothing.
        await Store.Tables.EnsureTableAsync(El, grown, Ct);
        await ReopenAsync();
        await Store.Tables.EnsureTableAsync(El, grown, Ct);
        Assert.Equal(12.0, (await Store.Tables.GetAsync(El, "terminals", "k1", Ct))!.Values["beam"]);
    }

    [Fact]
    public async Task EnsureTableAsync_ColumnDroppedThenRestored_HidesThenReturnsItsValues()
    {
        await SeedAsync();
        var shrunk = Terminals with { Columns = Terminals.Columns.Where(c => c.Name != "name").ToList() };

        await Store.Tables.EnsureTableAsync(El, shrunk, Ct);
        Assert.False((await Store.Tables.GetAsync(El, "terminals", "k1", Ct))!.Values.ContainsKey("name"));

        await Store.Tables.EnsureTableAsync(El, Terminals, Ct);
        Assert.Equal("Ship Alpha", (await Store.Tables.GetAsync(El, "terminals", "k1", Ct))!.Values["name"]);
    }

    [Fact]
    public async Task Tables_UnusualNames_AreStoredSafelyAndKeptApartPerElement()
    {
        var odd = new TableDefinition("my table \"x\"; DROP TABLE elements", "Odd", "id",
            [new ColumnDefinition("Latency (ms)", ColumnType.Number), new ColumnDefinition("latency_ms", ColumnType.Number), new ColumnDefinition("ünïcode", ColumnType.String)]);
        const string OtherElement = "e2'; --";

        await Store.Tables.EnsureTableAsync(El, odd, Ct);
        await Store.Tables.EnsureTableAsync(OtherElement, odd, Ct);
        await Store.Tables.UpsertAsync(El, odd.Name, [Partial("a", ("Latency (ms)", 1.0), ("latency_ms", 2.0), ("ünïcode", "ü"))], Ct);
        await Store.Tables.UpsertAsync(OtherElement, odd.Name, [Partial("b", ("latency_ms", 3.0))], Ct);

        var a = (await Store.Tables.GetAsync(El, odd.Name, "a", Ct))!.Values;
        Assert.Equal((1.0, 2.0, "ü"), ((double?)a["Latency (ms)"], (double?)a["latency_ms"], (string?)a["ünïcode"]));
        Assert.Equal(["a"], (await Store.Tables.QueryAsync(El, odd.Name, new TableQuery([], "Latency (ms)", true, 0, 10), Ct)).Rows.Select(r => r.Key));
        Assert.Equal(["b"], (await Store.Tables.QueryAsync(OtherElement, odd.Name, TableQuery.Default, Ct)).Rows.Select(r => r.Key));
    }

    [Fact]
    public async Task ReadAllAsync_Rows_StreamsEveryRowInKeyOrder()
    {
        await Store.Tables.EnsureTableAsync(El, Terminals, Ct);
        var keys = Enumerable.Range(0, 300).Select(i => $"k{(i * 7919) % 1000:000}").Distinct().ToList();
        await Store.Tables.UpsertAsync(El, "terminals", keys.Select(k => Partial(k, ("latency", 1.0))).ToList(), Ct);

        var read = new List<string>();
        await foreach (var row in Store.Tables.ReadAllAsync(El, "terminals", Ct))
        {
            read.Add(row.Key);
            Assert.Equal(1.0, row.Values["latency"]);
        }

        Assert.Equal(keys.Order(StringComparer.Ordinal), read);
        Assert.Empty(await Store.Tables.ReadAllAsync(El, "unknown", Ct).ToListAsync(Ct));
    }

    [Fact]
    public async Task QueryAsync_EveryPageOfEveryOrder_MatchesReferenceOrder()
    {
        // Ties, nulls and skewed filters make every query plan appear somewhere among the offsets.
        var random = new Random(11);
        string?[] statuses = ["online", "online", "online", "offline", "degraded", null];
        var rows = Enumerable.Range(0, 240).Select(i => Row(
            $"k{i:000}",
            name: $"Terminal {random.Next(60)}",
            status: statuses[random.Next(statuses.Length)],
            latency: random.Next(10) == 0 ? null : random.Next(40) * 10.0,
            lastSeen: random.Next(8) == 0 ? null : T0.AddMinutes(random.Next(100)),
            moving: random.Next(5) == 0 ? null : random.Next(2) == 0)).ToList();
        await Store.Tables.EnsureTableAsync(El, Terminals, Ct);
        await Store.Tables.UpsertAsync(El, "terminals", rows, Ct);

        (FilterClause[] Filters, Func<TableRow, bool> Match)[] filters =
        [
            ([], _ => true),
            ([new FilterClause("status", FilterOperator.Eq, "online")], r => (string?)r.Values["status"] == "online"),
            ([new FilterClause("status", FilterOperator.Eq, "degraded")], r => (string?)r.Values["status"] == "degraded"),
            ([new FilterClause("status", FilterOperator.Ne, "online")], r => (string?)r.Values["status"] != "online"),
            ([new FilterClause("latency", FilterOperator.Gt, 150.0)], r => r.Values["latency"] is > 150.0),
            ([new FilterClause("name", FilterOperator.Contains, "1")], r => ((string)r.Values["name"]!).Contains('1', StringComparison.Ordinal)),
        ];
        foreach (var (clauses, match) in filters)
        {
            foreach (var sort in new[] { "latency", "lastSeen", "moving", "name", "key" })
            {
                foreach (var descending in new[] { false, true })
                {
                    var expected = Reference(rows.Where(match), sort, descending);
                    var read = new List<string>();
                    for (var offset = 0; offset <= expected.Count; offset += 23)
                    {
                        var page = await Store.Tables.QueryAsync(El, "terminals", new TableQuery(clauses, sort, descending, offset, 23), Ct);
                        Assert.Equal(expected.Count, page.Total);
                        read.AddRange(page.Rows.Select(r => r.Key));
                    }

                    Assert.True(expected.SequenceEqual(read), $"filter {string.Join(" and ", clauses.Select(c => c.ToString()))}, sort {sort} {(descending ? "desc" : "asc")}");
                }
            }
        }
    }

    /// <summary>The contract's order: by the column with rows lacking a value last, ties by key, in one direction.</summary>
    private static List<string> Reference(IEnumerable<TableRow> rows, string sort, bool descending)
    {
        var keyed = rows.Select(r => (r.Key, Value: sort == "key" ? r.Key : r.Values[sort])).ToList();
        var withValue = keyed.Where(r => r.Value is not null).ToList();
        var ordered = descending
            ? withValue.OrderByDescending(r => r.Value, ValueComparer.Instance).ThenByDescending(r => r.Key, StringComparer.Ordinal)
            : withValue.OrderBy(r => r.Value, ValueComparer.Instance).ThenBy(r => r.Key, StringComparer.Ordinal);
        var empty = keyed.Where(r => r.Value is null);
        var emptyOrdered = descending ? empty.OrderByDescending(r => r.Key, StringComparer.Ordinal) : empty.OrderBy(r => r.Key, StringComparer.Ordinal);
        return ordered.Concat(emptyOrdered).Select(r => r.Key).ToList();
    }

    private sealed class ValueComparer : IComparer<object?>
    {
        public static ValueComparer Instance { get; } = new();

        public int Compare(object? x, object? y) => (x, y) switch
        {
            (string a, string b) => string.CompareOrdinal(a, b),
            (IComparable a, _) => a.CompareTo(y),
            _ => 0,
        };
    }

    [Fact]
    public async Task QueryAsync_AfterEachWrite_TotalFollowsTheData()
    {
        await SeedAsync();
        var online = new TableQuery([new FilterClause("status", FilterOperator.Eq, "online")], "latency", false, 0, 1);

        Assert.Equal(2, (await Store.Tables.QueryAsync(El, "terminals", online, Ct)).Total);
        await Store.Tables.UpsertAsync(El, "terminals", [Partial("k2", ("status", "online"))], Ct);
        Assert.Equal(3, (await Store.Tables.QueryAsync(El, "terminals", online, Ct)).Total);
        await Store.Tables.DeleteAsync(El, "terminals", ["k1"], Ct);
        Assert.Equal(2, (await Store.Tables.QueryAsync(El, "terminals", online, Ct)).Total);
        await Store.Tables.ReplaceAsync(El, "terminals", [Partial("z", ("status", "online"))], Ct);
        Assert.Equal(1, (await Store.Tables.QueryAsync(El, "terminals", online, Ct)).Total);
    }
}
