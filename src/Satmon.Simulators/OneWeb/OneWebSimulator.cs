using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Satmon.Simulators.Faults;
using Satmon.Simulators.OneWeb.Endpoints;
using Satmon.Simulators.OneWeb.Faults;
using Satmon.Simulators.OneWeb.Fleet;
using Satmon.Simulators.OneWeb.Http;

namespace Satmon.Simulators.OneWeb;

/// <summary>
/// The OneWeb Enterprise API on Kestrel at 127.0.0.1 (reference §4–§5): HTTP Basic on every path, hello,
/// inventories, performance reports and usage consumption over a deterministic <see cref="Fleet"/>, with faults
/// on request. Everything time-dependent reads the given <see cref="TimeProvider"/>, so tests move time forward.
/// </summary>
public sealed class OneWebSimulator : IAsyncDisposable
{
    /// <summary>Prefix of the admin (fault injection, request counts) endpoints; no credentials needed there.</summary>
    public const string AdminPrefix = "/_admin";

    private readonly WebApplication _app;
    private readonly RequestRecorder _recorder;
    private readonly FaultInjection _injection;
    private readonly SimulatorState _state;
    private Uri? _baseAddress;

    /// <summary>Builds (does not start) the simulator.</summary>
    /// <param name="options">Settings; validated here (an <see cref="OptionsValidationException"/> names the keys to
    /// fix). Do not change them afterwards.</param>
    /// <param name="timeProvider">The simulator's clock; the fleet is anchored to its current time.</param>
    /// <param name="loggerFactory">Where the simulator logs; null = nowhere.</param>
    public OneWebSimulator(OneWebSimulatorOptions options, TimeProvider timeProvider, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var validation = new OneWebSimulatorOptionsValidator().Validate(Microsoft.Extensions.Options.Options.DefaultName, options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(OneWebSimulatorOptions.SectionName, typeof(OneWebSimulatorOptions), validation.Failures);
        }

        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<OneWebSimulator>();
        Options = options;
        Fleet = new OneWebFleet(options, timeProvider.GetUtcNow());
        Faults = new OneWebFaults(logger);
        _recorder = new RequestRecorder(timeProvider, excludedPrefix: AdminPrefix);
        _state = new SimulatorState(options, Fleet, Faults, timeProvider);

        var gateway = new GatewayMiddleware(options, logger);
        _injection = new FaultInjection(Faults.Queue, timeProvider, gateway.WriteFaultAsync, AdminPrefix);
        _app = SimulatorHost.CreateBuilder(options.Port, loggerFactory).Build();

        // Order matters: paths are normalised before anything reads them, every call is counted (rejected ones
        // too), credentials are checked before faults and routing, as the gateway in front of the real API does.
        _app.Use(GatewayMiddleware.CollapseSlashesAsync);
        _recorder.UseIn(_app);
        _app.Use(gateway.AuthenticateAsync);
        _injection.UseIn(_app);
        _app.UseRouting();
        _app.MapInventory(_state);
        _app.MapPerformance(_state);
        _app.MapUsage(_state);
        _app.MapFaultAdmin(Faults.Queue, _injection, _recorder, AdminPrefix);
        _app.MapOneWebAdmin(_state);
        _app.MapFallback(context => JsonResponder.WriteErrorAsync(
            context, StatusCodes.Status404NotFound, "Not Found", $"No resource at {context.Request.Path}."));
    }

    /// <summary>The settings the simulator runs with.</summary>
    public OneWebSimulatorOptions Options { get; }

    /// <summary>The deterministic fleet (terminals, products, organizations, sites, metrics, usage).</summary>
    public OneWebFleet Fleet { get; }

    /// <summary>Faults to play on the next calls.</summary>
    public OneWebFaults Faults { get; }

    /// <summary>Base address once started, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress => _baseAddress ?? throw new InvalidOperationException("The OneWeb simulator is not started; call StartAsync first.");

    /// <summary>The most recent calls (admin calls excluded), oldest first, once answered.</summary>
    public IReadOnlyList<RecordedRequest> Requests => _recorder.Recent;

    /// <summary>Calls received per path (counted on arrival; repeated slashes collapsed; admin excluded).</summary>
    public IReadOnlyDictionary<string, int> RequestCountsByPath => _recorder.CountsByPath;

    /// <summary>Requests currently held back by a slow fault (poll this before advancing a fake clock).</summary>
    public int DelaysInProgress => _injection.DelaysInProgress;

    /// <summary>Calls received whose path starts with <paramref name="pathPrefix"/> (case-insensitive).</summary>
    public int RequestCount(string pathPrefix) => _recorder.CountsByPath
        .Where(kv => kv.Key.StartsWith(pathPrefix, StringComparison.OrdinalIgnoreCase))
        .Sum(kv => kv.Value);

    /// <summary>Forgets every recorded call.</summary>
    public void ResetRequests() => _recorder.Reset();

    /// <summary>
    /// Whether the sample of <paramref name="entityId"/> (IMEI, or product id for
    /// <see cref="OneWebReportType.ProductThroughput"/>) for the interval holding <paramref name="intervalStart"/>
    /// is served now, given the report type's delay and any late-sample fault.
    /// </summary>
    public bool IsSampleVisible(OneWebReportType reportType, string entityId, DateTimeOffset intervalStart) =>
        _state.Samples.IsVisible(reportType, entityId, intervalStart, _state.Time.GetUtcNow());

    /// <summary>Starts Kestrel; <see cref="BaseAddress"/> is set when this returns.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        _baseAddress = await SimulatorHost.StartAsync(_app, cancellationToken);
    }

    /// <summary>Stops Kestrel and releases the port.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_baseAddress is not null)
        {
            await _app.StopAsync();
        }

        await _app.DisposeAsync();
    }
}
