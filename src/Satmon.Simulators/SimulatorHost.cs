using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Satmon.Simulators;

/// <summary>Builds and starts a simulator's web app on loopback and tells where it listens.</summary>
public static class SimulatorHost
{
    /// <summary>
    /// A bare builder with Kestrel on 127.0.0.1:<paramref name="port"/> (0 = a free port). It reads no
    /// configuration files or environment, so a simulator embedded in another process cannot pick up that
    /// process's Kestrel endpoints or URLs.
    /// </summary>
    /// <param name="port">TCP port, 0-65535; 0 lets the OS choose.</param>
    /// <param name="loggerFactory">Where the app logs; null = nowhere.</param>
    public static WebApplicationBuilder CreateBuilder(int port = 0, ILoggerFactory? loggerFactory = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, IPEndPoint.MaxPort);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        builder.Services.AddRoutingCore();
        if (loggerFactory is not null)
        {
            // A registered instance is not disposed by the app's container: the owner keeps its factory.
            builder.Services.AddSingleton(loggerFactory);
        }

        return builder;
    }

    /// <summary>Starts <paramref name="app"/> and returns its base address, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public static async Task<Uri> StartAsync(WebApplication app, CancellationToken cancellationToken)
    {
        await app.StartAsync(cancellationToken);
        var addresses = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
        var address = addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("The simulator started but Kestrel reported no listening address.");
        return new Uri(address.EndsWith('/') ? address : address + "/");
    }
}
