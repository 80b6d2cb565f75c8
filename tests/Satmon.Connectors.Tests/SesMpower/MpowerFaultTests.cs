using Satmon.Connectors.SesMpower;
using Satmon.Connectors.Tests.Support;
using Satmon.Core.Polling;

namespace Satmon.Connectors.Tests.SesMpower;

/// <summary>Vendor faults: the poll fails with a reason, nothing stored is lost, and the next poll recovers.</summary>
public sealed class MpowerFaultTests
{
    private static readonly TimeSpan FiveMinutes = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task TooManyRequests_RetryAfter_NoCallBeforeItThenRecovers()
    {
        await using var bed = await MpowerTestBed.CreateAsync();
        var id = await bed.CreateElementAsync();
        bed.Simulator.Faults.TooManyRequests(TimeSpan.FromMinutes(12), pathPrefix: bed.Simulator.PmReportsPath);

        await bed.AdvanceAsync(id, FiveMinutes);
        var failed = await bed.TaskStateAsync(id, SesMpowerConnector.PullMetricsTask);
        Assert.Equal(PollStatus.Failed, failed.Status);
        Assert.Contains("HTTP 429", failed.Reason, StringComparison.Ordinal);
        Assert.Equal(bed.Time.GetUtcNow().AddMinutes(12), failed.NotBefore);
        var calls = bed.Simulator.PmReportsCalls.Count;

        await bed.AdvanceAsync(id, FiveMinutes, steps: 2); // the interval passes twice, Retry-After not yet
        await bed.Manager.PollNowAsync(id, SesMpowerConnector.PullMetricsTask, CancellationToken.None);
        await bed.Manager.WhenIdleAsync(id);
        Assert.Equal(calls, bed.Simulator.PmReportsCalls.Count);

        await bed.AdvanceAsync(id, TimeSpan.FromMinutes(2));
        Assert.Equal(PollStatus.Succeeded, (await bed.TaskStateAsync(id, SesMpowerConnector.PullMetricsTask)).Status);
        await MpowerExpectations.AssertHistoryMatchesFleetAsync(bed, id, MpowerTestBed.Start.AddHours(-1), bed.Time.GetUtcNow());
    }

    [Fact]
    public async Task ServerErrorOnSecondPage_TaskFailedNamingTheCall_FirstPageKeptAndNextPollRecovers()
    {
        await using var bed = await MpowerTestBed.CreateAsync();
        var id = await bed.CreateElementAsync();

        var before = await FailSecondPageAsync(bed, id, () => bed.Simulator.Faults.RespondWithStatus(500, pathPrefix: bed.Simulator.PmReportsPath));

        var failed = await bed.TaskStateAsync(id, SesMpowerConnector.PullMetricsTask);
        Assert.Equal(PollStatus.Failed, failed.Status);
        Assert.Contains("GET pm-reports", failed.Reason, StringComparison.Ordinal);
        Assert.Contains("offset 50", failed.Reason, StringComparison.Ordinal);
        Assert.Contains("HTTP 500", failed.Reason, StringComparison.Ordinal);
        Assert.Contains("internalError", failed.Reason, StringComparison.Ordinal);
        Assert.StartsWith("Failed: ", (string?)(await bed.GeneralAsync(id))["lastPullStatus"], StringComparison.Ordinal);
        Assert.True(await LatencyPointsAsync(bed, id) > before, "The first page was not kept.");
        await AssertRecoversAsync(bed, id);
    }

    [Fact]
    public async Task MalformedJsonOnSecondPage_TaskFailedNamingTheCall_NextPollRecovers()
    {
        await using var bed = await MpowerTestBed.CreateAsync();
        var id = await bed.CreateElementAsync();

        await FailSecondPageAsync(bed, id, () => bed.Simulator.Faults.MalformedPmReports());

        var failed = await bed.TaskStateAsync(id, SesMpowerConnector.PullMetricsTask);
        Assert.Equal(PollStatus.Failed, failed.Status);
        Assert.Contains("GET pm-reports", failed.Reason, StringComparison.Ordinal);
        Assert.Contains("malformed JSON", failed.Reason, StringComparison.Ordinal);
        await AssertRecoversAsync(bed, id);
    }

