using Satmon.Core.Objects;
using Satmon.Core.Tables;

namespace Satmon.Storage.Tests.Contracts;

/// <summary>Object store: write counts, change log, typed reads, queries over fields.</summary>
public abstract class ObjectStoreContract : StoreContract
{
    private const string El = "e1";
    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 8, 0, 0, TimeSpan.Zero);

    private static readonly ObjectDefinition Services = new("services", "Services",
    [
        new FieldDefinition("name", FieldType.String),
        new FieldDefinition("status", FieldType.String),
        new FieldDefinition("bandwidth", FieldType.Number),
        new FieldDefinition("startDate", FieldType.Timestamp),
        new FieldDefinition("managed", FieldType.Bool),
        new FieldDefinition("characteristics", FieldType.Json),
    ]);

    private static ObjectRecord Service(string id, string? name, string? status = "Operational", double? bandwidth = null, DateTimeOffset? start = null, bool? managed = null) =>
        new(id, new Dictionary<string, object?>
        {
            ["name"] = name, ["status"] = status, ["bandwidth"] = bandwidth, ["startDate"] = start, ["managed"] = managed,
            ["characteristics"] = """[{"name":"vlan","value":"101"}]""",
        });

    private Task<ObjectPage> QueryAsync(string? element, IReadOnlyList<FilterClause> filters, string? sort = null, bool descending = false, int offset = 0, int limit = 100) =>
        Store.Objects.QueryAsync(Services, new ObjectQuery(element, filters, sort, descending, offset, limit), Ct);

    [Fact]
    public async Task UpsertAsync_NewChangedAndSameObjects_CountedAndLogged()
    {
        var first = await Store.Objects.UpsertAsync(El, "services", [Service("s1", "One", bandwidth: 10), Service("s2", "Two")], T0, Ct);
        Assert.Equal(new ObjectWriteResult(2, 0, 0), first);

        var second = await Store.Objects.UpsertAsync(El, "services",
            [Service("s1", "One", status: "Retired", bandwidth: 20), Service("s2", "Two"), Service("s3", "Three")], T0.AddHours(1), Ct);
        Assert.Equal(new ObjectWriteResult(1, 1, 1), second);

        var changes = await Store.Objects.GetChangesAsync(El, "services", "s1", 10, Ct);
        Assert.Equal([ChangeKind.Updated, ChangeKind.Created], changes.Select(c => c.Kind));
        Assert.Equal(T0.AddHours(1), changes[0].Time);
        Assert.Equal(new Dictionary<string, FieldChange>
        {
            ["status"] = new("\"Operational\"", "\"Retired\""),
            ["bandwidth"] = new("10", "20"),
        }, changes[0].ChangedFields);
        Assert.Empty(changes[1].ChangedFields);
        Assert.Single(await Store.Objects.GetChangesAsync(El, "services", "s2", 10, Ct));

        var s1 = await Store.Objects.GetAsync(El, "services", "s1", Ct);
        Assert.Equal((T0, T0.AddHours(1)), (s1!.CreatedAt, s1.UpdatedAt));
        var s2 = await Store.Objects.GetAsync(El, "services", "s2", Ct);
        Assert.Equal((T0, T0), (s2!.CreatedAt, s2.UpdatedAt));
    }

    [Fact]
    public async Task UpsertAsync_FieldRemovedOrNulled_IsAChangeButNullEqualsAbsent()
    {
        await Store.Objects.UpsertAsync(El, "services", [new ObjectRecord("s1", new Dictionary<string, object?> { ["name"] = "One", ["note"] = null })], T0, Ct);

        var same = await Store.Objects.UpsertAsync(El, "services", [new ObjectRecord("s1", new Dictionary<string, object?> { ["name"] = "One" })], T0, Ct);
        Assert.Equal(new ObjectWriteResult(0, 0, 1), same);

        var removed = await Store.Objects.UpsertAsync(El, "services", [new ObjectRecord("s1", new Dictionary<string, object?> { ["name"] = null })], T0, Ct);
        Assert.Equal(new ObjectWriteResult(0, 1, 0), removed);
        var change = (await Store.Objects.GetChangesAsync(El, "services", "s1", 1, Ct))[0];
        Assert.Equal(new FieldChange("\"One\"", null), change.ChangedFields["name"]);
    }

    [Fact]
    public async Task DeleteAsync_Ids_CountsExistingAndLogsDeletion()
    {
        await Store.Objects.UpsertAsync(El, "services", [Service("s1", "One"), Service("s2", "Two")], T0, Ct);

        Assert.Equal(1, await Store.Objects.DeleteAsync(El, "services", ["s1", "missing"], T0.AddDays(1), Ct));

        Assert.Null(await Store.Objects.GetAsync(El, "services", "s1", Ct));
        var changes = await Store.Objects.GetChangesAsync(null, "services", "s1", 10, Ct);
        Assert.Equal([(ChangeKind.Deleted, T0.AddDays(1)), (ChangeKind.Created, T0)], changes.Select(c => (c.Kind, c.Time)));
        Assert.Empty(await Store.Objects.GetChangesAsync(El, "services", "missing", 10, Ct));
        Assert.Equal(["s2"], await Store.Objects.GetIdsAsync(El, "services", Ct));
    }

    [Fact]
    public async Task UpsertAsync_IdTwiceInOneBatch_SecondComparedWithFirst()
    {
        var result = await Store.Objects.UpsertAsync(El, "services", [Service("s1", "First"), Service("s1", "Second"), Service("s1", "Second")], T0, Ct);

        Assert.Equal(new ObjectWriteResult(1, 1, 1), result);
        Assert.Equal("Second", (await Store.Objects.GetAsync(El, "services", "s1", Ct))?.Fields["name"]);
        var changes = await Store.Objects.GetChangesAsync(El, "services", "s1", 10, Ct);
        Assert.Equal([ChangeKind.Updated, ChangeKind.Created], changes.Select(c => c.Kind));
        Assert.Equal(new FieldChange("\"First\"", "\"Second\""), changes[0].ChangedFields["name"]);
        Assert.Equal(new Dictionary<string, long> { ["services"] = 1 }, await Store.Objects.CountAsync(El, Ct));
    }

    [Fact]
    public async Task GetChangesAsync_DeletedAndCreatedAgain_ReturnsBothLivesOfThatObjectOnly()
    {
        await Store.Objects.UpsertAsync("e2", "services", [Service("s1", "Other element")], T0, Ct);
        await Store.Objects.UpsertAsync(El, "services", [Service("s1", "One"), Service("s2", "Two")], T0, Ct);
        Assert.Equal(2, await Store.Objects.DeleteAsync(El, "services", ["s1", "s2"], T0.AddHours(1), Ct));
        // Written after s2 went: a store that numbers objects may hand out s2's number again.
        await Store.Objects.UpsertAsync(El, "services", [Service("s3", "Three")], T0.AddHours(2), Ct);
        var created = await Store.Objects.UpsertAsync(El, "services", [Service("s1", "One again")], T0.AddHours(3), Ct);
        await Store.Objects.UpsertAsync(El, "services", [Service("s1", "One renamed")], T0.AddHours(4), Ct);

        Assert.Equal(new ObjectWriteResult(1, 0, 0), created);
        var s1 = await Store.Objects.GetChangesAsync(El, "services", "s1", 10, Ct);
        Assert.Equal(
            [(ChangeKind.Updated, T0.AddHours(4)), (ChangeKind.Created, T0.AddHours(3)), (ChangeKind.Deleted, T0.AddHours(1)), (ChangeKind.Created, T0)],
            s1.Select(c => (c.Kind, c.Time)));
        Assert.Equal(new FieldChange("\"One again\"", "\"One renamed\""), s1[0].ChangedFields["name"]);
        Assert.Equal(2, (await Store.Objects.GetChangesAsync(El, "services", "s1", 2, Ct)).Count);
        Assert.Equal(5, (await Store.Objects.GetChangesAsync(null, "services", "s1", 10, Ct)).Count);
        Assert.Equal([ChangeKind.Created], (await Store.Objects.GetChangesAsync("e2", "services", "s1", 10, Ct)).Select(c => c.Kind));
        Assert.Equal([ChangeKind.Deleted, ChangeKind.Created], (await Store.Objects.GetChangesAsync(El, "services", "s2", 10, Ct)).Select(c => c.Kind));
        Assert.Equal([ChangeKind.Created], (await Store.Objects.GetChangesAsync(El, "services", "s3", 10, Ct)).Select(c => c.Kind));
        Assert.Equal(["s1", "s3"], (await Store.Objects.GetIdsAsync(El, "services", Ct)).Order());
        Assert.Equal(new ObjectWriteResult(0, 0, 1), await Store.Objects.UpsertAsync(El, "services", [Service("s1", "One renamed")], T0.AddHours(5), Ct));
    }

    [Fact]
    public async Task GetAsync_WithoutDefinition_ReturnsJsonNaturalTypes_QueryReturnsTypedFields()
    {
        await Store.Objects.UpsertAsync(El, "services", [Service("s1", "One", bandwidth: 12.5, start: T0.ToOffset(TimeSpan.FromHours(2)), managed: true)], T0, Ct);

        var raw = await Store.Objects.GetAsync(null, "services", "s1", Ct);
        Assert.NotNull(raw);
        Assert.Equal((El, "services", "s1"), (raw.ElementId, raw.Definition, raw.Id));
        Assert.Equal(12.5, raw.Fields["bandwidth"]);
        Assert.Equal(true, raw.Fields["managed"]);
        Assert.Equal(T0, DateTimeOffset.Parse((string)raw.Fields["startDate"]!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("""[{"name":"vlan","value":"101"}]""", raw.Fields["characteristics"]);

        var typed = Assert.Single((await QueryAsync(El, [])).Items);
        Assert.Equal(T0, typed.Fields["startDate"]);
        Assert.Equal(12.5, typed.Fields["bandwidth"]);
        Assert.Equal(true, typed.Fields["managed"]);
        Assert.Equal("""[{"name":"vlan","value":"101"}]""", typed.Fields["characteristics"]);
    }

    [Fact]
    public async Task QueryAsync_FiltersOnEveryFieldType_MatchTheRightObjects()
    {
        await Store.Objects.UpsertAsync(El, "services",
        [
            Service("s1", "Maritime Gold", "Operational", 100, T0, true),
            Service("s2", "aero silver", "Retired", 50, T0.AddDays(1), false),
            Service("s3", "Rig 100%", "Operational", null, T0.AddDays(2), null),
        ], T0, Ct);
        await Store.Objects.UpsertAsync("e2", "services", [Service("s9", "Other element", "Operational", 75, T0, true)], T0, Ct);

        async Task<List<string>> Ids(string? element, params FilterClause[] filters) => (await QueryAsync(element, filters, "id")).Items.Select(o => o.Id).ToList();

        Assert.Equal(["s1", "s3"], await Ids(El, new FilterClause("status", FilterOperator.Eq, "Operational")));
        Assert.Equal(["s2", "s3"], await Ids(El, new FilterClause("managed", FilterOperator.Ne, true)));
        Assert.Equal(["s1"], await Ids(El, new FilterClause("managed", FilterOperator.Eq, true)));
        Assert.Equal(["s1", "s9"], await Ids(null, new FilterClause("bandwidth", FilterOperator.Gt, 60.0)));
        Assert.Equal(["s2"], await Ids(El, new FilterClause("bandwidth", FilterOperator.Lt, "60")));
        Assert.Equal(["s2", "s3"], await Ids(El, new FilterClause("startDate", FilterOperator.Gt, T0)));
        Assert.Equal(["s1"], await Ids(El, new FilterClause("startDate", FilterOperator.Lt, T0.AddHours(1))));
        Assert.Equal(["s1"], await Ids(El, new FilterClause("name", FilterOperator.Contains, "GOLD"), new FilterClause("id", FilterOperator.Eq, "s1")));
        Assert.Equal(["s3"], await Ids(El, new FilterClause("name", FilterOperator.Contains, "100%")));
        Assert.Equal(["s3"], await Ids(El, new FilterClause("characteristics", FilterOperator.Contains, "vlan"), new FilterClause("id", FilterOperator.Gt, "s2")));
        Assert.Empty(await Ids(El, new FilterClause("name", FilterOperator.Eq, "x' OR 1=1 --")));
        await Assert.ThrowsAsync<ArgumentException>(() => QueryAsync(El, [new FilterClause("fields) OR (1", FilterOperator.Eq, "x")]));
    }

    [Fact]
    public async Task QueryAsync_SortAndPaging_NullsLastWithTotal()
    {
        await Store.Objects.UpsertAsync(El, "services",
            Enumerable.Range(1, 12).Select(i => Service($"s{i:00}", $"Svc {i}", bandwidth: i % 4 == 0 ? null : i * 10)).ToList(), T0, Ct);

        var asc = await QueryAsync(El, [], "bandwidth", offset: 0, limit: 12);
        Assert.Equal(["s01", "s02", "s03", "s05", "s06", "s07", "s09", "s10", "s11", "s04", "s08", "s12"], asc.Items.Select(o => o.Id));

        var desc = await QueryAsync(El, [], "bandwidth", descending: true, offset: 0, limit: 4);
        Assert.Equal(["s11", "s10", "s09", "s07"], desc.Items.Select(o => o.Id));
        Assert.Equal(12, desc.Total);

        var page = await QueryAsync(El, [new FilterClause("bandwidth", FilterOperator.Gt, 25.0)], "id", offset: 2, limit: 3);
        Assert.Equal(7, page.Total);
        Assert.Equal(["s06", "s07", "s09"], page.Items.Select(o => o.Id));
    }

    [Fact]
    public async Task CountAndIds_PerDefinitionAndElement()
    {
        await Store.Objects.UpsertAsync(El, "services", [Service("a", "A"), Service("b", "B")], T0, Ct);
        await Store.Objects.UpsertAsync(El, "carriers", [new ObjectRecord("c", new Dictionary<string, object?>())], T0, Ct);
        await Store.Objects.UpsertAsync("e2", "services", [Service("z", "Z")], T0, Ct);

        Assert.Equal(new Dictionary<string, long> { ["services"] = 2, ["carriers"] = 1 }, await Store.Objects.CountAsync(El, Ct));
        Assert.Equal(["a", "b"], (await Store.Objects.GetIdsAsync(El, "services", Ct)).Order());
        Assert.Empty(await Store.Objects.CountAsync("e3", Ct));
        Assert.Equal("e2", (await Store.Objects.GetAsync(null, "services", "z", Ct))?.ElementId);
        Assert.Null(await Store.Objects.GetAsync(El, "services", "z", Ct));
    }

    [Fact]
    public async Task GetChangesAsync_Limit_ReturnsNewestFirst()
    {
        for (var i = 0; i < 5; i++)
        {
            await Store.Objects.UpsertAsync(El, "services", [Service("s1", "Name " + i)], T0.AddMinutes(i), Ct);
        }

        var changes = await Store.Objects.GetChangesAsync(El, "services", "s1", 2, Ct);

        Assert.Equal([T0.AddMinutes(4), T0.AddMinutes(3)], changes.Select(c => c.Time));
        Assert.Equal(new FieldChange("\"Name 3\"", "\"Name 4\""), changes[0].ChangedFields["name"]);
    }
}
