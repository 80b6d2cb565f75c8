using Satmon.Connectors.SesMpower;
using Satmon.Connectors.Tests.Support;
using Satmon.Core.Elements;
using Satmon.Core.Polling;

namespace Satmon.Connectors.Tests.SesMpower;

/// <summary>Authentication against the simulator's Keycloak-style token endpoint.</summary>
public sealed class MpowerTokenTests
{
    private static readonly TimeSpan FiveMinutes = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task Pull_AccessTokenNearExpiry_RefreshedBeforeAnyUnauthorized()
    {
        await using var bed = await MpowerTestBed.CreateAsync(); // access tokens live 300 s; the margin is 30 s
        var id = await bed.CreateElementAsync();

        await bed.AdvanceAsync(id, FiveMinutes);

        Assert.Equal(["password", "refresh_token"], bed.Grants);
        Assert.Equal(0, bed.Requests(bed.Simulator.Options.ApiPrefix, status: 401));
        Assert.Equal(PollStatus.Succeeded, (await bed.TaskStateAsync(id, SesMpowerConnector.PullMetricsTask)).Status);
        var general = await bed.GeneralAsync(id);
        Assert.Equal("Authenticated", general["authStatus"]);
        Assert.Equal(bed.Time.GetUtcNow().AddSeconds(300), general["accessTokenExpiry"]);
    }

    [Fact]
    public async Task Pull_RefreshTokenExpired_LogsInWithPasswordAgain()
    {
        await using var bed = await MpowerTestBed.CreateAsync(o => o.RefreshTokenLifetime = TimeSpan.FromMinutes(10));
        var id = await bed.CreateElementAsync((SesMpowerSettingKeys.PullInterval, 3600));

        await bed.AdvanceAsync(id, TimeSpan.FromHours(1));

        Assert.Equal(["password", "password"], bed.Grants);
        Assert.Equal(PollStatus.Succeeded, (await bed.TaskStateAsync(id, SesMpowerConnector.PullMetricsTask)).Status);
    }

    [Fact]
    public async Task Pull_RefreshRejectedInvalidGrant_LogsInWithPasswordAgain()
    {
        await using var bed = await MpowerTestBed.CreateAsync();
        var id = await bed.CreateElementAsync();
        bed.Simulator.Faults.RevokeSessions();

        await bed.AdvanceAsync(id, FiveMinutes);

        Assert.Equal(["password", "refresh_token", "password"], bed.Grants);
        Assert.Equal(1, bed.Requests(bed.Simulator.TokenPath, status: 400));
        Assert.Equal(PollStatus.Succeeded, (await bed.TaskStateAsync(id, SesMpowerConnector.PullMetricsTask)).Status);
    }

    [Fact]
    public async Task Api401_TokenRevokedEarly_OneRefreshAndTheCallIsRetried()
    {
        await using var bed = await MpowerTestBed.CreateAsync();
        var id = await bed.CreateElementAsync();
        bed.Simulator.Faults.ExpireAccessTokensNow();

        await bed.AdvanceAsync(id, TimeSpan.FromMinutes(1));
        await bed.Harness.PollNowAsync(id, SesMpowerConnector.PullMetricsTask);

        Assert.Equal(["password", "refresh_token"], bed.Grants);
        Assert.Equal(1, bed.Requests(bed.Simulator.PmReportsPath, status: 401));
        Assert.Equal(PollStatus.Succeeded, (await bed.TaskStateAsync(id, SesMpowerConnector.PullMetricsTask)).Status);
    }

