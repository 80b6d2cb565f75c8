using Satmon.Core.Connectors;
using Satmon.Core.Elements;
using Satmon.Core.Polling;
using Satmon.Core.Tests.Support;

namespace Satmon.Core.Tests.Polling;

public sealed class PollingManagerTests : IAsyncDisposable
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private readonly ScriptedConnector _connector = new(
        new PollTaskDefinition("hello", "Checks the credentials.", TimeSpan.FromHours(1)),
        new PollTaskDefinition("data", "Reads data.", Minute, DependsOn: "hello"),
        new PollTaskDefinition("other", "Independent call.", TimeSpan.FromMinutes(5)));

    private ElementHarness? _harness;

    private ElementHarness Harness => _harness ?? throw new InvalidOperationException("Call StartAsync first.");

    public async ValueTask DisposeAsync()
    {
        if (_harness is not null)
        {
            await _harness.DisposeAsync();
        }
    }

    private async Task<string> StartAsync()
    {
        _harness = await ElementHarness.CreateAsync(_connector);
        return await _harness.CreateElementAsync();
    }

    private async Task<PollTaskView> RowAsync(string id, string task) =>
        (await Harness.Manager.GetPollingAsync(id, TestContext.Current.CancellationToken)).Single(r => r.Name == task);

    [Fact]
    public async Task Start_EveryTaskPollsOnceAndSucceeds()
    {
        var id = await StartAsync();

        Assert.Equal(1, _connector.Runs("hello"));
        Assert.Equal(1, _connector.Runs("data"));
        Assert.Equal(1, _connector.Runs("other"));
        var data = await RowAsync(id, "data");
        Assert.Equal(PollStatus.Succeeded, data.State.Status);
        Assert.Equal(Harness.Time.GetUtcNow(), data.State.LastStart);
        Assert.Equal(Harness.Time.GetUtcNow() + Minute, data.State.NextPoll);
        Assert.Equal(ElementState.Running, (await Harness.Manager.GetAsync(id, TestContext.Current.CancellationToken)).State);
    }

    [Fact]
    public async Task Interval_DefaultAndCustom_RunExactlyWhenDue()
    {
        var id = await StartAsync();

        await Harness.AdvanceAsync(id, TimeSpan.FromSeconds(59));
        Assert.Equal(1, _connector.Runs("data"));
        await Harness.AdvanceAsync(id, TimeSpan.FromSeconds(1));
        Assert.Equal(2, _connector.Runs("data"));

        await Harness.Manager.UpdatePollingAsync(id, "data", null, TimeSpan.FromSeconds(10), false, TestContext.Current.CancellationToken);
        await Harness.AdvanceAsync(id, TimeSpan.FromSeconds(10));
        Assert.Equal(3, _connector.Runs("data"));
        Assert.Equal(TimeSpan.FromSeconds(10), (await RowAsync(id, "data")).Interval);

        await Harness.Manager.UpdatePollingAsync(id, "data", null, null, resetInterval: true, TestContext.Current.CancellationToken);
        Assert.Equal(Minute, (await RowAsync(id, "data")).Interval);
        Assert.Equal(1, _connector.Runs("other"));
    }

    [Fact]
    public async Task Disable_NoRunsUntilEnabledAgain()
    {
        var id = await StartAsync();

        var row = await Harness.Manager.UpdatePollingAsync(id, "data", enabled: false, null, false, TestContext.Current.CancellationToken);
        Assert.Equal(PollStatus.Disabled, row.State.Status);
        Assert.Null(row.State.NextPoll);
        await Harness.AdvanceAsync(id, TimeSpan.FromMinutes(10));
        Assert.Equal(1, _connector.Runs("data"));

        await Harness.Manager.UpdatePollingAsync(id, "data", enabled: true, null, false, TestContext.Current.CancellationToken);
        await Harness.Manager.WhenIdleAsync(id);
        Assert.Equal(2, _connector.Runs("data"));
        Assert.Equal(PollStatus.Succeeded, (await RowAsync(id, "data")).State.Status);
    }

    [Fact]
    public async Task PollNow_OneTaskOrAll_RunWithoutWaitingForTheInterval()
    {
        var id = await StartAsync();

        await Harness.Manager.PollNowAsync(id, "other", TestContext.Current.CancellationToken);
        await Harness.Manager.WhenIdleAsync(id);
        Assert.Equal(2, _connector.Runs("other"));
        Assert.Equal(1, _connector.Runs("hello"));

        await Harness.Manager.PollNowAsync(id, null, TestContext.Current.CancellationToken);
        await Harness.Manager.WhenIdleAsync(id);
        Assert.Equal((2, 2, 3), (_connector.Runs("hello"), _connector.Runs("data"), _connector.Runs("other")));
    }

    [Fact]
    public async Task Dependency_FailedHello_DataWaitsAndRunsOnceHelloSucceeds()
    {
        var fail = true;
        _connector.Script("hello", _ => fail ? throw new AuthenticationFailedException("Vendor answered 401 to hello: check the client id and secret.") : Task.CompletedTask);
        var id = await StartAsync();

        Assert.Equal(0, _connector.Runs("data"));
        Assert.Equal(1, _connector.Runs("other"));
        var data = await RowAsync(id, "data");
        Assert.Equal(PollStatus.NotPolled, data.State.Status);
        Assert.Contains("Waiting for 'hello'", data.State.Reason, StringComparison.Ordinal);
        var element = await Harness.Manager.GetAsync(id, TestContext.Current.CancellationToken);
        Assert.Equal(ElementState.AuthFailed, element.State);
        Assert.Contains("check the client id", element.StateMessage, StringComparison.Ordinal);

        await Harness.AdvanceAsync(id, TimeSpan.FromMinutes(5));
        Assert.Equal(0, _connector.Runs("data"));

        fail = false;
        await Harness.Manager.PollNowAsync(id, "hello", TestContext.Current.CancellationToken);
        await Harness.Manager.WhenIdleAsync(id);
        Assert.Equal(1, _connector.Runs("data"));
        Assert.Equal(ElementState.Running, (await Harness.Manager.GetAsync(id, TestContext.Current.CancellationToken)).State);
    }

    [Fact]
    public async Task Failure_ReasonRecorded_OtherTasksGoOn_NextPollRecovers()
    {
        var fail = true;
        _connector.Script("data", _ => fail ? throw new VendorException("GET /terminals answered 503 Service Unavailable.") : Task.CompletedTask);
        var id = await StartAsync();

        var data = await RowAsync(id, "data");
        Assert.Equal(PollStatus.Failed, data.State.Status);
        Assert.Equal("GET /terminals answered 503 Service Unavailable.", data.State.Reason);
        Assert.Equal(PollStatus.Succeeded, (await RowAsync(id, "other")).State.Status);
        var element = await Harness.Manager.GetAsync(id, TestContext.Current.CancellationToken);
        Assert.Equal(ElementState.Degraded, element.State);
        Assert.Contains("data: GET /terminals answered 503", element.StateMessage, StringComparison.Ordinal);

        fail = false;
        await Harness.AdvanceAsync(id, Minute);
        Assert.Equal(PollStatus.Succeeded, (await RowAsync(id, "data")).State.Status);
        Assert.Null((await RowAsync(id, "data")).State.Reason);
        Assert.Equal(ElementState.Running, (await Harness.Manager.GetAsync(id, TestContext.Current.CancellationToken)).State);
    }

    [Fact]
    public async Task RetryAfter_DelaysTheNextRun_EvenAPollNow()
    {
        var throttle = true;
        _connector.Script("data", _ => throttle ? throw new RetryAfterException("Rate limited (429); retry after 600 s.", TimeSpan.FromMinutes(10)) : Task.CompletedTask);
        var id = await StartAsync();
        throttle = false;

        var row = await RowAsync(id, "data");
        Assert.Equal(Harness.Time.GetUtcNow() + TimeSpan.FromMinutes(10), row.State.NotBefore);
        await Harness.AdvanceAsync(id, Minute);
        await Harness.Manager.PollNowAsync(id, "data", TestContext.Current.CancellationToken);
        await Harness.AdvanceAsync(id, TimeSpan.FromMinutes(8));
        Assert.Equal(1, _connector.Runs("data"));

        await Harness.AdvanceAsync(id, Minute);
        Assert.Equal(2, _connector.Runs("data"));
        Assert.Equal(PollStatus.Succeeded, (await RowAsync(id, "data")).State.Status);
    }

    [Fact]
    public async Task PollNow_WhileRunning_NeverTwoRunsAtOnce_RunsAgainAfter()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var id = await StartAsync();
        _connector.Script("other", async ct =>
        {
            started.TrySetResult();
            await release.Task.WaitAsync(ct);
        });

        await Harness.Manager.PollNowAsync(id, "other", TestContext.Current.CancellationToken);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal(PollStatus.Polling, (await RowAsync(id, "other")).State.Status);
        await Harness.Manager.PollNowAsync(id, "other", TestContext.Current.CancellationToken);
        await Harness.Manager.PollNowAsync(id, null, TestContext.Current.CancellationToken);
        Assert.Equal(2, _connector.Runs("other"));

        _connector.Script("other", _ => Task.CompletedTask);
        release.SetResult();
        await Harness.Manager.WhenIdleAsync(id);
        Assert.Equal(3, _connector.Runs("other"));
        Assert.Equal(1, _connector.MaxConcurrentRuns);
    }

    [Fact]
    public async Task Restart_ResumesRowsFromTheStore_NoEarlyRun()
    {
        var id = await StartAsync();
        await Harness.Manager.UpdatePollingAsync(id, "other", null, TimeSpan.FromMinutes(30), false, TestContext.Current.CancellationToken);
        await Harness.Manager.UpdatePollingAsync(id, "hello", false, null, false, TestContext.Current.CancellationToken);
        var before = await RowAsync(id, "other");
        await Harness.CloseAsync();

        var again = new ScriptedConnector([.. _connector.Descriptor.PollTasks]);
        await using var reopened = await ElementHarness.CreateAsync(again, Harness.Folder, Harness.Time);
        await reopened.Manager.StartAllAsync(TestContext.Current.CancellationToken);
        await reopened.Manager.WhenIdleAsync(id);

        var rows = await reopened.Manager.GetPollingAsync(id, TestContext.Current.CancellationToken);
        var other = rows.Single(r => r.Name == "other");
        Assert.Equal(TimeSpan.FromMinutes(30), other.State.CustomInterval);
        Assert.Equal(before.State.LastStart, other.State.LastStart);
        Assert.Equal(PollStatus.Disabled, rows.Single(r => r.Name == "hello").State.Status);
        Assert.Equal(0, again.Runs("other"));

        reopened.Time.Advance(TimeSpan.FromMinutes(30));
        await reopened.Manager.WhenIdleAsync(id);
        Assert.Equal(1, again.Runs("other"));
        Assert.Equal(0, again.Runs("hello"));
    }

    [Fact]
    public async Task Stop_DuringARun_RunIsDueAtOnceAfterRestart()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var id = await StartAsync();
        _connector.Script("other", async ct =>
        {
            started.TrySetResult();
            await Task.Delay(Timeout.InfiniteTimeSpan, Harness.Time, ct);
        });
        await Harness.Manager.PollNowAsync(id, "other", TestContext.Current.CancellationToken);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        await Harness.CloseAsync();

        var again = new ScriptedConnector([.. _connector.Descriptor.PollTasks]);
        await using var reopened = await ElementHarness.CreateAsync(again, Harness.Folder, Harness.Time);
        await reopened.Manager.StartAllAsync(TestContext.Current.CancellationToken);
        await reopened.Manager.WhenIdleAsync(id);
        Assert.Equal(1, again.Runs("other"));
        var row = (await reopened.Manager.GetPollingAsync(id, TestContext.Current.CancellationToken)).Single(r => r.Name == "other");
        Assert.Equal(PollStatus.Succeeded, row.State.Status);
    }

    [Fact]
    public async Task Restart_FailedTask_RetriedAtOnce_DependentsFollow()
    {
        var fail = true;
        _connector.Script("hello", _ => fail ? throw new AuthenticationFailedException("Vendor answered 401 to hello.") : Task.CompletedTask);
        var id = await StartAsync();
        Assert.Equal(0, _connector.Runs("data"));
        fail = false;

        // New settings restart the element: the failed hello runs now, not an hour later, and data follows it.
        await Harness.Manager.UpdateAsync(id, new UpdateElementRequest(null, new Dictionary<string, string?> { ["baseUrl"] = "https://fixed.example" }), TestContext.Current.CancellationToken);
        await Harness.Manager.WhenIdleAsync(id);

        Assert.Equal(2, _connector.Runs("hello"));
        Assert.Equal(1, _connector.Runs("data"));
        Assert.Equal(ElementState.Running, (await Harness.Manager.GetAsync(id, TestContext.Current.CancellationToken)).State);
    }
}
