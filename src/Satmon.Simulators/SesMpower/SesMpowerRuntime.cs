using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Satmon.Simulators.Faults;

namespace Satmon.Simulators.SesMpower;

/// <summary>Everything the endpoints of one simulator instance share. Plain objects, not DI: the simulator's
/// clock must not leak into ASP.NET Core's own services (Kestrel would pick up a fake TimeProvider).</summary>
internal sealed class SesMpowerRuntime
{
    private const int PmReportsCallCapacity = 10_000;

    private readonly ConcurrentQueue<PmReportsCall> pmReportsCalls = new();

    public SesMpowerRuntime(SesMpowerSimulatorOptions options, TimeProvider timeProvider, SesMpowerFleet fleet, FaultQueue faultQueue, ILogger logger)
    {
        Options = options;
        TimeProvider = timeProvider;
        Fleet = fleet;
        FaultQueue = faultQueue;
        Logger = logger;
        Tokens = new TokenService(options, timeProvider);
        Subscriptions = new SubscriptionStore(options, timeProvider);
    }

    public SesMpowerSimulatorOptions Options { get; }

    public TimeProvider TimeProvider { get; }

    public SesMpowerFleet Fleet { get; }

    public FaultQueue FaultQueue { get; }

    public ILogger Logger { get; }

    public TokenService Tokens { get; }

    public SubscriptionStore Subscriptions { get; }

    public IReadOnlyList<PmReportsCall> PmReportsCalls => [.. pmReportsCalls];

    public void RecordPmReportsCall(PmReportsCall call)
    {
        pmReportsCalls.Enqueue(call);
        while (pmReportsCalls.Count > PmReportsCallCapacity && pmReportsCalls.TryDequeue(out _))
        {
        }
    }

    public void ClearPmReportsCalls() => pmReportsCalls.Clear();
}
