using Satmon.Connectors.SesInventory;
using Satmon.Core.Objects;
using Satmon.Core.Polling;
using Satmon.Simulators.SesInventory;
using D = Satmon.Connectors.SesInventory.SesInventoryDefinitions;

namespace Satmon.Connectors.Tests.SesInventory;

/// <summary>The initial cache build-up against the simulator: paging, drops, restarts, faults and the final-page cleanup.</summary>
public sealed class InventoryBuildUpTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task BuildUp_ManyPages_StoresExactlyTheOperationalListingWithoutExcludedTypes()
    {
        await using var bed = await InventoryTestBed.StartAsync();

        await bed.CreateElementAsync();

        Assert.Equal(bed.ExpectedIds(InventoryEntity.Services), (await bed.ObjectsAsync(D.Services)).Keys.ToHashSet());
        Assert.Equal(bed.ExpectedIds(InventoryEntity.Carriers), (await bed.ObjectsAsync(D.Carriers)).Keys.ToHashSet());
        var resources = await bed.ObjectsAsync(D.Resources);
        Assert.Equal(bed.ExpectedIds(InventoryEntity.Resources), resources.Keys.ToHashSet());
        Assert.Contains(bed.Listing(InventoryEntity.Resources), i => InventoryGenerator.ExcludedResourceTypes.Contains(i.Type));
        Assert.DoesNotContain(resources.Values, o => SesInventoryMapper.ExcludedResourceTypes.Contains((string)o.Fields[D.Type]!));
        Assert.True(bed.Requests(InventoryEntity.Resources).Count >= 10, "the resources took many pages");
        Assert.All(bed.Simulator.InventoryRequests, r => Assert.Contains("status=1", r.Query, StringComparison.Ordinal));
        foreach (var task in new[] { D.Services, D.Carriers, D.Resources })
        {
            Assert.Equal(PollStatus.Succeeded, (await bed.TaskAsync(task)).State.Status);
            var status = await bed.StatusAsync(task);
            Assert.Equal(StatusColumns.UpdateMode, status[StatusColumns.Mode]);
            Assert.Equal((double)(await bed.ObjectsAsync(task)).Count, status[StatusColumns.Objects]);
        }
    }

    [Fact]
    public async Task BuildUp_ResultWrappedBodiesWithTmfOffsetPaging_StoresTheSameListing()
    {
        await using var bed = await InventoryTestBed.StartAsync(o => o.WrapInResult = true);

        await bed.CreateElementAsync(new Dictionary<string, string?> { ["pagingStyle"] = "offset" });

        Assert.Equal(bed.ExpectedIds(InventoryEntity.Services), (await bed.ObjectsAsync(D.Services)).Keys.ToHashSet());
        Assert.Equal(bed.ExpectedIds(InventoryEntity.Resources), (await bed.ObjectsAsync(D.Resources)).Keys.ToHashSet());
        Assert.Contains(bed.Requests(InventoryEntity.Resources), r => r.Query.Contains("offset=40&limit=20", StringComparison.Ordinal));
    }

    [Fact]
    public async Task BuildUp_TotalExactMultipleOfPageSize_ReadsTheEmptyPageThenCompletes()
    {
        await using var bed = await InventoryTestBed.StartAsync(o => o.InitialNonOperationalPercent = 0);
        Assert.Equal(3 * InventoryTestBed.PageSize, bed.Listing(InventoryEntity.Carriers).Count);

        await bed.CreateElementAsync();

        Assert.Equal([0, 1, 2, 3], bed.Requests(InventoryEntity.Carriers).Select(r => r.Page));
        Assert.Equal(60, (await bed.ObjectsAsync(D.Carriers)).Count);
        var status = await bed.StatusAsync(D.Carriers);
        Assert.Equal(StatusColumns.UpdateMode, status[StatusColumns.Mode]);
        Assert.Equal(4.0, status[StatusColumns.PagesRead]);
    }

    [Fact]
    public async Task BuildUp_RestartAfterFailedPage_ContinuesFromThatPageWithEarlierIdsKept()
    {
        await using var bed = await InventoryTestBed.StartAsync();
        bed.Simulator.Faults.FailPage(InventoryEntity.Resources, page: 4, statusCode: 502);

        await bed.CreateElementAsync();

        var failed = await bed.TaskAsync(D.Resources);
        Assert.Equal(PollStatus.Failed, failed.State.Status);
        Assert.Contains("502", failed.State.Reason, StringComparison.Ordinal);
        Assert.Equal(5.0, (await bed.StatusAsync(D.Resources))[StatusColumns.BuildUpPage]);
        var firstFourPages = bed.Listing(InventoryEntity.Resources).Take(4 * InventoryTestBed.PageSize)
            .Where(i => !InventoryGenerator.ExcludedResourceTypes.Contains(i.Type)).Select(i => i.Id).ToHashSet();
        Assert.Equal(firstFourPages, (await bed.ObjectsAsync(D.Resources)).Keys.ToHashSet());

        await bed.RestartAsync(whileDown: () =>
        {
            bed.Simulator.Faults.Clear();
            bed.Simulator.ResetRequests();
        });

        // The restart retries the failed task at once (no poll-now needed) and it resumes at the failed page.
        Assert.Equal(4, bed.Requests(InventoryEntity.Resources)[0].Page);
        Assert.DoesNotContain(bed.Requests(InventoryEntity.Resources), r => r.Page < 4);
        // Had the ids of pages 1-4 been lost, the final-page cleanup would have removed those resources.
        Assert.Equal(bed.ExpectedIds(InventoryEntity.Resources), (await bed.ObjectsAsync(D.Resources)).Keys.ToHashSet());
        Assert.Equal(0.0, (await bed.StatusAsync(D.Resources))[StatusColumns.Deleted]);
        Assert.Equal(PollStatus.Succeeded, (await bed.TaskAsync(D.Resources)).State.Status);
    }

    [Fact]
    public async Task BuildUp_ElementStoppedMidway_RestartResumesFromTheLastCheckpointNotFromTheStart()
    {
        await using var bed = await InventoryTestBed.StartAsync();
        // Page 13 hangs on the simulator's (fake) clock, so the element is stopped in the middle of the build-up.
        bed.Simulator.Faults.Slow(TimeSpan.FromMinutes(1), InventoryEntity.Resources, page: 12);
        await bed.CreateElementAsync(wait: false);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (bed.Simulator.Faults.DelaysInProgress == 0)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(20), "the build-up never reached the slow page");
            await Task.Delay(20, Ct);
        }

        // The hung request is answered (and logged) once the clock moves; it arrived before, so it is told apart by time.
        var stoppedAt = bed.Now;
        // A run cut short by a stop is due at once after the restart: no poll-now needed.
        await bed.RestartAsync(whileDown: () => bed.Time.Advance(TimeSpan.FromMinutes(1)));

        var resumed = bed.Requests(InventoryEntity.Resources).Where(r => r.Time > stoppedAt).ToList();
        Assert.Equal(InventorySync.CheckpointPages, resumed[0].Page);
        Assert.DoesNotContain(resumed, r => r.Page < InventorySync.CheckpointPages);
        Assert.Equal(bed.ExpectedIds(InventoryEntity.Resources), (await bed.ObjectsAsync(D.Resources)).Keys.ToHashSet());
        Assert.Equal(PollStatus.Succeeded, (await bed.TaskAsync(D.Resources)).State.Status);
    }

    [Fact]
    public async Task BuildUp_DuplicateAndNullIds_FirstOccurrenceKeptOthersSkipped()
    {
        await using var bed = await InventoryTestBed.StartAsync(o =>
        {
            o.DuplicateExternalIdPercent = 10;
            o.NullExternalIdPercent = 4;
            o.EmptyExternalIdPercent = 4;
        });

        await bed.CreateElementAsync();

        foreach (var (entity, definition) in new[] { (InventoryEntity.Services, D.Services), (InventoryEntity.Carriers, D.Carriers) })
        {
            var listing = bed.Listing(entity);
            Assert.Contains(listing, i => string.IsNullOrEmpty(i.ExternalId));
            var firsts = listing.Where(i => !string.IsNullOrEmpty(i.ExternalId)).GroupBy(i => i.ExternalId!).ToDictionary(g => g.Key, g => g.First().Name);
            Assert.True(firsts.Count < listing.Count(i => !string.IsNullOrEmpty(i.ExternalId)), $"{entity} have duplicates");

            var stored = await bed.ObjectsAsync(definition);
            Assert.Equal(firsts.Keys.ToHashSet(), stored.Keys.ToHashSet());
            Assert.All(firsts, first => Assert.Equal(first.Value, stored[first.Key].Fields[D.Name]));
            Assert.Equal((double)(listing.Count - firsts.Count), (await bed.StatusAsync(definition))[StatusColumns.Dropped]);
        }
    }

    [Fact]
    public async Task BuildUp_504OnceOnPage_PageSkippedThenRetriedAtTheEnd()
    {
        await using var bed = await InventoryTestBed.StartAsync();
        bed.Simulator.Faults.FailPage(InventoryEntity.Carriers, page: 1, statusCode: 504, times: 1);

        await bed.CreateElementAsync();

        var lastPage = bed.Listing(InventoryEntity.Carriers).Count / InventoryTestBed.PageSize;
        Assert.True(lastPage >= 2);
        List<(int?, int)> expectedPages = [(0, 200), (1, 504), .. Enumerable.Range(2, lastPage - 1).Select(p => ((int?)p, 200)), (1, 200)];
        Assert.Equal(expectedPages, bed.Requests(InventoryEntity.Carriers).Select(r => (r.Page, r.StatusCode)));
        Assert.Equal(bed.ExpectedIds(InventoryEntity.Carriers), (await bed.ObjectsAsync(D.Carriers)).Keys.ToHashSet());
        var status = await bed.StatusAsync(D.Carriers);
        Assert.Equal(1.0, status[StatusColumns.PagesSkipped]);
        Assert.DoesNotContain("withheld", (string)status[StatusColumns.LastResult]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BuildUp_504EveryTimeOnPage_RestStoredAndBuildUpCompletes()
    {
        await using var bed = await InventoryTestBed.StartAsync();
        bed.Simulator.Faults.FailPage(InventoryEntity.Resources, page: 2);

        await bed.CreateElementAsync();

        var onPage2 = bed.Listing(InventoryEntity.Resources).Skip(2 * InventoryTestBed.PageSize).Take(InventoryTestBed.PageSize).Select(i => i.Id).ToHashSet();
        var expected = bed.ExpectedIds(InventoryEntity.Resources);
        expected.ExceptWith(onPage2);
        Assert.Equal(expected, (await bed.ObjectsAsync(D.Resources)).Keys.ToHashSet());
        Assert.Equal(PollStatus.Succeeded, (await bed.TaskAsync(D.Resources)).State.Status);
        var status = await bed.StatusAsync(D.Resources);
        Assert.Equal(StatusColumns.UpdateMode, status[StatusColumns.Mode]);
        Assert.Contains("Cleanup withheld: page(s) 3", (string)status[StatusColumns.LastResult]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BuildUp_502ForServices_CarriersAndResourcesStillStoredAndServicesResumeLater()
    {
        await using var bed = await InventoryTestBed.StartAsync();
        bed.Simulator.Faults.FailEntity(InventoryEntity.Services, statusCode: 502);

        await bed.CreateElementAsync();

        var services = await bed.TaskAsync(D.Services);
        Assert.Equal(PollStatus.Failed, services.State.Status);
        Assert.Contains("HTTP 502", services.State.Reason, StringComparison.Ordinal);
        Assert.Single(bed.Requests(InventoryEntity.Services));
        Assert.Empty(await bed.ObjectsAsync(D.Services));
        Assert.Equal(bed.ExpectedIds(InventoryEntity.Carriers), (await bed.ObjectsAsync(D.Carriers)).Keys.ToHashSet());
        Assert.Equal(bed.ExpectedIds(InventoryEntity.Resources), (await bed.ObjectsAsync(D.Resources)).Keys.ToHashSet());

        bed.Simulator.Faults.Clear();
        await bed.PollNowAsync(D.Services);

        Assert.Equal(bed.ExpectedIds(InventoryEntity.Services), (await bed.ObjectsAsync(D.Services)).Keys.ToHashSet());
    }

    [Fact]
    public async Task BuildUp_MalformedPage_RunEndsAndNextPollResumesThere()
    {
        await using var bed = await InventoryTestBed.StartAsync();
        bed.Simulator.Faults.Malformed(InventoryEntity.Services, page: 2);

        await bed.CreateElementAsync();

        Assert.Contains("malformed JSON", (await bed.TaskAsync(D.Services)).State.Reason, StringComparison.Ordinal);
        bed.Simulator.ResetRequests();
        await bed.PollNowAsync(D.Services);
        Assert.Equal(2, bed.Requests(InventoryEntity.Services)[0].Page);
        Assert.Equal(bed.ExpectedIds(InventoryEntity.Services), (await bed.ObjectsAsync(D.Services)).Keys.ToHashSet());
    }

    [Fact]
    public async Task RebuildCache_AfterVendorChanges_RemovesExactlyTheDeprecatedCarriersAndResourcesAndNoService()
    {
        await using var bed = await InventoryTestBed.StartAsync(o => o.RetiredItemsPercentPerDay = 10);
        await bed.CreateElementAsync();
        await bed.AdvanceAsync(TimeSpan.FromDays(5));
        var carriersBefore = (await bed.ObjectsAsync(D.Carriers)).Keys.ToHashSet();
        var resourcesBefore = (await bed.ObjectsAsync(D.Resources)).Keys.ToHashSet();
        var servicesBefore = (await bed.ObjectsAsync(D.Services)).Keys.ToHashSet();
        var deprecatedCarriers = carriersBefore.Except(bed.ExpectedIds(InventoryEntity.Carriers)).ToList();
        var deprecatedResources = resourcesBefore.Except(bed.ExpectedIds(InventoryEntity.Resources)).ToList();
        Assert.NotEmpty(deprecatedCarriers);
        Assert.NotEmpty(deprecatedResources);
        Assert.NotEmpty(servicesBefore.Except(bed.ExpectedIds(InventoryEntity.Services)));

        bed.Simulator.ResetRequests();
        var result = await bed.Manager.ExecuteCommandAsync(bed.ElementId, SesInventoryConnector.RebuildCacheCommand, Ct);
        await bed.PollNowAsync();

        Assert.True(result.Success);
        Assert.Equal(bed.ExpectedIds(InventoryEntity.Carriers), (await bed.ObjectsAsync(D.Carriers)).Keys.ToHashSet());
        Assert.Equal(bed.ExpectedIds(InventoryEntity.Resources), (await bed.ObjectsAsync(D.Resources)).Keys.ToHashSet());
        Assert.Equal((double)deprecatedCarriers.Count, (await bed.StatusAsync(D.Carriers))[StatusColumns.Deleted]);
        Assert.Equal(ChangeKind.Deleted, (await bed.ChangesAsync(D.Carriers, deprecatedCarriers[0]))[0].Kind);
        Assert.Superset(servicesBefore, (await bed.ObjectsAsync(D.Services)).Keys.ToHashSet());
        Assert.Equal(0.0, (await bed.StatusAsync(D.Services))[StatusColumns.Deleted]);
        Assert.Equal(0, bed.Requests(InventoryEntity.Carriers)[0].Page);
        Assert.All(bed.Simulator.InventoryRequests, r => Assert.Contains("status=1", r.Query, StringComparison.Ordinal));
        Assert.All(bed.Simulator.InventoryRequests, r => Assert.DoesNotContain("updatedDaysAgo", r.Query, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RebuildCache_WhileABuildUpIsInFlight_StopsItAndStartsOverFromTheFirstPage()
    {
        await using var bed = await InventoryTestBed.StartAsync();
        bed.Simulator.Faults.Slow(TimeSpan.FromMinutes(1), InventoryEntity.Resources, page: 3);
        await bed.CreateElementAsync(wait: false);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (bed.Simulator.Faults.DelaysInProgress == 0)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(20), "the build-up never reached the slow page");
            await Task.Delay(20, Ct);
        }

        var result = await bed.Manager.ExecuteCommandAsync(bed.ElementId, SesInventoryConnector.RebuildCacheCommand, Ct);
        // The hung request is answered (and logged) once the clock moves; it arrived before, so it is told apart by time.
        var rebuiltAt = bed.Now;
        await bed.AdvanceAsync(TimeSpan.FromMinutes(1));
        await bed.PollNowAsync();

        Assert.True(result.Success);
        Assert.Equal(0, bed.Requests(InventoryEntity.Resources).First(r => r.Time > rebuiltAt).Page);
        Assert.Equal(bed.ExpectedIds(InventoryEntity.Resources), (await bed.ObjectsAsync(D.Resources)).Keys.ToHashSet());
        Assert.Equal(StatusColumns.UpdateMode, (await bed.StatusAsync(D.Resources))[StatusColumns.Mode]);
    }

    [Fact]
    public async Task RebuildCache_WithAPageSkippedEveryTime_DeletesNothing()
    {
        await using var bed = await InventoryTestBed.StartAsync(o => o.RetiredItemsPercentPerDay = 10);
        await bed.CreateElementAsync();
        await bed.AdvanceAsync(TimeSpan.FromDays(5));
        var carriersBefore = (await bed.ObjectsAsync(D.Carriers)).Keys.ToHashSet();
        Assert.NotEmpty(carriersBefore.Except(bed.ExpectedIds(InventoryEntity.Carriers)));
        bed.Simulator.Faults.FailPage(InventoryEntity.Carriers, page: 0);

        await bed.Manager.ExecuteCommandAsync(bed.ElementId, SesInventoryConnector.RebuildCacheCommand, Ct);
        await bed.PollNowAsync(D.Carriers);

        Assert.Superset(carriersBefore, (await bed.ObjectsAsync(D.Carriers)).Keys.ToHashSet());
        var status = await bed.StatusAsync(D.Carriers);
        Assert.Equal(0.0, status[StatusColumns.Deleted]);
        Assert.Equal(StatusColumns.UpdateMode, status[StatusColumns.Mode]);
        Assert.Contains("Cleanup withheld", (string)status[StatusColumns.LastResult]!, StringComparison.Ordinal);
    }
}
