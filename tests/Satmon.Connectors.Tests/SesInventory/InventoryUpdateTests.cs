using Satmon.Connectors.SesInventory;
using Satmon.Core.Elements;
using Satmon.Core.Objects;
using Satmon.Core.Polling;
using Satmon.Simulators.SesInventory;
using D = Satmon.Connectors.SesInventory.SesInventoryDefinitions;
using VendorApi = Satmon.Simulators.SesInventory.InventoryApi;

namespace Satmon.Connectors.Tests.SesInventory;

/// <summary>Periodic updates after the build-up, services cleanup, modem status, credentials and settings.</summary>
public sealed class InventoryUpdateTests
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Update_AfterThreeDaysWithoutPolls_PicksUpOnlyTheChangesOfTheLast24Hours()
    {
        await using var bed = await InventoryTestBed.StartAsync();
        await bed.CreateElementAsync();
        var atBuildUp = await bed.ObjectsAsync(D.Carriers);
        bed.Simulator.ResetRequests();

        // One jump: the element's next carriers poll comes three days after the build-up.
        await bed.AdvanceAsync(3 * Day);

        var since = bed.Now - Day;
        var listed = bed.Listing(InventoryEntity.Carriers, InventoryFilter.None);
        var recent = listed.Where(i => i.LastUpdate >= since).ToList();
        var missed = listed.Where(i => i.LastUpdate < since && atBuildUp.TryGetValue(i.ExternalId!, out var o) && !Equals(o.Fields[D.LastUpdate], i.LastUpdate)).ToList();
        Assert.NotEmpty(recent);
        Assert.NotEmpty(missed);
        var stored = await bed.ObjectsAsync(D.Carriers);
        Assert.All(recent, i =>
        {
            Assert.Equal(i.LastUpdate, stored[i.ExternalId!].Fields[D.LastUpdate]);
            Assert.Equal(i.StatusText, stored[i.ExternalId!].Fields[D.OperationalStatus]);
        });
        Assert.All(missed, i => Assert.Equal(atBuildUp[i.ExternalId!].Fields[D.LastUpdate], stored[i.ExternalId!].Fields[D.LastUpdate]));
        Assert.Equal(atBuildUp.Keys.Union(recent.Select(i => i.ExternalId!)).ToHashSet(), stored.Keys.ToHashSet());
        Assert.All(bed.Requests(InventoryEntity.Carriers), r =>
        {
            Assert.Contains("updatedDaysAgo=0", r.Query, StringComparison.Ordinal);
            Assert.DoesNotContain("status=1", r.Query, StringComparison.Ordinal);
        });

        // The change log says what the update changed.
        var changed = recent.First(i => atBuildUp.ContainsKey(i.ExternalId!));
        var change = (await bed.ChangesAsync(D.Carriers, changed.ExternalId!))[0];
        Assert.Equal(ChangeKind.Updated, change.Kind);
        Assert.Contains(changed.LastUpdate.ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture), change.ChangedFields[D.LastUpdate].New, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_ServicesNoLongerOperational_RemovedAfterTheServicesPollWithTheirHistoryLogged()
    {
        await using var bed = await InventoryTestBed.StartAsync(o =>
        {
            o.RetiredItemsPercentPerDay = 20;
            o.GonePercentOfRetired = 0;
        });
        await bed.CreateElementAsync();
        var before = await bed.ObjectsAsync(D.Services);

        await bed.AdvanceAsync(Day);

        var retired = bed.Listing(InventoryEntity.Services, InventoryFilter.None)
            .Where(i => i.Status != InventoryStatus.Operational && i.LastUpdate >= bed.Now - Day && before.ContainsKey(i.ExternalId!))
            .ToList();
        Assert.NotEmpty(retired);
        var after = await bed.ObjectsAsync(D.Services);
        Assert.All(retired, i => Assert.DoesNotContain(i.ExternalId!, after.Keys));
        Assert.All(after.Values, o => Assert.Equal("Operational", o.Fields[D.Status]));
        Assert.True((double)(await bed.StatusAsync(D.Services))[StatusColumns.Deleted]! >= retired.Count);

        var history = await bed.ChangesAsync(D.Services, retired[0].ExternalId!);
        Assert.Equal([ChangeKind.Deleted, ChangeKind.Updated, ChangeKind.Created], history.Select(c => c.Kind));
        var status = history[1].ChangedFields[D.Status];
        Assert.Equal("\"Operational\"", status.Old);
        Assert.Equal($"\"{retired[0].StatusText}\"", status.New);
    }

    [Fact]
    public async Task Update_ModemStatusChanges_StoredModemStatusKeptOtherResourcesTakeTheNewStatus()
    {
        await using var bed = await InventoryTestBed.StartAsync(o =>
        {
            o.ModemOutagePercent = 100;
            o.RetiredItemsPercentPerDay = 20;
            o.GonePercentOfRetired = 0;
        });
        await bed.CreateElementAsync();
        var before = await bed.ObjectsAsync(D.Resources);

        await bed.AdvanceAsync(Day);

        var changed = bed.Listing(InventoryEntity.Resources, InventoryFilter.None)
            .Where(i => i.Status != InventoryStatus.Operational && i.LastUpdate >= bed.Now - Day && before.ContainsKey(i.Id))
            .ToList();
        var modems = changed.Where(i => i.Type == "Modem").ToList();
        var others = changed.Where(i => i.Type != "Modem").ToList();
        Assert.NotEmpty(modems);
        Assert.NotEmpty(others);
        var after = await bed.ObjectsAsync(D.Resources);
        Assert.All(modems, m =>
        {
            Assert.Equal(before[m.Id].Fields[D.Status], after[m.Id].Fields[D.Status]);
            Assert.Equal(m.LastUpdate, after[m.Id].Fields[D.LastUpdate]);
        });
        Assert.All(others, r => Assert.Equal(r.StatusText, after[r.Id].Fields[D.Status]));
    }

    [Fact]
    public async Task Poll_Tmf639Answers401_ElementAuthFailedNamingTmf639AndNothingDeleted()
    {
        await using var bed = await InventoryTestBed.StartAsync(o => o.RetiredItemsPercentPerDay = 10);
        await bed.CreateElementAsync();
        await bed.AdvanceAsync(3 * Day);
        var resourcesBefore = (await bed.ObjectsAsync(D.Resources)).Keys.ToHashSet();
        Assert.NotEmpty(resourcesBefore.Except(bed.ExpectedIds(InventoryEntity.Resources)));
        bed.Simulator.Faults.Unauthorized(VendorApi.Tmf639);

        await bed.Manager.ExecuteCommandAsync(bed.ElementId, SesInventoryConnector.RebuildCacheCommand, Ct);
        await bed.PollNowAsync();

        var element = await bed.Manager.GetAsync(bed.ElementId, Ct);
        Assert.Equal(ElementState.AuthFailed, element.State);
        Assert.Contains("TMF639 API refused the credentials of user 'tmf639-user'", element.StateMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("bed-pass", element.StateMessage, StringComparison.Ordinal);
        Assert.Equal(resourcesBefore, (await bed.ObjectsAsync(D.Resources)).Keys.ToHashSet());
        Assert.Equal(PollStatus.Succeeded, (await bed.TaskAsync(D.Services)).State.Status);
        Assert.Equal(PollStatus.Succeeded, (await bed.TaskAsync(D.Carriers)).State.Status);

        bed.Simulator.Faults.Clear();
        await bed.PollNowAsync(D.Resources);

        Assert.Equal(ElementState.Running, (await bed.Manager.GetAsync(bed.ElementId, Ct)).State);
        Assert.Equal(bed.ExpectedIds(InventoryEntity.Resources), (await bed.ObjectsAsync(D.Resources)).Keys.ToHashSet());
    }

    [Theory]
    [InlineData("3599")]
    [InlineData("432001")]
    public async Task Create_CacheUpdateOutsideRange_RefusedWithAClearMessage(string seconds)
    {
        await using var bed = await InventoryTestBed.StartAsync();

        var error = await Assert.ThrowsAsync<SettingsValidationException>(() =>
            bed.CreateElementAsync(new Dictionary<string, string?> { ["cacheUpdateSeconds"] = seconds }));

        Assert.Equal(
            $"'cacheUpdateSeconds' must be between 3600 and 432000 seconds; got {seconds}.",
            Assert.Single(error.Errors["cacheUpdateSeconds"]));
        Assert.Empty(await bed.Manager.ListAsync(Ct));
    }

    [Fact]
    public async Task Create_CacheUpdateSetAndProxyBypassed_EveryTaskPollsAtThatInterval()
    {
        await using var bed = await InventoryTestBed.StartAsync();

        await bed.CreateElementAsync(new Dictionary<string, string?> { ["cacheUpdateSeconds"] = "7200", ["bypassProxy"] = "true" });

        var tasks = await bed.Manager.GetPollingAsync(bed.ElementId, Ct);
        Assert.Equal([D.Services, D.Carriers, D.Resources], tasks.Select(t => t.Name));
        Assert.All(tasks, t => Assert.Equal(TimeSpan.FromHours(2), t.Interval));
        Assert.All(tasks, t => Assert.Equal(PollStatus.Succeeded, t.State.Status));
        bed.Simulator.ResetRequests();
        await bed.AdvanceAsync(TimeSpan.FromHours(1));
        Assert.Empty(bed.Simulator.InventoryRequests);
        await bed.AdvanceAsync(TimeSpan.FromHours(1));
        Assert.NotEmpty(bed.Requests(InventoryEntity.Services));
    }
}
