using System.Text;
using Satmon.Core.Connectors;
using Satmon.Core.Elements;
using Satmon.Core.Tests.Support;

namespace Satmon.Core.Tests.Elements;

public sealed class ElementManagerTests : IAsyncDisposable
{
    private const string Password = "pa55-Wörd-never-shown";
    private readonly ScriptedConnector _connector = new(new PollTaskDefinition("data", "Reads data.", TimeSpan.FromMinutes(1)));
    private ElementHarness? _harness;

    private ElementHarness Harness => _harness ?? throw new InvalidOperationException();

    public async ValueTask DisposeAsync()
    {
        if (_harness is not null)
        {
            await _harness.DisposeAsync();
        }
    }

    private async Task<string> StartAsync(string password = Password)
    {
        _harness = await ElementHarness.CreateAsync(_connector);
        return await _harness.CreateElementAsync(password: password);
    }

    [Fact]
    public async Task Create_SecretSetting_EncryptedAtRest_MaskedInView_DecryptedForTheConnector()
    {
        var id = await StartAsync();

        var view = await Harness.Manager.GetAsync(id, TestContext.Current.CancellationToken);
        Assert.Equal(new SecretSettingView(true), view.Settings["password"]);
        Assert.Equal("https://vendor.example", view.Settings["baseUrl"]);
        Assert.Equal(Password, Assert.Single(_connector.Contexts).Settings.GetString("password"));
        var stored = await Harness.Store.Elements.GetAsync(id, TestContext.Current.CancellationToken);
        Assert.NotEqual(Password, stored!.Settings["password"]);

        await Harness.CloseAsync();
        var bytes = await ReadAllFilesAsync(Harness.Folder);
        Assert.DoesNotContain(Password, bytes, StringComparison.Ordinal);
    }

    [Fact]
    public async Task State_SecretValue_EncryptedAtRest_ReadBackByTheElement()
    {
        var id = await StartAsync();
        var context = Assert.Single(_connector.Contexts);

        await context.State.SetAsync("refreshToken", "token-ABCDEF-123456", secret: true, TestContext.Current.CancellationToken);
        await context.State.SetAsync("cursor", new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), secret: false, TestContext.Current.CancellationToken);

