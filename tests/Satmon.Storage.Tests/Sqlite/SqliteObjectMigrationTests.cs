using Microsoft.Data.Sqlite;
using Satmon.Core.Objects;

namespace Satmon.Storage.Tests.Sqlite;

/// <summary>
/// A database whose objects were written before schema version 5 (rows keyed by element, definition and id; change
/// log found by definition and id) is opened by this one: objects, counts and every change log read as before, and
/// writes carry on from them. The object tables did not change from version 1 to 4, so a version-2 file serves.
/// </summary>
public sealed class SqliteObjectMigrationTests : IAsyncDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 8, 0, 0, TimeSpan.Zero);
    private static readonly long Ms = T0.ToUnixTimeMilliseconds();
    private const long Hour = 3_600_000;
    private readonly SqliteTestDatabase _db = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly ObjectDefinition Services = new("services", "Services", [new FieldDefinition("name", FieldType.String)]);

    /// <summary>
    /// e1: s1 created and renamed; s2 created, deleted and created again; s3 created and deleted; c1 a carrier.
    /// e2: its own s1. Rowids are out of id order, as inserts over time leave them.
    /// </summary>
    private void CreateOldDatabase()
    {
        Version2Schema.CreateFile(_db.Path, $$$"""
            INSERT INTO objects (rowid, element_id, definition, id, fields, created_at, updated_at) VALUES
                (7, 'e1', 'services', 's1', '{"name":"One renamed"}', {{{Ms}}}, {{{Ms + Hour}}}),
                (3, 'e1', 'services', 's2', '{"name":"Two again"}', {{{Ms + 3 * Hour}}}, {{{Ms + 3 * Hour}}}),
                (5, 'e2', 'services', 's1', '{"name":"Other element"}', {{{Ms}}}, {{{Ms}}}),
                (9, 'e1', 'carriers', 'c1', '{"name":"Carrier"}', {{{Ms}}}, {{{Ms}}});
            INSERT INTO object_changes (seq, element_id, definition, object_id, time, kind, changes) VALUES
                (1, 'e1', 'services', 's1', {{{Ms}}}, 'Created', NULL),
                (2, 'e1', 'services', 's2', {{{Ms}}}, 'Created', NULL),
                (3, 'e1', 'services', 's3', {{{Ms}}}, 'Created', NULL),
                (4, 'e2', 'services', 's1', {{{Ms}}}, 'Created', NULL),
                (5, 'e1', 'carriers', 'c1', {{{Ms}}}, 'Created', NULL),
                (6, 'e1', 'services', 's1', {{{Ms + Hour}}}, 'Updated', '{"name":{"old":"\"One\"","new":"\"One renamed\""}}'),
                (7, 'e1', 'services', 's2', {{{Ms + 2 * Hour}}}, 'Deleted', NULL),
                (8, 'e1', 'services', 's3', {{{Ms + 2 * Hour}}}, 'Deleted', NULL),
                (9, 'e1', 'services', 's2', {{{Ms + 3 * Hour}}}, 'Created', NULL);
            """);
    }

    private object? Scalar(string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _db.Path, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static async Task<List<(ChangeKind Kind, DateTimeOffset Time)>> ChangesAsync(Core.Storage.ISatmonStore store, string? element, string definition, string id) =>
        (await store.Objects.GetChangesAsync(element, definition, id, 10, Ct)).Select(c => (c.Kind, c.Time)).ToList();

    [Fact]
    public async Task MigrateAsync_OldObjectTables_ObjectsCountsAndChangeLogsReadAsBefore()
    {
        CreateOldDatabase();

        await using (var store = await _db.OpenAsync())
        {
            Assert.Equal(new Dictionary<string, long> { ["services"] = 2, ["carriers"] = 1 }, await store.Objects.CountAsync("e1", Ct));
            Assert.Equal(["s1", "s2"], (await store.Objects.GetIdsAsync("e1", "services", Ct)).Order());
            var s1 = await store.Objects.GetAsync("e1", "services", "s1", Ct);
            Assert.Equal(("One renamed", T0, T0.AddHours(1)), (s1?.Fields["name"], s1?.CreatedAt, s1?.UpdatedAt));
            Assert.Equal("e1", (await store.Objects.GetAsync(null, "services", "s2", Ct))?.ElementId);
            var page = await store.Objects.QueryAsync(Services, new ObjectQuery(null, [], "id", false, 0, 10), Ct);
            Assert.Equal(3, page.Total);
            Assert.Equal([("e1", "s1"), ("e2", "s1"), ("e1", "s2")], page.Items.Select(o => (o.ElementId, o.Id)));

            var renamed = await store.Objects.GetChangesAsync("e1", "services", "s1", 10, Ct);
            Assert.Equal([ChangeKind.Updated, ChangeKind.Created], renamed.Select(c => c.Kind));
            Assert.Equal(new FieldChange("\"One\"", "\"One renamed\""), renamed[0].ChangedFields["name"]);
            Assert.Equal([(ChangeKind.Created, T0)], await ChangesAsync(store, "e2", "services", "s1"));
            Assert.Equal(3, (await ChangesAsync(store, null, "services", "s1")).Count);
            Assert.Equal(
                [(ChangeKind.Created, T0.AddHours(3)), (ChangeKind.Deleted, T0.AddHours(2)), (ChangeKind.Created, T0)],
                await ChangesAsync(store, "e1", "services", "s2"));
            Assert.Equal([(ChangeKind.Deleted, T0.AddHours(2)), (ChangeKind.Created, T0)], await ChangesAsync(store, "e1", "services", "s3"));
            Assert.Equal([(ChangeKind.Created, T0)], await ChangesAsync(store, null, "carriers", "c1"));
        }

        Assert.Equal(5L, Scalar("SELECT max(version) FROM schema_version"));
        Assert.Equal(0L, Scalar("SELECT count(*) FROM sqlite_master WHERE name IN ('objects_by_definition', 'object_changes_by_object', 'objects_v5', 'object_changes_v5')"));
    }

    [Fact]
    public async Task WriteAsync_AfterMigration_ChangeLogsContinueAndNewObjectsKeepTheirOwn()
    {
        CreateOldDatabase();
        await using (var migrated = await _db.OpenAsync())
        {
            var t = T0.AddHours(5);
            Assert.Equal(new ObjectWriteResult(2, 1, 0), await migrated.Objects.UpsertAsync("e1", "services",
                [new ObjectRecord("s3", new Dictionary<string, object?> { ["name"] = "Three again" }),
                 new ObjectRecord("s1", new Dictionary<string, object?> { ["name"] = "One, third name" }),
                 new ObjectRecord("s4", new Dictionary<string, object?> { ["name"] = "Four" })], t, Ct));
            Assert.Equal(1, await migrated.Objects.DeleteAsync("e1", "services", ["s2"], t, Ct));
        }

        // After a restart the carried-over and the new rows read as one log per object.
        await using var store = await _db.OpenAsync();
        var t5 = T0.AddHours(5);
        Assert.Equal([(ChangeKind.Updated, t5), (ChangeKind.Updated, T0.AddHours(1)), (ChangeKind.Created, T0)], await ChangesAsync(store, "e1", "services", "s1"));
        Assert.Equal([(ChangeKind.Created, t5), (ChangeKind.Deleted, T0.AddHours(2)), (ChangeKind.Created, T0)], await ChangesAsync(store, "e1", "services", "s3"));
        Assert.Equal(
            [(ChangeKind.Deleted, t5), (ChangeKind.Created, T0.AddHours(3)), (ChangeKind.Deleted, T0.AddHours(2)), (ChangeKind.Created, T0)],
            await ChangesAsync(store, "e1", "services", "s2"));
        Assert.Equal([(ChangeKind.Created, t5)], await ChangesAsync(store, "e1", "services", "s4"));
        Assert.Equal(new Dictionary<string, long> { ["services"] = 3, ["carriers"] = 1 }, await store.Objects.CountAsync("e1", Ct));
        Assert.Equal("Three again", (await store.Objects.GetAsync("e1", "services", "s3", Ct))?.Fields["name"]);
    }

    public async ValueTask DisposeAsync() => await _db.DisposeAsync();
}