    [Fact]
    public async Task DuplicatesAcrossPages_StoredOnce_NothingSkipped()
    {
        await using var bed = await MpowerTestBed.CreateAsync();
        bed.Simulator.Faults.DuplicateAcrossPages(messages: 3, count: 10);

        var id = await bed.CreateElementAsync((SesMpowerSettingKeys.PageSize, 7));
        Assert.Contains("30 duplicates", (string?)(await bed.GeneralAsync(id))["lastPullStatus"], StringComparison.Ordinal);
        await bed.AdvanceAsync(id, FiveMinutes);

        Assert.Equal(PollStatus.Succeeded, (await bed.TaskStateAsync(id, SesMpowerConnector.PullMetricsTask)).Status);
        await MpowerExpectations.AssertHistoryMatchesFleetAsync(bed, id, MpowerTestBed.Start.AddHours(-1), bed.Time.GetUtcNow(), terminals: 20);
    }

    [Fact]
    public async Task SlowVendor_NoAnswerWithinRequestTimeout_TaskFailedAsTimeout()
    {
        await using var bed = await MpowerTestBed.CreateAsync();
        var id = await bed.CreateElementAsync((SesMpowerSettingKeys.RequestTimeout, 10));
        bed.Simulator.Faults.Slow(TimeSpan.FromSeconds(20), pathPrefix: bed.Simulator.PmReportsPath);

        bed.Time.Advance(FiveMinutes);
        await Wait.Until(() => bed.Simulator.Faults.DelaysInProgress == 1);
        bed.Time.Advance(TimeSpan.FromSeconds(10));
        await bed.Manager.WhenIdleAsync(id);

        var failed = await bed.TaskStateAsync(id, SesMpowerConnector.PullMetricsTask);
        Assert.Equal(PollStatus.Failed, failed.Status);
        Assert.Contains("GET pm-reports", failed.Reason, StringComparison.Ordinal);
        Assert.Contains("timed out", failed.Reason, StringComparison.Ordinal);
        bed.Time.Advance(TimeSpan.FromSeconds(10)); // let the simulator's held request end
        await AssertRecoversAsync(bed, id);
    }

    /// <summary>
    /// Runs a pull of three pages whose second page meets <paramref name="inject"/>: the pages are held one after the
    /// other in a one-second delay, and the fault is queued while the second one waits (a fault is taken after the
    /// delay of the same request). Returns the latency points of the first terminal stored before that pull.
    /// </summary>
    private static async Task<int> FailSecondPageAsync(MpowerTestBed bed, string id, Action inject)
    {
        var before = await LatencyPointsAsync(bed, id);
        var calls = bed.Simulator.PmReportsCalls.Count;
        bed.Simulator.Faults.Slow(TimeSpan.FromSeconds(1), count: 2, pathPrefix: bed.Simulator.PmReportsPath);

        // 30 minutes in one step: one pull covering 20 terminals × 6-7 samples = 3 pages of 50.
        bed.Time.Advance(TimeSpan.FromMinutes(30));
        await Wait.Until(() => bed.Simulator.Faults.DelaysInProgress == 1);
        bed.Time.Advance(TimeSpan.FromSeconds(1));
        await Wait.Until(() => bed.Simulator.PmReportsCalls.Count == calls + 1 && bed.Simulator.Faults.DelaysInProgress == 1);
        inject();
        bed.Time.Advance(TimeSpan.FromSeconds(1));
        await bed.Manager.WhenIdleAsync(id);
        return before;
    }

    private static async Task AssertRecoversAsync(MpowerTestBed bed, string id)
    {
        await bed.AdvanceAsync(id, FiveMinutes);
        Assert.Equal(PollStatus.Succeeded, (await bed.TaskStateAsync(id, SesMpowerConnector.PullMetricsTask)).Status);
        await MpowerExpectations.AssertHistoryMatchesFleetAsync(bed, id, MpowerTestBed.Start.AddHours(-1), bed.Time.GetUtcNow(), terminals: 20);
    }

    private static async Task<int> LatencyPointsAsync(MpowerTestBed bed, string id) =>
        (await bed.HistoryAsync(id, "TERM-000000", "latency", DateTimeOffset.MinValue, DateTimeOffset.MaxValue)).Count;
}
