using Satmon.Connectors.OneWeb;
using Satmon.Core.Elements;
using Satmon.Core.Polling;

namespace Satmon.Connectors.Tests.OneWeb;

public sealed class OneWebPollingTests
{
    private const string TerminalPath = "/resourceInventory/v3/userTerminal";
    private const string ProductPath = "/api/webservices/productinventory/v2/product";
    private const string OrganizationPath = "/partyManagement/v4/organization";
    private const string SitePath = "/geographicSiteManagement/v4/geographicSite";

    [Fact]
    public async Task PollingManager_DefaultIntervals_AreThoseOfTheSpec()
    {
        await using var harness = await OneWebHarness.StartAsync();
        await harness.CreateElementAsync();

        var expected = new Dictionary<string, TimeSpan>
        {
            [OneWebTasks.Hello] = TimeSpan.FromHours(1),
            [OneWebTasks.UserTerminals] = TimeSpan.FromMinutes(5),
            [OneWebTasks.Products] = TimeSpan.FromHours(1),
            [OneWebTasks.Organizations] = TimeSpan.FromHours(24),
            [OneWebTasks.Sites] = TimeSpan.FromHours(24),
            [OneWebTasks.TerminalPerformance] = TimeSpan.FromMinutes(15),
            [OneWebTasks.ProductPerformance] = TimeSpan.FromHours(1),
            [OneWebTasks.UsageConsumption] = TimeSpan.FromMinutes(30),
        };
        var rows = await harness.Manager.GetPollingAsync(harness.ElementId, TestContext.Current.CancellationToken);
        Assert.Equal(expected.OrderBy(e => e.Key), rows.Select(r => KeyValuePair.Create(r.Name, r.DefaultInterval)).OrderBy(e => e.Key));
        Assert.All(rows.Where(r => r.Name != OneWebTasks.Hello), r => Assert.Equal(OneWebTasks.Hello, r.DependsOn));
    }

    [Fact]
    public async Task PollingManager_DisableChangeIntervalAndPollNow_AreObeyed()
    {
        await using var harness = await OneWebHarness.StartAsync();
        await harness.CreateElementAsync();
        var ct = TestContext.Current.CancellationToken;
        var sites = await harness.Manager.UpdatePollingAsync(harness.ElementId, OneWebTasks.Sites, false, null, false, ct);
        await harness.Manager.UpdatePollingAsync(harness.ElementId, OneWebTasks.Organizations, null, TimeSpan.FromMinutes(10), false, ct);
        Assert.Equal(PollStatus.Disabled, sites.State.Status);
        harness.Simulator.ResetRequests();

        await harness.AdvanceInStepsAsync(TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(5));
        Assert.Equal(1, harness.Simulator.RequestCount(OrganizationPath));
        Assert.Equal(2, harness.Simulator.RequestCount(TerminalPath));

        await harness.AdvanceAsync(TimeSpan.FromHours(24));
        Assert.Equal(0, harness.Simulator.RequestCount(SitePath));
        Assert.Equal(PollStatus.Disabled, (await harness.TaskAsync(OneWebTasks.Sites)).State.Status);

        var products = harness.Simulator.RequestCount(ProductPath);
        await harness.PollNowAsync(OneWebTasks.Products);
        Assert.Equal(products + 1, harness.Simulator.RequestCount(ProductPath));
        Assert.Equal(PollStatus.Succeeded, (await harness.TaskAsync(OneWebTasks.Products)).State.Status);
    }

    [Fact]
    public async Task Task_Vendor5xx_FailsWithReasonAndRecoversAtNextPoll()
    {
        await using var harness = await OneWebHarness.StartAsync();
        await harness.CreateElementAsync();
        harness.Simulator.Faults.FailNext(503, pathPrefix: ProductPath);

        await harness.PollNowAsync(OneWebTasks.Products);

        var failed = await harness.TaskAsync(OneWebTasks.Products);
        Assert.Equal(PollStatus.Failed, failed.State.Status);
        Assert.Contains("Products", failed.State.Reason, StringComparison.Ordinal);
        Assert.Contains("HTTP 503", failed.State.Reason, StringComparison.Ordinal);
        var element = await harness.ElementAsync();
        Assert.Equal(ElementState.Degraded, element.State);
        Assert.Contains(OneWebTasks.Products, element.StateMessage, StringComparison.Ordinal);

        await harness.PollNowAsync(OneWebTasks.Products);

        var recovered = await harness.TaskAsync(OneWebTasks.Products);
        Assert.Equal(PollStatus.Succeeded, recovered.State.Status);
        Assert.Null(recovered.State.Reason);
        Assert.Equal(ElementState.Running, (await harness.ElementAsync()).State);
    }

    [Fact]
    public async Task RateLimit_429_HonouredByEveryTaskWithoutBurstAfter()
    {
        await using var harness = await OneWebHarness.StartAsync();
        await harness.CreateElementAsync();
        harness.Simulator.ResetRequests();
        harness.Simulator.Faults.RateLimitNext(TimeSpan.FromSeconds(90), pathPrefix: TerminalPath);
        var limitedAt = harness.Time.GetUtcNow();

        await harness.PollNowAsync(OneWebTasks.UserTerminals);

        var limited = await harness.TaskAsync(OneWebTasks.UserTerminals);
        Assert.Equal(PollStatus.Failed, limited.State.Status);
        Assert.Contains("429", limited.State.Reason, StringComparison.Ordinal);
        Assert.Equal(limitedAt + TimeSpan.FromSeconds(90), limited.State.NotBefore);

        // Neither the limited task nor another task sends anything while the vendor's wait holds.
        await harness.PollNowAsync(OneWebTasks.UserTerminals);
        await harness.PollNowAsync(OneWebTasks.Products);
        await harness.AdvanceAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(1, harness.Simulator.RequestCount(TerminalPath));
        Assert.Equal(0, harness.Simulator.RequestCount(ProductPath));
        Assert.Contains("rate limit", (await harness.TaskAsync(OneWebTasks.Products)).State.Reason, StringComparison.Ordinal);

        await harness.AdvanceAsync(TimeSpan.FromSeconds(30));

        // After the wait the held poll-now runs once (two asks, one request): no burst of retries. The refused task
        // counts as a failed run, so it comes back at its own interval, as after any failure.
        Assert.Equal(2, harness.Simulator.RequestCount(TerminalPath));
        Assert.Equal(PollStatus.Succeeded, (await harness.TaskAsync(OneWebTasks.UserTerminals)).State.Status);
        Assert.All(harness.Simulator.Requests, r => Assert.True(r.Time >= limitedAt + TimeSpan.FromSeconds(90) || r.StatusCode == 429,
            $"{r.Method} {r.Path} sent at {r.Time:O} inside the rate-limit wait"));
        Assert.Equal(0, harness.Simulator.RequestCount(ProductPath));

        await harness.AdvanceAsync(TimeSpan.FromHours(1) - TimeSpan.FromSeconds(90));
        Assert.Equal(1, harness.Simulator.RequestCount(ProductPath));
        Assert.Equal(PollStatus.Succeeded, (await harness.TaskAsync(OneWebTasks.Products)).State.Status);
    }
}