    [Fact]
    public async Task WrongPassword_ElementAuthFailedWithClearMessage_StoredDataUntouched()
    {
        await using var bed = await MpowerTestBed.CreateAsync();
        var id = await bed.CreateElementAsync();
        var terminalsBefore = await bed.TerminalsAsync(id);
        var key = terminalsBefore[0].Key;
        var historyBefore = await bed.HistoryAsync(id, key, "latency", DateTimeOffset.MinValue, DateTimeOffset.MaxValue);
        Assert.NotEmpty(terminalsBefore);
        Assert.NotEmpty(historyBefore);

        await bed.Manager.UpdateAsync(
            id, new UpdateElementRequest(null, new Dictionary<string, string?> { [SesMpowerSettingKeys.Password] = "Wr0ng-Secret!" }), CancellationToken.None);
        await bed.Manager.WhenIdleAsync(id);
        await bed.AdvanceAsync(id, FiveMinutes, steps: 2);

        var element = await bed.Manager.GetAsync(id, CancellationToken.None);
        Assert.Equal(ElementState.AuthFailed, element.State);
        Assert.Contains($"user '{bed.Simulator.Options.Username}'", element.StateMessage, StringComparison.Ordinal);
        Assert.Contains("invalid_grant", element.StateMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("Wr0ng-Secret!", element.StateMessage, StringComparison.Ordinal);
        var pull = await bed.TaskStateAsync(id, SesMpowerConnector.PullMetricsTask);
        Assert.Equal(PollStatus.Failed, pull.Status);
        Assert.Contains("invalid_grant", pull.Reason, StringComparison.Ordinal);
        // One refused login, not one per poll: repeating it could lock the account.
        Assert.Equal(["password", "password"], bed.Grants);
        var general = await bed.GeneralAsync(id);
        Assert.Equal("Failed", general["authStatus"]);
        Assert.StartsWith("Failed: ", (string?)general["lastPullStatus"], StringComparison.Ordinal);
        Assert.Equivalent(terminalsBefore, await bed.TerminalsAsync(id), strict: true);
        Assert.Equal(historyBefore, await bed.HistoryAsync(id, key, "latency", DateTimeOffset.MinValue, DateTimeOffset.MaxValue));
    }

    [Fact]
    public async Task ConcurrentCallers_RefreshInFlight_ShareOneRefresh()
    {
        await using var bed = await MpowerTestBed.CreateAsync();
        var id = await bed.CreateElementAsync();
        // The next token request hangs until the clock moves, so the second caller arrives while the refresh is in flight.
        bed.Simulator.Faults.Slow(TimeSpan.FromSeconds(1), pathPrefix: bed.Simulator.TokenPath);

        bed.Time.Advance(FiveMinutes); // pull-metrics is due: it starts the refresh
        await Wait.Until(() => bed.Simulator.Faults.DelaysInProgress == 1);
        await bed.Manager.PollNowAsync(id, SesMpowerConnector.SubscriptionTask, CancellationToken.None);
        await Wait.Until(async () => (await bed.TaskStateAsync(id, SesMpowerConnector.SubscriptionTask)).Status == PollStatus.Polling);
        // Both callers are now waiting on the one refresh; a second refresh would show as a third grant below.
        bed.Time.Advance(TimeSpan.FromSeconds(1));
        await bed.Manager.WhenIdleAsync(id);

        Assert.Equal(["password", "refresh_token"], bed.Grants);
        Assert.Equal(PollStatus.Succeeded, (await bed.TaskStateAsync(id, SesMpowerConnector.PullMetricsTask)).Status);
        Assert.Equal(PollStatus.Succeeded, (await bed.TaskStateAsync(id, SesMpowerConnector.SubscriptionTask)).Status);
    }

    [Fact]
    public async Task AuthenticateCommand_LogsInNowAndReportsExpiry()
    {
        await using var bed = await MpowerTestBed.CreateAsync();
        var id = await bed.CreateElementAsync();

        var result = await bed.Manager.ExecuteCommandAsync(id, SesMpowerConnector.AuthenticateCommand, CancellationToken.None);

        Assert.True(result.Success);
        Assert.Contains("valid until", result.Message, StringComparison.Ordinal);
        Assert.Equal(["password", "password"], bed.Grants);
        Assert.Equal(ElementState.Running, (await bed.Manager.GetAsync(id, CancellationToken.None)).State);
    }
}
