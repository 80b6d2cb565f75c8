using Satmon.Simulators.OneWeb.Faults;
using Satmon.Simulators.OneWeb.Fleet;
using Satmon.Simulators.OneWeb.Http;
using Satmon.Simulators.OneWeb.Reports;
using Satmon.Simulators.OneWeb.Wire;

namespace Satmon.Simulators.OneWeb.Endpoints;

/// <summary>Everything the endpoint handlers share; one per simulator.</summary>
internal sealed class SimulatorState(
    OneWebSimulatorOptions options, OneWebFleet fleet, OneWebFaults faults, TimeProvider timeProvider)
{
    public OneWebSimulatorOptions Options { get; } = options;

    public OneWebFleet Fleet { get; } = fleet;

    public OneWebFaults Faults { get; } = faults;

    public TimeProvider Time { get; } = timeProvider;

    public JsonResponder Responder { get; } = new(options, faults);

    public WireMapper Mapper { get; } = new(fleet, options);

    public SampleCatalog Samples { get; } = new(fleet, options, faults);

    public ReportStore Reports { get; } = new();
}