        Assert.Equal("token-ABCDEF-123456", await context.State.GetAsync<string>("refreshToken", TestContext.Current.CancellationToken));
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), await context.State.GetAsync<DateTimeOffset>("cursor", TestContext.Current.CancellationToken));
        Assert.DoesNotContain("token-ABCDEF", await Harness.Store.State.GetAsync(id, "refreshToken", TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_InvalidSettings_RefusedWithKeyNamed_NothingStored()
    {
        _harness = await ElementHarness.CreateAsync(_connector);

        var error = await Assert.ThrowsAsync<SettingsValidationException>(() => Harness.Manager.CreateAsync(
            new CreateElementRequest("Bad", ScriptedConnector.Id, new Dictionary<string, string?> { ["baseUrl"] = "not a url" }),
            TestContext.Current.CancellationToken));

        Assert.Contains("baseUrl", error.Errors.Keys);
        Assert.Contains("password", error.Errors.Keys);
        Assert.Empty(await Harness.Manager.ListAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Update_SecretOmitted_KeepsStoredSecret_AndRestartsWithNewSettings()
    {
        var id = await StartAsync();

        await Harness.Manager.UpdateAsync(id, new UpdateElementRequest("Renamed", new Dictionary<string, string?> { ["baseUrl"] = "https://other.example" }), TestContext.Current.CancellationToken);
        await Harness.Manager.WhenIdleAsync(id);

        var restarted = _connector.Contexts.Last();
        Assert.Equal("https://other.example", restarted.Settings.GetString("baseUrl"));
        Assert.Equal(Password, restarted.Settings.GetString("password"));
        Assert.Equal("Renamed", (await Harness.Manager.GetAsync(id, TestContext.Current.CancellationToken)).Name);
    }

    [Fact]
    public async Task Create_SameNameTwice_Conflict()
    {
        await StartAsync();

        await Assert.ThrowsAsync<ElementConflictException>(() => Harness.CreateElementAsync());
    }

    [Fact]
    public async Task Start_AuthenticationFails_ElementAuthFailedWithMessage_RecoversWhenTheVendorAcceptsAgain()
    {
        const string Refused = "Login refused (401 invalid_grant): check username and password.";
        var refuse = true;
        _connector.OnStart = _ => throw new AuthenticationFailedException(Refused);
        _connector.Script("data", _ => refuse ? throw new AuthenticationFailedException(Refused) : Task.CompletedTask);
        var id = await StartAsync();

        var view = await Harness.Manager.GetAsync(id, TestContext.Current.CancellationToken);
        Assert.Equal(ElementState.AuthFailed, view.State);
        Assert.Equal(Refused, view.StateMessage);
        Assert.Equal(1, _connector.Runs("data"));

        refuse = false;
        await Harness.AdvanceAsync(id, TimeSpan.FromMinutes(1));
        Assert.Equal(ElementState.Running, (await Harness.Manager.GetAsync(id, TestContext.Current.CancellationToken)).State);
    }

    [Fact]
    public async Task StopAndDelete_StopsPolling_DeleteRemovesEverything()
    {
        var id = await StartAsync();

        var stopped = await Harness.Manager.StopAsync(id, TestContext.Current.CancellationToken);
        Assert.Equal(ElementState.Stopped, stopped.State);
        await Harness.AdvanceAsync(id, TimeSpan.FromMinutes(5));
        Assert.Equal(1, _connector.Runs("data"));
        await Assert.ThrowsAsync<ElementNotRunningException>(() => Harness.Manager.PollNowAsync(id, null, TestContext.Current.CancellationToken));

        await Harness.Manager.DeleteAsync(id, TestContext.Current.CancellationToken);
        await Assert.ThrowsAsync<ElementNotFoundException>(() => Harness.Manager.GetAsync(id, TestContext.Current.CancellationToken));
        Assert.Empty(await Harness.Store.Polling.ListAsync(id, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task PollTask_IntervalSettingKey_DefaultIntervalComesFromTheElementSettings()
    {
        var connector = new ScriptedConnector(new PollTaskDefinition("pull", "Pulls.", TimeSpan.FromHours(1)) { IntervalSettingKey = "pullIntervalSeconds" });
        _harness = await ElementHarness.CreateAsync(connector);
        var id = await _harness.CreateElementAsync();

        var row = Assert.Single(await Harness.Manager.GetPollingAsync(id, TestContext.Current.CancellationToken));
        Assert.Equal(TimeSpan.FromSeconds(300), row.Interval);
        await Harness.AdvanceAsync(id, TimeSpan.FromSeconds(300));
        Assert.Equal(2, connector.Runs("pull"));

        await Harness.Manager.StopAsync(id, TestContext.Current.CancellationToken);
        row = Assert.Single(await Harness.Manager.GetPollingAsync(id, TestContext.Current.CancellationToken));
        Assert.Equal(TimeSpan.FromSeconds(300), row.Interval);
    }

    [Theory]
    [InlineData("OneWeb Europe #2", "oneweb-europe-2")]
    [InlineData("  --SES  mPOWER--  ", "ses-mpower")]
    [InlineData("###", "element")]
    public void ElementIds_FromName_SlugSafeForUrlsAndLabels(string name, string expected) =>
        Assert.Equal(expected, ElementIds.FromName(name));

    private static async Task<string> ReadAllFilesAsync(string folder)
    {
        var sb = new StringBuilder();
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            sb.Append(Encoding.UTF8.GetString(await File.ReadAllBytesAsync(file)));
        }

        return sb.ToString();
    }
}
