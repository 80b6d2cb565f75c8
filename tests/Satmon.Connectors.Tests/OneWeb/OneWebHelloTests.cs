using Satmon.Connectors.OneWeb;
using Satmon.Core.Elements;
using Satmon.Core.Polling;

namespace Satmon.Connectors.Tests.OneWeb;

public sealed class OneWebHelloTests
{
    [Fact]
    public async Task Hello_ValidCredentials_ShowsConfirmationAndReleasesEveryTask()
    {
        await using var harness = await OneWebHarness.StartAsync();

        await harness.CreateElementAsync();

        var status = await harness.RowAsync(OneWebTables.General, OneWebTables.StatusKey);
        Assert.NotNull(status);
        Assert.Equal("Authenticated", status.Values["authenticationStatus"]);
        Assert.False(string.IsNullOrWhiteSpace(status.Values["helloConfirmation"] as string));
        Assert.Equal(harness.Time.GetUtcNow(), status.Values["lastHello"]);
        foreach (var task in OneWebTasks.All)
        {
            var view = await harness.TaskAsync(task.Name);
            Assert.True(view.State.Status == PollStatus.Succeeded, $"{task.Name}: {view.State.Status} {view.State.Reason}");
        }

        var element = await harness.ElementAsync();
        Assert.Equal(ElementState.Running, element.State);
        Assert.True(harness.Simulator.RequestCount("/hello/v1/oneweb/world") == 1, "hello runs once at start");
    }

    [Theory]
    [InlineData(401)]
    [InlineData(404)]
    public async Task Hello_RefusedCredentials_ElementAuthFailedAndNothingElsePolls(int refusal)
    {
        await using var harness = await OneWebHarness.StartAsync(o => o.BadCredentialsStatus = refusal);

        await harness.CreateElementAsync(clientSecret: "not-the-secret");
        await harness.AdvanceAsync(TimeSpan.FromMinutes(30));

        var element = await harness.ElementAsync();
        Assert.Equal(ElementState.AuthFailed, element.State);
        Assert.Contains(refusal.ToString(System.Globalization.CultureInfo.InvariantCulture), element.StateMessage, StringComparison.Ordinal);
        var hello = await harness.TaskAsync(OneWebTasks.Hello);
        Assert.Equal(PollStatus.Failed, hello.State.Status);
        foreach (var task in OneWebTasks.All.Where(t => t.Name != OneWebTasks.Hello))
        {
            var view = await harness.TaskAsync(task.Name);
            Assert.Equal(PollStatus.NotPolled, view.State.Status);
            Assert.Contains("hello", view.State.Reason ?? "", StringComparison.Ordinal);
        }

        // Only hello reached the vendor, even after time passed the 5-minute terminal interval several times.
        Assert.All(harness.Simulator.Requests, r => Assert.Equal("/hello/v1/oneweb/world", r.Path));
        var status = await harness.RowAsync(OneWebTables.General, OneWebTables.StatusKey);
        Assert.Equal("Authentication failed", status?.Values["authenticationStatus"]);
    }

    [Fact]
    public async Task Hello_RefusedThenSucceeds_HeldTaskRunsOnce()
    {
        await using var harness = await OneWebHarness.StartAsync();
        await harness.CreateElementAsync();
        harness.Simulator.Faults.FailNext(401, pathPrefix: "/hello");

        await harness.PollNowAsync(OneWebTasks.Hello);
        Assert.Equal(ElementState.AuthFailed, (await harness.ElementAsync()).State);
        var before = harness.Simulator.RequestCount("/resourceInventory");
        await harness.PollNowAsync(OneWebTasks.UserTerminals);
        Assert.Equal(before, harness.Simulator.RequestCount("/resourceInventory"));

        // The held poll-now runs as soon as hello succeeds again, and only once.
        await harness.PollNowAsync(OneWebTasks.Hello);

        Assert.Equal(before + 1, harness.Simulator.RequestCount("/resourceInventory"));
        Assert.Equal(ElementState.Running, (await harness.ElementAsync()).State);
    }
}
