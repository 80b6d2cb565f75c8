using Satmon.Connectors.SesMpower;
using Satmon.Connectors.Tests.Support;
using Satmon.Core.Polling;

namespace Satmon.Connectors.Tests.SesMpower;

/// <summary>The streaming-management subscription: reuse, renewal, and replacement without a gap.</summary>
public sealed class MpowerSubscriptionTests
{
    private static readonly TimeSpan FiveMinutes = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task Restart_StoredSubscriptionStillActive_ReusedWithoutPostOrLogin()
    {
        await using var bed = await MpowerTestBed.CreateAsync();
        var id = await bed.CreateElementAsync();
        var subscription = (await bed.GeneralAsync(id))["subscriptionId"];
        await bed.AdvanceAsync(id, FiveMinutes);

        await bed.RestartAsync(id);
        await bed.AdvanceAsync(id, FiveMinutes);

        Assert.Equal(1, bed.Requests(bed.SubscriptionPath, "POST"));
        Assert.Equal(subscription, (await bed.GeneralAsync(id))["subscriptionId"]);
        Assert.Equal(PollStatus.Succeeded, (await bed.TaskStateAsync(id, SesMpowerConnector.PullMetricsTask)).Status);
        // The stored tokens were still good: the restart cost no password login.
        Assert.Single(bed.Grants, "password");
        await MpowerExpectations.AssertHistoryMatchesFleetAsync(bed, id, MpowerTestBed.Start.AddHours(-1), bed.Time.GetUtcNow());
    }

    [Fact]
    public async Task StopStart_SameManager_SubscriptionReusedWithoutPost()
    {
        await using var bed = await MpowerTestBed.CreateAsync();
        var id = await bed.CreateElementAsync();
        var subscription = (await bed.GeneralAsync(id))["subscriptionId"];
        var lookups = bed.Requests(bed.SubscriptionPath + "/", "GET", 200);

        await bed.Manager.StopAsync(id, CancellationToken.None);
        await bed.Manager.StartAsync(id, CancellationToken.None);
        await bed.Manager.WhenIdleAsync(id);
        await bed.AdvanceAsync(id, FiveMinutes);

        Assert.Equal(1, bed.Requests(bed.SubscriptionPath, "POST"));
        // The new runtime asked the vendor once whether the stored subscription is still active.
        Assert.Equal(lookups + 1, bed.Requests(bed.SubscriptionPath + "/", "GET", 200));
        Assert.Equal(subscription, (await bed.GeneralAsync(id))["subscriptionId"]);
        Assert.Equal(PollStatus.Succeeded, (await bed.TaskStateAsync(id, SesMpowerConnector.PullMetricsTask)).Status);
    }

    [Fact]
    public async Task PmReports404_SubscriptionExpired_NewOneAndHistoryHasNoHole()
    {
        await using var bed = await MpowerTestBed.CreateAsync();
        var id = await bed.CreateElementAsync();
        await bed.AdvanceAsync(id, FiveMinutes, steps: 2);
        var first = (await bed.GeneralAsync(id))["subscriptionId"];

        Assert.Equal(1, bed.Simulator.Faults.ExpireSubscriptionsNow());
        await bed.AdvanceAsync(id, FiveMinutes, steps: 3);

        Assert.Equal(2, bed.Requests(bed.SubscriptionPath, "POST"));
        Assert.Equal(1, bed.Requests(bed.Simulator.PmReportsPath, "GET", 404));
        var general = await bed.GeneralAsync(id);
        Assert.NotEqual(first, general["subscriptionId"]);
        Assert.Equal("ACTIVE", general["subscriptionStatus"]);
        Assert.Equal(PollStatus.Succeeded, (await bed.TaskStateAsync(id, SesMpowerConnector.PullMetricsTask)).Status);
        await MpowerExpectations.AssertHistoryMatchesFleetAsync(bed, id, MpowerTestBed.Start.AddHours(-1), bed.Time.GetUtcNow(), terminals: 20);
    }

    [Fact]
    public async Task HourlyCheck_ExpiryWithinLead_RenewedAheadWithoutA404()
    {
        await using var bed = await MpowerTestBed.CreateAsync(o => o.SubscriptionTtl = TimeSpan.FromHours(3));
        var id = await bed.CreateElementAsync((SesMpowerSettingKeys.PullInterval, 1800));
        var first = (await bed.GeneralAsync(id))["subscriptionId"];

        await bed.AdvanceAsync(id, TimeSpan.FromMinutes(30), steps: 2); // 1 h: 2 h left, more than 1 h + pull interval
        Assert.Equal(first, (await bed.GeneralAsync(id))["subscriptionId"]);
        await bed.AdvanceAsync(id, TimeSpan.FromMinutes(30), steps: 2); // 2 h: 1 h left: renewed

        Assert.NotEqual(first, (await bed.GeneralAsync(id))["subscriptionId"]);
        Assert.Equal(2, bed.Requests(bed.SubscriptionPath, "POST"));
        Assert.Equal(0, bed.Requests(bed.Simulator.PmReportsPath, "GET", 404));
    }
}
