using Satmon.Dashboard.Tests.Support;

namespace Satmon.Dashboard.Tests;

public sealed class TrendTests(DashboardHost host)
{
    [Fact]
    public async Task Trend_OpenedFromTrendedCell_PlotsPoints()
    {
        var page = await host.SignInAsync(host.ViewerKey);
        await page.GotoAsync($"/elements/{host.ElementId}/tables/terminals");

        await page.ClickAsync("tr[data-key='term-1'] a.trend-link");
        await page.WaitForURLAsync(u => u.Contains("/trend?", StringComparison.Ordinal));

        var chart = page.Locator("#trend[data-rendered]");
        await chart.WaitForAsync();
        Assert.True(int.Parse(await chart.GetAttributeAsync("data-point-count") ?? "0", System.Globalization.CultureInfo.InvariantCulture) >= 3);
        Assert.Equal(1, await page.Locator("#trend canvas").CountAsync());
        await DashboardHost.ScreenshotAsync(page, "trend");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Trend_TwoSeriesAs5mRollups_DrawsBandsForBoth()
    {
        var page = await host.SignInAsync(host.ViewerKey);

        await page.GotoAsync($"/elements/{host.ElementId}/trend?table=terminals&column=latency&keys=term-1,term-2&resolution=5m&range=24h");

        await page.Locator("#trend[data-rendered]").WaitForAsync();
        // uPlot's legend: per series max, min and avg rows, plus the time row.
        var labels = await page.Locator("#trend .u-legend .u-series .u-label").AllInnerTextsAsync();
        Assert.Contains("term-1 avg", labels);
        Assert.Contains("term-2 min", labels);
        Assert.True(int.Parse(await page.Locator("#trend").GetAttributeAsync("data-point-count") ?? "0", System.Globalization.CultureInfo.InvariantCulture) >= 2);
        await DashboardHost.ScreenshotAsync(page, "trend-rollup");
        await page.Context.CloseAsync();
    }
}
