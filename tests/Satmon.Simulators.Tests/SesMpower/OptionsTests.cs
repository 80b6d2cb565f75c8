using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Satmon.Simulators.SesMpower;

namespace Satmon.Simulators.Tests.SesMpower;

public sealed class OptionsTests
{
    [Fact]
    public void Defaults_AreValid()
    {
        var result = new SesMpowerSimulatorOptionsValidator().Validate(null, new SesMpowerSimulatorOptions());

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Simulator_InvalidOptions_ThrowsNamingEveryBadKey()
    {
        var options = new SesMpowerSimulatorOptions
        {
            TerminalCount = 0,
            SampleInterval = TimeSpan.FromMilliseconds(500),
            ApiPrefix = "nbrace",
            RangeToParameterNames = ["eventTime.gt"],
        };

        var error = Assert.Throws<OptionsValidationException>(() => new SesMpowerSimulator(options, new FakeTimeProvider()));

        Assert.Contains("Simulators:SesMpower:TerminalCount", error.Message, StringComparison.Ordinal);
        Assert.Contains("Simulators:SesMpower:SampleInterval", error.Message, StringComparison.Ordinal);
        Assert.Contains("Simulators:SesMpower:ApiPrefix", error.Message, StringComparison.Ordinal);
        Assert.Contains("Simulators:SesMpower:RangeToParameterNames", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Simulator_DefaultHistoryStart_IsThirtyDaysBeforeTheClockAlignedToTheInterval()
    {
        var time = new FakeTimeProvider(MpowerHarness.Start.AddSeconds(17));

        await using var simulator = new SesMpowerSimulator(new SesMpowerSimulatorOptions(), time);

        Assert.Equal(MpowerHarness.Start.AddDays(-30), simulator.Fleet.HistoryStart);
        Assert.Throws<InvalidOperationException>(() => simulator.BaseAddress);
    }
}
