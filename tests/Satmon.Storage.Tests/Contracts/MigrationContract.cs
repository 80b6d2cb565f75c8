using Satmon.Core.Elements;
using Satmon.Core.Tables;

namespace Satmon.Storage.Tests.Contracts;

public abstract class MigrationContract : StoreContract
{
    private static readonly DateTimeOffset Created = new(2026, 11, 2, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task MigrateAsync_CalledAgain_KeepsSchemaAndData()
    {
        await Store.Elements.TryCreateAsync(Element("a"), Ct);

        await Store.MigrateAsync(Ct);
        await Store.MigrateAsync(Ct);

        Assert.Equal(["a"], (await Store.Elements.ListAsync(Ct)).Select(e => e.Id));
        Assert.True(await Store.Elements.TryCreateAsync(Element("b"), Ct));
    }

    [Fact]
    public async Task Reopen_AfterWrites_DataAndTablesStillThere()
    {
        var table = new TableDefinition("terminals", "Terminals", "IMEI", [new ColumnDefinition("latency", ColumnType.Number)]);
        await Store.Elements.TryCreateAsync(Element("a"), Ct);
        await Store.Tables.EnsureTableAsync("a", table, Ct);
        await Store.Tables.UpsertAsync("a", "terminals", [new TableRow("t1", new Dictionary<string, object?> { ["latency"] = 512.5 })], Ct);
        await Store.State.SetAsync("a", "cursor", "42", Ct);

        await ReopenAsync();

        Assert.Equal("a", (await Store.Elements.GetAsync("a", Ct))?.Id);
        Assert.Equal("42", await Store.State.GetAsync("a", "cursor", Ct));
        // The table is readable before anyone ensures it again: its registry survives the restart.
        var row = await Store.Tables.GetAsync("a", "terminals", "t1", Ct);
        Assert.Equal(512.5, row?.Values["latency"]);
    }

    [Fact]
    public async Task CheckHealthAsync_MigratedStore_Succeeds()
    {
        await Store.CheckHealthAsync(Ct);
        Assert.False(string.IsNullOrEmpty(Store.Provider));
    }

    private static ElementRecord Element(string id) =>
        new(id, "Element " + id, "oneweb", new Dictionary<string, string?>(), true, ElementState.Starting, null, Created);
}
