using System.Globalization;
using Satmon.Core.Connectors;
using Satmon.Core.Elements;
using Satmon.Core.Settings;
using Satmon.Dashboard.Tests.Support;

namespace Satmon.Dashboard.Tests;

/// <summary>
/// Every registered vendor connector (mPOWER, OneWeb, inventory): a stopped element of each, and every page the
/// dashboard builds from its descriptor renders — tables, inventory definitions, polling manager, settings form.
/// </summary>
public sealed class ConnectorPagesTests(DashboardHost host)
{
    public static TheoryData<string> VendorConnectors => new() { "ses-mpower", "oneweb", "ses-inventory" };

    [Theory]
    [MemberData(nameof(VendorConnectors))]
    public async Task VendorConnector_EveryPage_RendersFromItsDescriptor(string connectorId)
    {
        var ct = TestContext.Current.CancellationToken;
        var connector = host.Elements.Connectors.Single(c => c.Id == connectorId);
        var id = await EnsureElementAsync(connector, ct);
        var page = await host.SignInAsync(host.OperatorKey);

        var paths = new List<string> { $"/elements/{id}", $"/elements/{id}/polling", $"/elements/{id}/settings" };
        paths.AddRange(connector.Tables.Select(t => $"/elements/{id}/tables/{t.Name}"));
        paths.AddRange(connector.ObjectDefinitions.Select(d => $"/elements/{id}/objects/{d.Name}"));
        foreach (var path in paths)
        {
            var response = await page.GotoAsync(path);
            Assert.True(response?.Status == 200, $"{path} answered {response?.Status}");
            Assert.Equal(0, await page.Locator("#query-error").CountAsync());
        }

        await page.GotoAsync($"/elements/{id}");
        Assert.Equal(connector.Tables.Count, await page.Locator(".table-counts tbody tr").CountAsync());
        await DashboardHost.ScreenshotAsync(page, $"element-{connectorId}");
        await page.GotoAsync($"/elements/{id}/settings");
        Assert.Equal(connector.Settings.Count, await page.Locator(".settings-form .setting").CountAsync());
        Assert.Equal(connector.Settings.Count(s => s.Secret), await page.Locator(".settings-form input[type='password']").CountAsync());
        await DashboardHost.ScreenshotAsync(page, $"settings-{connectorId}");
        await page.Context.CloseAsync();
    }

    private async Task<string> EnsureElementAsync(ConnectorDescriptor connector, CancellationToken ct)
    {
        var name = "Pages " + connector.Id;
        if ((await host.Elements.ListAsync(ct)).FirstOrDefault(e => e.Name == name) is { } existing)
        {
            return existing.Id;
        }

        // Stopped: nothing polls; the pages must still render (empty tables, NotPolled tasks).
        var settings = connector.Settings.ToDictionary(s => s.Key, s => (string?)(s.Default ?? Sample(s)), StringComparer.Ordinal);
        return (await host.Elements.CreateAsync(new CreateElementRequest(name, connector.Id, settings, Start: false), ct)).Id;
    }

    private static string Sample(SettingDefinition s) => s.Type switch
    {
        SettingType.Url => "https://vendor.example",
        SettingType.Integer or SettingType.DurationSeconds or SettingType.Number => (s.Minimum ?? 1).ToString(CultureInfo.InvariantCulture),
        SettingType.Boolean => "true",
        SettingType.Enum => s.AllowedValues is { Count: > 0 } allowed ? allowed[0] : "",
        _ => "sample",
    };
}
