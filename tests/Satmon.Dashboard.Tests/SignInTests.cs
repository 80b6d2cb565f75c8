using System.Net;
using Microsoft.Playwright;
using Satmon.Dashboard.Tests.Support;

namespace Satmon.Dashboard.Tests;

public sealed class SignInTests(DashboardHost host)
{
    [Fact]
    public async Task SignIn_OperatorKey_ShowsFleetCountsMapAndTable()
    {
        var page = await host.SignInAsync(host.OperatorKey);

        var counts = page.Locator("tr[data-operator='Dash Operator']");
        Assert.Equal("2", await counts.Locator("td.online").InnerTextAsync());
        Assert.Equal("1", await counts.Locator("td.offline").InnerTextAsync());
        Assert.Equal(3, await page.Locator(".fleet-table tbody tr").CountAsync());
        Assert.Contains("operator", await page.Locator(".who").InnerTextAsync(), StringComparison.Ordinal);
        await page.Locator("#fleet-map[data-markers]").WaitForAsync();
        await DashboardHost.ScreenshotAsync(page, "fleet");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Map_FleetPage_OneMarkerPerTerminalColouredByStatus()
    {
        var page = await host.SignInAsync(host.ViewerKey);

        await page.Locator("#fleet-map[data-markers]").WaitForAsync();
        Assert.Equal(3, await page.Locator("path.satmon-marker").CountAsync());
        Assert.Equal(2, await page.Locator("path.satmon-marker-online").CountAsync());
        Assert.Equal(1, await page.Locator("path.satmon-marker-offline").CountAsync());
        // The Natural Earth outline came from the local copy: no tile server was asked.
        await page.Locator("#fleet-map path.leaflet-interactive, #fleet-map svg path").First.WaitForAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task SignIn_UnknownKey_StaysOnSignInWithErrorAndKeyNotEchoed()
    {
        var context = await host.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = host.BaseAddress });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/signin");
        await page.FillAsync("#apiKey", "smk_not-a-real-key-4711");
        await page.ClickAsync("#signin-submit");

        await page.Locator("#signin-error").WaitForAsync();
        Assert.DoesNotContain("not-a-real-key-4711", await page.ContentAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(await context.CookiesAsync(), c => c.Name == "satmon.dashboard");
        await DashboardHost.ScreenshotAsync(page, "signin-error");
        await context.CloseAsync();
    }

    [Fact]
    public async Task Dashboard_NotSignedIn_RedirectsToSignIn()
    {
        var context = await host.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = host.BaseAddress });
        var page = await context.NewPageAsync();

        await page.GotoAsync($"/elements/{host.ElementId}/polling");

        Assert.StartsWith(host.BaseAddress + "/signin?ReturnUrl=", page.Url, StringComparison.Ordinal);
        await context.CloseAsync();
    }

    [Fact]
    public async Task Cookie_SignedIn_HoldsNoKeyAndDoesNotOpenTheApi()
    {
        var page = await host.SignInAsync(host.OperatorKey);

        var cookie = Assert.Single(await page.Context.CookiesAsync(), c => c.Name == "satmon.dashboard");
        Assert.DoesNotContain(host.OperatorKey, cookie.Value, StringComparison.Ordinal);
        Assert.True(cookie.HttpOnly);
        // The API still takes Bearer keys only: the dashboard cookie is not an API credential.
        var api = await page.APIRequest.GetAsync("/api/elements");
        Assert.Equal((int)HttpStatusCode.Unauthorized, api.Status);
        await page.Context.CloseAsync();
    }
}
