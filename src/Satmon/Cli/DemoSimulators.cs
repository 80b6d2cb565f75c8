using Satmon.Simulators.OneWeb;
using Satmon.Simulators.SesInventory;
using Satmon.Simulators.SesMpower;

namespace Satmon.Cli;

/// <summary>
/// The three vendor simulators with their default (demo-sized) fleets, on loopback. Used by <c>satmon demo</c>
/// (ephemeral ports, in the service's process) and <c>satmon simulate</c> (fixed ports, alone).
/// </summary>
internal sealed class DemoSimulators : IAsyncDisposable
{
    private DemoSimulators(SesMpowerSimulator mpower, OneWebSimulator oneWeb, SesInventorySimulator inventory)
    {
        Mpower = mpower;
        OneWeb = oneWeb;
        Inventory = inventory;
    }

    public SesMpowerSimulator Mpower { get; }

    public OneWebSimulator OneWeb { get; }

    public SesInventorySimulator Inventory { get; }

    /// <summary>Starts all three; <paramref name="firstPort"/> 0 picks free ports, otherwise ports N, N+1, N+2.</summary>
    public static async Task<DemoSimulators> StartAsync(int firstPort, TimeProvider time, ILoggerFactory loggers, CancellationToken ct)
    {
        int Port(int offset) => firstPort == 0 ? 0 : firstPort + offset;
        var mpower = new SesMpowerSimulator(new SesMpowerSimulatorOptions { Port = Port(0) }, time, loggers);
        var oneWeb = new OneWebSimulator(new OneWebSimulatorOptions { Port = Port(1) }, time, loggers);
        var inventory = new SesInventorySimulator(new SesInventorySimulatorOptions { Port = Port(2) }, time, loggers);
        var simulators = new DemoSimulators(mpower, oneWeb, inventory);
        try
        {
            await mpower.StartAsync(ct);
            await oneWeb.StartAsync(ct);
            await inventory.StartAsync(ct);
            return simulators;
        }
        catch
        {
            await simulators.DisposeAsync();
            throw;
        }
    }

    /// <summary>One line per simulator: where it listens and how to log in.</summary>
    public IEnumerable<string> Describe()
    {
        var m = Mpower.Options;
        yield return $"SES O3b mPOWER   {Mpower.BaseAddress}  token {Mpower.TokenPath}  client {m.ClientId}, user {m.Username} / {m.Password}";
        var o = OneWeb.Options;
        yield return $"OneWeb           {OneWeb.BaseAddress}  Basic {o.ClientId} / {o.ClientSecret}";
        var i = Inventory.Options;
        yield return $"SES Inventory    {Inventory.BaseAddress}  TMF638 {i.Tmf638Username} / {i.Tmf638Password}, TMF639 {i.Tmf639Username} / {i.Tmf639Password}";
    }

    public async ValueTask DisposeAsync()
    {
        await Inventory.DisposeAsync();
        await OneWeb.DisposeAsync();
        await Mpower.DisposeAsync();
    }
}
