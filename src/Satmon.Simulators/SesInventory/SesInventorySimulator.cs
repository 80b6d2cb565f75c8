using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Satmon.Simulators.Faults;
using Satmon.Simulators.SesInventory.Faults;
using Satmon.Simulators.SesInventory.Http;

namespace Satmon.Simulators.SesInventory;

/// <summary>
/// The SES Inventory Management vendor simulator: TMF638 services and carriers and TMF639 resources behind SES's
/// ServiceNow gateway (reference tmf638-639-api.md §9), on Kestrel at 127.0.0.1. The inventory is deterministic
/// and changes with the injected clock; faults are injected through <see cref="Faults"/> or the admin endpoints.
/// </summary>
public sealed class SesInventorySimulator : IAsyncDisposable
{
    private readonly TimeProvider timeProvider;
    private readonly ILoggerFactory loggerFactory;
    private readonly ILogger logger;
    private readonly InventoryRequestLog log = new();
    private WebApplication? app;
    private Uri? baseAddress;

    /// <param name="options">Settings; validated here (an invalid value throws <see cref="OptionsValidationException"/> naming the key).</param>
    /// <param name="timeProvider">The clock of the inventory, the origin default and injected delays.</param>
    /// <param name="loggerFactory">Where the simulator logs; null = nowhere.</param>
    public SesInventorySimulator(SesInventorySimulatorOptions options, TimeProvider timeProvider, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var result = new SesInventorySimulatorOptionsValidator().Validate(null, options);
        if (result.Failed)
        {
            throw new OptionsValidationException(SesInventorySimulatorOptions.SectionName, typeof(SesInventorySimulatorOptions), result.Failures);
        }

        Options = options;
        this.timeProvider = timeProvider;
        this.loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        logger = this.loggerFactory.CreateLogger<SesInventorySimulator>();
        Inventory = new InventoryGenerator(options, options.Origin ?? timeProvider.GetUtcNow());
        Faults = new SesInventoryFaults(Inventory, new FaultQueue("/"));
        Requests = new RequestRecorder(timeProvider, excludedPrefix: options.AdminPrefix);
    }

    /// <summary>The settings the simulator runs with.</summary>
    public SesInventorySimulatorOptions Options { get; }

    /// <summary>The deterministic inventory, for tests to compute what the API must answer.</summary>
    public InventoryGenerator Inventory { get; }

    /// <summary>Fault injection: scoped rules, path rules and data faults.</summary>
    public SesInventoryFaults Faults { get; }

    /// <summary>Every non-admin request per path, with its query string (generic recorder).</summary>
    public RequestRecorder Requests { get; }

    /// <summary>The inventory calls answered, oldest first, with entity, page and query string.</summary>
    public IReadOnlyList<InventoryRequest> InventoryRequests => log.Recent;

    /// <summary>Where the simulator listens, e.g. <c>http://127.0.0.1:41234/</c>; set by <see cref="StartAsync"/>.</summary>
    public Uri BaseAddress => baseAddress ?? throw new InvalidOperationException("The simulator is not started: call StartAsync first.");

    /// <summary>The gateway TMF638 service collection (services; carriers with <c>@type=element</c>).</summary>
    public Uri GatewayServiceUri => Absolute(Options.GatewayServicePath);

    /// <summary>The gateway TMF639 "full endpoint" (resources).</summary>
    public Uri GatewayResourceUri => Absolute(Options.GatewayResourcePath);

    /// <summary>The standard TMF638 v4 service collection.</summary>
    public Uri StandardServiceUri => Absolute(Options.StandardServicePath);

    /// <summary>The standard TMF639 v4 resource collection.</summary>
    public Uri StandardResourceUri => Absolute(Options.StandardResourcePath);

    /// <summary>Inventory calls received for <paramref name="entity"/> (services and carriers share one path).</summary>
    public int RequestCount(InventoryEntity entity) => log.CountFor(entity);

    /// <summary>Forget the recorded requests of both recorders.</summary>
    public void ResetRequests()
    {
        log.Reset();
        Requests.Reset();
    }

    /// <summary>Starts Kestrel on 127.0.0.1:<c>Port</c> and sets <see cref="BaseAddress"/>.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (app is not null)
        {
            throw new InvalidOperationException("The simulator is already started.");
        }

        var builder = SimulatorHost.CreateBuilder(Options.Port, loggerFactory);
        var web = builder.Build();
        var endpoints = new InventoryEndpoints(Options, Inventory, Faults, log, timeProvider, logger);
        var injection = new FaultInjection(
            Faults.PathRules,
            timeProvider,
            (context, rule) => endpoints.Responses.WriteErrorAsync(context, rule.StatusCode, "The request failed (fault injected by the simulator)."),
            Options.AdminPrefix);

        // Recorder first so it sees every answer, injected ones included.
        Requests.UseIn(web);
        injection.UseIn(web);
        web.UseRouting();
        web.MapFaultAdmin(Faults.PathRules, injection, Requests, Options.AdminPrefix);
        web.MapInventoryAdmin(Options.AdminPrefix, Faults, Inventory, log, timeProvider);
        endpoints.Map(web);
        app = web;
        baseAddress = await SimulatorHost.StartAsync(web, cancellationToken);
        InventoryLog.Started(logger, baseAddress, Options.ServiceCount, Options.CarrierCount, Options.ResourceCount, Options.Seed);
    }

    /// <summary>Stops Kestrel.</summary>
    public async ValueTask DisposeAsync()
    {
        if (app is { } web)
        {
            app = null;
            await web.StopAsync(CancellationToken.None);
            await web.DisposeAsync();
        }
    }

    private Uri Absolute(string path) => new(BaseAddress, path.TrimStart('/'));
}
