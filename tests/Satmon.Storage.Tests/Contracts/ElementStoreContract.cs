using Satmon.Core.Elements;
using Satmon.Core.History;
using Satmon.Core.Objects;
using Satmon.Core.Polling;
using Satmon.Core.Storage;
using Satmon.Core.Tables;

namespace Satmon.Storage.Tests.Contracts;

/// <summary>Elements, their cascade delete, polling rows, element state and API keys.</summary>
public abstract class ElementStoreContract : StoreContract
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 8, 0, 0, TimeSpan.Zero);

    private static readonly TableDefinition Terminals = new("terminals", "Terminals", "IMEI",
        [new ColumnDefinition("status", ColumnType.Enum), new ColumnDefinition("latency", ColumnType.Number, "ms", Trended: true)]);

    [Fact]
    public async Task Elements_CreateGetUpdateList_RoundTrip()
    {
        var settings = new Dictionary<string, string?> { ["baseUrl"] = "https://x.example", ["password"] = "enc:CfDJ8…", ["empty"] = null };
        var created = new ElementRecord("b", "Bravo", "oneweb", settings, true, ElementState.Starting, null, T0);

        Assert.True(await Store.Elements.TryCreateAsync(created, Ct));
        Assert.False(await Store.Elements.TryCreateAsync(created with { Name = "Other" }, Ct));
        Assert.True(await Store.Elements.TryCreateAsync(created with { Id = "a", Name = "alpha" }, Ct));

        var stored = await Store.Elements.GetAsync("b", Ct);
        Assert.NotNull(stored);
        Assert.Equal(("Bravo", "oneweb", true, ElementState.Starting, T0), (stored.Name, stored.Connector, stored.Enabled, stored.State, stored.CreatedAt));
        Assert.Equal(settings, stored.Settings);

        await Store.Elements.UpdateAsync(stored with { Name = "Bravo 2", Enabled = false, Settings = new Dictionary<string, string?> { ["k"] = "v" }, State = ElementState.Running }, Ct);
        await Store.Elements.SetStateAsync("a", ElementState.AuthFailed, "Vendor refused the credentials.", Ct);

        var updated = await Store.Elements.GetAsync("b", Ct);
        Assert.Equal(("Bravo 2", false, ElementState.Starting), (updated!.Name, updated.Enabled, updated.State));
        Assert.Equal(new Dictionary<string, string?> { ["k"] = "v" }, updated.Settings);
        var a = await Store.Elements.GetAsync("a", Ct);
        Assert.Equal((ElementState.AuthFailed, "Vendor refused the credentials."), (a!.State, a.StateMessage));
        // Listed by name, case-insensitively.
        Assert.Equal(["a", "b"], (await Store.Elements.ListAsync(Ct)).Select(e => e.Id));
        Assert.Null(await Store.Elements.GetAsync("missing", Ct));
    }

    [Fact]
    public async Task DeleteAsync_Element_RemovesEverythingItOwnsAndNothingElse()
    {
        await SeedElementAsync("gone");
        await SeedElementAsync("kept");

        Assert.True(await Store.Elements.DeleteAsync("gone", Ct));
        Assert.False(await Store.Elements.DeleteAsync("gone", Ct));

        await AssertEmptyAsync("gone");
        await AssertSeededAsync("kept");

        // Same after a restart: nothing was left behind in storage either.
        await ReopenAsync();
        await AssertEmptyAsync("gone");
        await AssertSeededAsync("kept");

        // The element can be created again from scratch, with an empty table.
        await Store.Tables.EnsureTableAsync("gone", Terminals, Ct);
        Assert.Equal(0, await Store.Tables.CountAsync("gone", "terminals", Ct));
    }

    private async Task SeedElementAsync(string id)
    {
        await Store.Elements.TryCreateAsync(new ElementRecord(id, id, "oneweb", new Dictionary<string, string?>(), true, ElementState.Running, null, T0), Ct);
        await Store.Tables.EnsureTableAsync(id, Terminals, Ct);
        await Store.Tables.UpsertAsync(id, "terminals", [new TableRow("t1", new Dictionary<string, object?> { ["status"] = "online", ["latency"] = 600.0 })], Ct);
        await Store.History.WriteAsync(id, [new HistoryPoint("terminals", "t1", "latency", T0, 600)], Ct);
        await Store.Objects.UpsertAsync(id, "services", [new ObjectRecord("s1", new Dictionary<string, object?> { ["name"] = "Svc" })], T0, Ct);
        await Store.Objects.DeleteAsync(id, "services", ["s1"], T0.AddMinutes(1), Ct);
        await Store.Objects.UpsertAsync(id, "services", [new ObjectRecord("s2", new Dictionary<string, object?> { ["name"] = "Svc" })], T0, Ct);
        await Store.State.SetAsync(id, "token", "enc:secret", Ct);
        await Store.Polling.SaveAsync(id, new PollTaskState("hello", true, null, PollStatus.Succeeded, null, T0, TimeSpan.FromSeconds(1), T0.AddHours(1), null), Ct);
    }

    private async Task AssertEmptyAsync(string id)
    {
        Assert.Null(await Store.Elements.GetAsync(id, Ct));
        Assert.Equal(0, await Store.Tables.CountAsync(id, "terminals", Ct));
        Assert.Null(await Store.Tables.GetAsync(id, "terminals", "t1", Ct));
        var history = await Store.History.QueryAsync(id, new HistoryQuery("terminals", "t1", "latency", T0.AddDays(-1), T0.AddDays(1), Resolution.Raw), Ct);
        Assert.Empty(history.Raw);
        var rollup = await Store.History.QueryAsync(id, new HistoryQuery("terminals", "t1", "latency", T0.AddDays(-1), T0.AddDays(1), Resolution.OneHour), Ct);
        Assert.Empty(rollup.Rollups);
        Assert.Empty(await Store.Objects.CountAsync(id, Ct));
        Assert.Empty(await Store.Objects.GetChangesAsync(id, "services", "s1", 10, Ct));
        Assert.Empty(await Store.Objects.GetChangesAsync(id, "services", "s2", 10, Ct));
        Assert.Null(await Store.State.GetAsync(id, "token", Ct));
        Assert.Empty(await Store.Polling.ListAsync(id, Ct));
    }

    private async Task AssertSeededAsync(string id)
    {
        Assert.NotNull(await Store.Elements.GetAsync(id, Ct));
        Assert.Equal(1, await Store.Tables.CountAsync(id, "terminals", Ct));
        var history = await Store.History.QueryAsync(id, new HistoryQuery("terminals", "t1", "latency", T0.AddDays(-1), T0.AddDays(1), Resolution.Raw), Ct);
        Assert.Single(history.Raw);
        Assert.Equal(1, (await Store.Objects.CountAsync(id, Ct))["services"]);
        Assert.Equal(2, (await Store.Objects.GetChangesAsync(id, "services", "s1", 10, Ct)).Count);
        Assert.Equal("enc:secret", await Store.State.GetAsync(id, "token", Ct));
        Assert.Single(await Store.Polling.ListAsync(id, Ct));
    }

    [Fact]
    public async Task Polling_SaveAndList_RoundTripsEveryFieldAndReplacesByTask()
    {
        var full = new PollTaskState("pull", false, TimeSpan.FromSeconds(90), PollStatus.Failed, "HTTP 503 from vendor",
            T0, TimeSpan.FromMilliseconds(1234), T0.AddMinutes(5), T0.AddSeconds(30));
        var empty = new PollTaskState("hello", true, null, PollStatus.NotPolled, null, null, null, null, null);

        await Store.Polling.SaveAsync("e1", full, Ct);
        await Store.Polling.SaveAsync("e1", empty, Ct);
        await Store.Polling.SaveAsync("e2", empty with { Status = PollStatus.Disabled }, Ct);

        Assert.Equal([empty, full], await Store.Polling.ListAsync("e1", Ct));

        var replaced = full with { Status = PollStatus.Succeeded, Reason = null, NotBefore = null };
        await Store.Polling.SaveAsync("e1", replaced, Ct);
        Assert.Equal([empty, replaced], await Store.Polling.ListAsync("e1", Ct));
        Assert.Equal(PollStatus.Disabled, Assert.Single(await Store.Polling.ListAsync("e2", Ct)).Status);
    }

    [Fact]
    public async Task State_SetGetOverwriteDelete_PerElementAndKey()
    {
        await Store.State.SetAsync("e1", "token", "one", Ct);
        await Store.State.SetAsync("e2", "token", "other", Ct);
        await Store.State.SetAsync("e1", "token", "two", Ct);

        Assert.Equal("two", await Store.State.GetAsync("e1", "token", Ct));
        Assert.Equal("other", await Store.State.GetAsync("e2", "token", Ct));
        Assert.Null(await Store.State.GetAsync("e1", "missing", Ct));

        await Store.State.SetAsync("e1", "token", null, Ct);
        Assert.Null(await Store.State.GetAsync("e1", "token", Ct));
        Assert.Equal("other", await Store.State.GetAsync("e2", "token", Ct));
    }

    [Fact]
    public async Task ApiKeys_SaveFindList_ByHashAndReplaceById()
    {
        var viewer = new ApiKeyRecord("k1", "dashboard", ApiKeyRole.Viewer, "ab12cd", T0);
        var op = new ApiKeyRecord("k2", "ops", ApiKeyRole.Operator, "ff00ee", T0.AddMinutes(1));
        await Store.ApiKeys.SaveAsync(viewer, Ct);
        await Store.ApiKeys.SaveAsync(op, Ct);

        Assert.Equal(viewer, await Store.ApiKeys.FindByHashAsync("ab12cd", Ct));
        Assert.Equal(op, await Store.ApiKeys.FindByHashAsync("FF00EE", Ct));
        Assert.Null(await Store.ApiKeys.FindByHashAsync("000000", Ct));

        var rotated = viewer with { Hash = "123456", Role = ApiKeyRole.Operator };
        await Store.ApiKeys.SaveAsync(rotated, Ct);
        Assert.Null(await Store.ApiKeys.FindByHashAsync("ab12cd", Ct));
        Assert.Equal(rotated, await Store.ApiKeys.FindByHashAsync("123456", Ct));
        Assert.Equal([rotated, op], await Store.ApiKeys.ListAsync(Ct));
    }
}
