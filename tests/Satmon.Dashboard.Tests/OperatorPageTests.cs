using Satmon.Core.Elements;
using Satmon.Dashboard.Tests.Support;

namespace Satmon.Dashboard.Tests;

/// <summary>Polling manager, settings and commands: what an operator may change and a viewer may not even see.</summary>
public sealed class OperatorPageTests(DashboardHost host)
{
    private string Base => $"/elements/{host.ElementId}";

    [Fact]
    public async Task PollNow_AfterClockMoved_ChangesLastPollTime()
    {
        var page = await host.SignInAsync(host.OperatorKey);
        await page.GotoAsync(Base + "/polling");
        var lastPoll = page.Locator("tr[data-task='hello'] td.last-poll");
        var before = await lastPoll.InnerTextAsync();
        await DashboardHost.ScreenshotAsync(page, "polling");

        // Less than either interval, so nothing becomes due by itself: only "poll now" can move the time.
        host.Time.Advance(TimeSpan.FromSeconds(90));
        await page.ClickAsync("tr[data-task='hello'] button.poll-now");
        await page.Locator("#polling-message").WaitForAsync();
        await host.Elements.WhenIdleAsync(host.ElementId);
        await page.GotoAsync(Base + "/polling");

        var after = await lastPoll.InnerTextAsync();
        Assert.NotEqual(before, after);
        Assert.Equal(Format(host.Time.GetUtcNow() - TimeSpan.FromSeconds(0)), after);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Interval_OperatorSetsAndResets_ShownInTable()
    {
        var page = await host.SignInAsync(host.OperatorKey);
        await page.GotoAsync(Base + "/polling");
        var row = page.Locator("tr[data-task='data']");

        await row.Locator("input[name='intervalSeconds']").FillAsync("120");
        await row.Locator("button.set-interval").ClickAsync();
        await page.Locator("#polling-message").WaitForAsync();
        Assert.StartsWith("120 s", await page.Locator("tr[data-task='data'] td.interval").InnerTextAsync(), StringComparison.Ordinal);

        await page.Locator("tr[data-task='data'] button.reset-interval").ClickAsync();
        await page.Locator("#polling-message").WaitForAsync();
        Assert.Equal("300 s (default)", await page.Locator("tr[data-task='data'] td.interval").InnerTextAsync());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Viewer_PollingAndSettingsAndElement_ShowNoChangingButtons()
    {
        var page = await host.SignInAsync(host.ViewerKey);

        await page.GotoAsync(Base + "/polling");
        Assert.Equal(0, await page.Locator("form[method='post'] button:not(:has-text('Sign out'))").CountAsync());
        await page.GotoAsync(Base);
        Assert.Equal(0, await page.Locator("form[method='post'] button:not(:has-text('Sign out'))").CountAsync());
        await DashboardHost.ScreenshotAsync(page, "element");
        await page.GotoAsync(Base + "/settings");
        Assert.Equal(0, await page.Locator("#save-settings, button.command-authenticate").CountAsync());
        Assert.All(await page.Locator(".settings-form input:not([type='hidden']), .settings-form select").AllAsync(),
            input => Assert.True(input.IsDisabledAsync().GetAwaiter().GetResult()));
        await page.Locator("#read-only").WaitForAsync();
        await DashboardHost.ScreenshotAsync(page, "settings-viewer");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Viewer_ForgedSettingsPost_ChangesNothing()
    {
        var page = await host.SignInAsync(host.ViewerKey);
        await page.GotoAsync(Base + "/settings");
        // Re-enable the form in the page as a hostile viewer would, and submit it.
        var response = await page.RunAndWaitForResponseAsync(() => page.EvaluateAsync("""
            () => {
              document.querySelectorAll('.settings-form [disabled]').forEach(e => e.disabled = false);
              document.querySelector(".settings-form input[name='s.pageSize']").value = '999';
              document.querySelector('.settings-form').submit();
            }
            """), r => r.Request.Method == "POST" && r.Url.EndsWith("/settings", StringComparison.Ordinal));

        Assert.Equal(403, response.Status);
        var element = await host.Elements.GetAsync(host.ElementId, TestContext.Current.CancellationToken);
        Assert.NotEqual("999", element.Settings["pageSize"] as string);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Settings_SecretTyped_IsNeverRenderedBackAndValidationShowsApiMessage()
    {
        // A stopped element of its own: saving does not restart the shared element the other tests read.
        var id = await host.EnsureStoppedElementAsync("Settings target", TestContext.Current.CancellationToken);
        const string typedSecret = "typed-secret-Zq81";
        var page = await host.SignInAsync(host.OperatorKey);
        await page.GotoAsync($"/elements/{id}/settings");
        Assert.DoesNotContain(DashboardHost.SecretPassword, await page.ContentAsync(), StringComparison.Ordinal);
        Assert.Equal("set — leave empty to keep", await page.Locator("#setting-password").GetAttributeAsync("placeholder"));

        // Refused: the page shows the validator's message and the typed secret is not in it.
        await page.FillAsync("#setting-password", typedSecret);
        await page.FillAsync("#setting-pageSize", "0");
        await page.ClickAsync("#save-settings");
        var message = page.Locator(".setting[data-key='pageSize'] .validation-message");
        Assert.Equal("'pageSize' must be between 1 and 1000; got 0.", await message.InnerTextAsync());
        Assert.DoesNotContain(typedSecret, await page.ContentAsync(), StringComparison.Ordinal);
        Assert.Equal("", await page.InputValueAsync("#setting-password"));
        await DashboardHost.ScreenshotAsync(page, "settings-validation");

        // Accepted: saved, and still not rendered back.
        await page.FillAsync("#setting-password", typedSecret);
        await page.FillAsync("#setting-pageSize", "250");
        await page.ClickAsync("#save-settings");
        Assert.StartsWith("Settings saved", await page.Locator("#settings-message").InnerTextAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(typedSecret, await page.ContentAsync(), StringComparison.Ordinal);
        Assert.Equal("250", await page.InputValueAsync("#setting-pageSize"));
        var element = await host.Elements.GetAsync(id, TestContext.Current.CancellationToken);
        Assert.Equal(new SecretSettingView(true), element.Settings["password"]);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Authenticate_OperatorClicks_ShowsConnectorResult()
    {
        var page = await host.SignInAsync(host.OperatorKey);
        await page.GotoAsync(Base + "/settings");

        await page.ClickAsync("button.command-authenticate");

        Assert.Equal("Authenticated again.", await page.Locator("#settings-message").InnerTextAsync());
        await page.Context.CloseAsync();
    }

    private static string Format(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) + "Z";
}
