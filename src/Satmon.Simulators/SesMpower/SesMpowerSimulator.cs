using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Satmon.Simulators.Faults;

namespace Satmon.Simulators.SesMpower;

/// <summary>
/// The SES O3b mPOWER vendor simulator: a Keycloak-style token endpoint, MEF W147 streaming management and
/// pm-reports (candidate A) over a deterministic fleet, with fault injection. Everything time-dependent reads the
/// given <see cref="TimeProvider"/>. See <c>SesMpower/README.md</c> for what is confirmed and what is assumed.
/// </summary>
public sealed class SesMpowerSimulator : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly SesMpowerRuntime runtime;
    private readonly FaultInjection injection;
    private readonly ILogger logger;
    private Uri? baseAddress;
    private int disposed;

    /// <param name="options">Settings; validated here and copied, so later changes have no effect.</param>
    /// <param name="timeProvider">The simulator's clock (a FakeTimeProvider in tests).</param>
    /// <param name="loggerFactory">Where the simulator and its Kestrel log; null = nowhere.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">An option is invalid; the message names it.</exception>
    public SesMpowerSimulator(SesMpowerSimulatorOptions options, TimeProvider timeProvider, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        SesMpowerSimulatorOptionsValidator.ThrowIfInvalid(options);
        var settings = Copy(options);
        logger = (ILogger?)loggerFactory?.CreateLogger<SesMpowerSimulator>() ?? NullLogger.Instance;

        var historyStart = settings.HistoryStart ?? timeProvider.GetUtcNow() - SesMpowerSimulatorOptions.DefaultHistoryLength;
        var interval = settings.SampleInterval.Ticks;
        var sinceEpoch = historyStart.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        historyStart = new DateTimeOffset(historyStart.UtcTicks - (((sinceEpoch % interval) + interval) % interval), TimeSpan.Zero);
        Fleet = new SesMpowerFleet(settings.Seed, settings.TerminalCount, settings.SampleInterval, historyStart, settings.SilentTerminalPercent);

        var queue = new FaultQueue(settings.ApiPrefix);
        runtime = new SesMpowerRuntime(settings, timeProvider, Fleet, queue, logger);
        Requests = new RequestRecorder(timeProvider, excludedPrefix: SesMpowerAdminEndpoints.Prefix);
        injection = new FaultInjection(queue, timeProvider, MefErrors.ForInjectedFaults(settings.TokenPath), SesMpowerAdminEndpoints.Prefix);
        Faults = new SesMpowerFaults(runtime, injection);

        app = SimulatorHost.CreateBuilder(settings.Port, loggerFactory).Build();
        // Order matters: record every request (even faulted ones), then inject faults (a gateway fails before
        // auth), then check the bearer token, then route.
        Requests.UseIn(app);
        injection.UseIn(app);
        ApiAuthentication.UseIn(app, runtime);
        TokenEndpoint.Map(app, runtime);
        StreamingManagementEndpoints.Map(app, runtime);
        PmReportsEndpoint.Map(app, runtime);
        SesMpowerAdminEndpoints.Map(app, runtime, injection, Requests);
    }

    /// <summary>Base address, e.g. <c>http://127.0.0.1:41234/</c>; available after <see cref="StartAsync"/>.</summary>
    public Uri BaseAddress => baseAddress ?? throw new InvalidOperationException("The simulator has not been started; call StartAsync first.");

    /// <summary>The generated fleet, for computing expected data.</summary>
    public SesMpowerFleet Fleet { get; }

    /// <summary>Fault injection.</summary>
    public SesMpowerFaults Faults { get; }

    /// <summary>Requests per path and the most recent requests (admin calls excluded).</summary>
    public RequestRecorder Requests { get; }

    /// <summary>Every pm-reports call (the most recent 10 000) with the range it asked for.</summary>
    public IReadOnlyList<PmReportsCall> PmReportsCalls => runtime.PmReportsCalls;

    /// <summary>The settings in use (a copy: changing it has no effect).</summary>
    public SesMpowerSimulatorOptions Options => Copy(runtime.Options);

    /// <summary>Absolute path of the token endpoint.</summary>
    public string TokenPath => runtime.Options.TokenPath;

    /// <summary>Absolute path of the streaming management API (…/mefApi/legato/streamingManagement/v1).</summary>
    public string StreamingManagementPath => runtime.Options.ApiPrefix + StreamingManagementEndpoints.RelativePath;

    /// <summary>Absolute path of pm-reports, without the subscription id.</summary>
    public string PmReportsPath => runtime.Options.ApiPrefix + PmReportsEndpoint.RelativePath;

    /// <summary>Starts Kestrel on 127.0.0.1 and returns <see cref="BaseAddress"/>.</summary>
    public async Task<Uri> StartAsync(CancellationToken cancellationToken)
    {
        if (baseAddress is not null)
        {
            throw new InvalidOperationException("The simulator is already started.");
        }

        baseAddress = await SimulatorHost.StartAsync(app, cancellationToken);
        Log.Started(logger, baseAddress, Fleet.Terminals.Count, Fleet.Seed);
        return baseAddress;
    }

    /// <summary>Stops the server (requests still held by an injected delay fail at once) and releases it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        injection.CancelDelays();
        if (baseAddress is not null)
        {
            await app.StopAsync(CancellationToken.None);
        }

        await app.DisposeAsync();
        injection.Dispose();
    }

    private static SesMpowerSimulatorOptions Copy(SesMpowerSimulatorOptions o) => new()
    {
        Port = o.Port,
        Seed = o.Seed,
        TerminalCount = o.TerminalCount,
        SampleInterval = o.SampleInterval,
        HistoryStart = o.HistoryStart,
        SilentTerminalPercent = o.SilentTerminalPercent,
        ClientId = o.ClientId,
        Username = o.Username,
        Password = o.Password,
        TokenPath = o.TokenPath,
        ApiPrefix = o.ApiPrefix,
        AccessTokenLifetime = o.AccessTokenLifetime,
        RefreshTokenLifetime = o.RefreshTokenLifetime,
        RefreshTokenRotation = o.RefreshTokenRotation,
        SubscriptionTtl = o.SubscriptionTtl,
        ExpiredSubscriptionStatusCode = o.ExpiredSubscriptionStatusCode,
        MaxRange = o.MaxRange,
        DefaultRange = o.DefaultRange,
        MaxPageSize = o.MaxPageSize,
        TopicId = o.TopicId,
        RangeFromParameterNames = [.. o.RangeFromParameterNames],
        RangeToParameterNames = [.. o.RangeToParameterNames],
    };
}
