using System.Globalization;
using Satmon.Core.Elements;

namespace Satmon.Cli;

/// <summary>Creates the demo's elements. The one place where <c>satmon demo</c> wires connectors to simulators.</summary>
internal static class DemoSetup
{
    /// <summary>
    /// One element per connector, pointed at the in-process simulators. Elements kept from an earlier demo run are
    /// re-pointed (the simulators may listen on new ports) rather than created again, so their data is kept.
    /// </summary>
    public static async Task ConfigureAsync(IElementManager elements, DemoSimulators simulators, TextWriter output, CancellationToken ct)
    {
        var mpower = simulators.Mpower;
        await EnsureAsync(elements, "SES O3b mPOWER demo", "ses-mpower", new Dictionary<string, string?>
        {
            ["baseUrl"] = mpower.BaseAddress.AbsoluteUri.TrimEnd('/'),
            ["tokenUrl"] = new Uri(mpower.BaseAddress, mpower.TokenPath).AbsoluteUri,
            ["clientId"] = mpower.Options.ClientId,
            ["username"] = mpower.Options.Username,
            ["password"] = mpower.Options.Password,
            // The demo pulls every minute so the dashboard moves while someone watches.
            ["pullIntervalSeconds"] = "60",
        }, output, ct);

        var oneWeb = simulators.OneWeb;
        await EnsureAsync(elements, "OneWeb demo", "oneweb", new Dictionary<string, string?>
        {
            ["baseUrl"] = oneWeb.BaseAddress.AbsoluteUri,
            ["clientId"] = oneWeb.Options.ClientId,
            ["clientSecret"] = oneWeb.Options.ClientSecret,
        }, output, ct);

        var inventory = simulators.Inventory;
        await EnsureAsync(elements, "SES Inventory demo", "ses-inventory", new Dictionary<string, string?>
        {
            ["tmf638BaseUrl"] = new Uri(inventory.GatewayServiceUri, ".").AbsoluteUri.TrimEnd('/'),
            ["tmf638Username"] = inventory.Options.Tmf638Username,
            ["tmf638Password"] = inventory.Options.Tmf638Password,
            ["tmf639Url"] = inventory.GatewayResourceUri.AbsoluteUri,
            ["tmf639Username"] = inventory.Options.Tmf639Username,
            ["tmf639Password"] = inventory.Options.Tmf639Password,
            ["recordsPerPage"] = 500.ToString(CultureInfo.InvariantCulture),
        }, output, ct);
    }

    private static async Task EnsureAsync(
        IElementManager elements, string name, string connector, Dictionary<string, string?> settings, TextWriter output, CancellationToken ct)
    {
        if (!elements.Connectors.Any(c => c.Id == connector))
        {
            await output.WriteLineAsync($"Demo: connector '{connector}' is not installed; no '{name}' element.");
            return;
        }

        // Only settings the connector declares: a demo never fails on a setting a connector version does not have.
        var declared = elements.GetConnector(connector).Settings.Select(s => s.Key).ToHashSet(StringComparer.Ordinal);
        settings = settings.Where(s => declared.Contains(s.Key)).ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal);
        var id = ElementIds.FromName(name);
        var existing = (await elements.ListAsync(ct)).FirstOrDefault(e => e.Id == id);
        if (existing is null)
        {
            await elements.CreateAsync(new CreateElementRequest(name, connector, settings), ct);
            await output.WriteLineAsync($"Demo: created element '{id}' ({connector}).");
        }
        else
        {
            await elements.UpdateAsync(id, new UpdateElementRequest(null, settings), ct);
            if (!existing.Enabled)
            {
                await elements.StartAsync(id, ct);
            }

            await output.WriteLineAsync($"Demo: element '{id}' ({connector}) re-pointed at this run's simulators.");
        }
    }
}
