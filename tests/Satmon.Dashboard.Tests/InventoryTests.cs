using Satmon.Dashboard.Tests.Support;

namespace Satmon.Dashboard.Tests;

public sealed class InventoryTests(DashboardHost host)
{
    [Fact]
    public async Task ElementPage_WithObjectDefinition_ShowsCountsAndLinksToChangeLog()
    {
        var page = await host.SignInAsync(host.ViewerKey);
        await page.GotoAsync($"/elements/{host.ElementId}");

        Assert.Equal("2", await page.Locator(".object-counts tbody tr td").Nth(1).InnerTextAsync());
        Assert.Equal(DashboardHost.BigRows.ToString(System.Globalization.CultureInfo.InvariantCulture),
            await page.Locator(".table-counts tr:has(a:text-is('Big table')) td").Nth(1).InnerTextAsync());

        await page.ClickAsync(".object-counts a");
        Assert.Equal("Objects 1–2 of 2", await page.Locator("#row-range").InnerTextAsync());
        await DashboardHost.ScreenshotAsync(page, "objects");
        await page.ClickAsync("tr[data-key='svc-1'] a.changes-link");

        await page.Locator(".changes tr[data-kind='Created']").WaitForAsync();
        Assert.True(await page.Locator(".changes tr[data-kind='Updated']").CountAsync() >= 1);
        Assert.Contains("bandwidth", await page.Locator(".changes tr[data-kind='Updated']").First.InnerTextAsync(), StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }
}
