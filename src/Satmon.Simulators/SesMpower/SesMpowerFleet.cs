namespace Satmon.Simulators.SesMpower;

/// <summary>
/// The deterministic fleet of the mPOWER simulator: one message per reporting terminal at every multiple of the
/// sample interval (since the Unix epoch) from <see cref="HistoryStart"/> on. Messages are ordered by
/// (eventTime, objectName), which is also (eventTime, terminal index), so offset paging is stable. Tests use this
/// to compute exactly what the simulator must return; it knows nothing about the clock ("now" is the endpoint's job).
/// </summary>
public sealed class SesMpowerFleet
{
    private static readonly long UnixEpochTicks = DateTimeOffset.UnixEpoch.UtcTicks;

    private readonly long intervalTicks;
    private readonly long[] silentFromTicks;

    /// <param name="seed">Seed of every generated value.</param>
    /// <param name="terminalCount">Number of terminals (≥ 1).</param>
    /// <param name="sampleInterval">Time between samples, whole seconds (≥ 1 s).</param>
    /// <param name="historyStart">No sample exists before this time.</param>
    /// <param name="silentTerminalPercent">Share of terminals (0-100) that go silent for good 25-35 days after <paramref name="historyStart"/>.</param>
    public SesMpowerFleet(int seed, int terminalCount, TimeSpan sampleInterval, DateTimeOffset historyStart, double silentTerminalPercent = 3)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(terminalCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleInterval, TimeSpan.FromSeconds(1));
        Seed = seed;
        SampleInterval = sampleInterval;
        HistoryStart = historyStart.ToUniversalTime();
        intervalTicks = sampleInterval.Ticks;

        var nameWidth = Math.Max(6, (terminalCount - 1).ToString(System.Globalization.CultureInfo.InvariantCulture).Length);
        var terminals = new MpowerTerminal[terminalCount];
        for (var i = 0; i < terminals.Length; i++)
        {
            terminals[i] = TerminalGenerator.Create(seed, i, nameWidth, HistoryStart, silentTerminalPercent);
        }

        Terminals = terminals;
        silentFromTicks = [.. terminals.Where(t => t.SilentFrom is not null).Select(t => t.SilentFrom!.Value.UtcTicks).Order()];
    }

    /// <summary>Seed the fleet was generated from.</summary>
    public int Seed { get; }

    /// <summary>Time between two samples of one terminal.</summary>
    public TimeSpan SampleInterval { get; }

    /// <summary>No sample exists before this time.</summary>
    public DateTimeOffset HistoryStart { get; }

    /// <summary>All terminals, by index (= by object name).</summary>
    public IReadOnlyList<MpowerTerminal> Terminals { get; }

    /// <summary>The message of <paramref name="terminal"/> at <paramref name="eventTime"/> (any time; existence is not checked).</summary>
    public MpowerMessage Sample(MpowerTerminal terminal, DateTimeOffset eventTime) =>
        TerminalMetricsModel.Sample(Seed, terminal, eventTime, SampleInterval.TotalSeconds);

    /// <summary>Sample times strictly between the bounds (and not before <see cref="HistoryStart"/>), ascending.</summary>
    public IEnumerable<DateTimeOffset> SampleTimesBetween(DateTimeOffset exclusiveFrom, DateTimeOffset exclusiveTo)
    {
        var (first, last) = StepRange(exclusiveFrom, exclusiveTo);
        for (var step = first; step <= last; step++)
        {
            yield return TimeOf(step);
        }
    }

    /// <summary>Number of messages with exclusiveFrom &lt; eventTime &lt; exclusiveTo.</summary>
    public long CountBetween(DateTimeOffset exclusiveFrom, DateTimeOffset exclusiveTo)
    {
        var (first, last) = StepRange(exclusiveFrom, exclusiveTo);
        long total = 0;
        for (var step = first; step <= last; step++)
        {
            total += ReportingAt(step);
        }

        return total;
    }

    /// <summary>
    /// Messages with exclusiveFrom &lt; eventTime &lt; exclusiveTo in (eventTime, objectName) order, skipping
    /// <paramref name="offset"/> and returning at most <paramref name="limit"/>. Generated lazily, one at a time.
    /// </summary>
    public IEnumerable<MpowerMessage> MessagesBetween(DateTimeOffset exclusiveFrom, DateTimeOffset exclusiveTo, long offset = 0, long limit = long.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        return Generate(exclusiveFrom, exclusiveTo, offset, limit);
    }

    private IEnumerable<MpowerMessage> Generate(DateTimeOffset exclusiveFrom, DateTimeOffset exclusiveTo, long offset, long limit)
    {
        var (first, last) = StepRange(exclusiveFrom, exclusiveTo);
        var step = first;

        // Skip whole sample times first so deep pages cost no generation.
        for (long reporting; step <= last && offset >= (reporting = ReportingAt(step)); step++)
        {
            offset -= reporting;
        }

        for (; step <= last && limit > 0; step++)
        {
            var time = TimeOf(step);
            foreach (var terminal in Terminals)
            {
                if (!terminal.ReportsAt(time))
                {
                    continue;
                }

                if (offset > 0)
                {
                    offset--;
                    continue;
                }

                yield return Sample(terminal, time);
                if (--limit == 0)
                {
                    yield break;
                }
            }
        }
    }

    private DateTimeOffset TimeOf(long step) => new(UnixEpochTicks + (step * intervalTicks), TimeSpan.Zero);

    private int ReportingAt(long step)
    {
        // Terminals whose silence starts at or before this time do not report.
        var ticks = UnixEpochTicks + (step * intervalTicks);
        var index = Array.BinarySearch(silentFromTicks, ticks);
        var silent = index >= 0 ? UpperBound(index, ticks) : ~index;
        return Terminals.Count - silent;
    }

    private int UpperBound(int index, long ticks)
    {
        while (index < silentFromTicks.Length && silentFromTicks[index] <= ticks)
        {
            index++;
        }

        return index;
    }

    // Step n is the instant UnixEpoch + n × interval, so sample times do not depend on when the fleet was made.
    private (long First, long Last) StepRange(DateTimeOffset exclusiveFrom, DateTimeOffset exclusiveTo)
    {
        var from = Math.Max(exclusiveFrom.UtcTicks, HistoryStart.UtcTicks - 1) - UnixEpochTicks;
        var first = FloorDiv(from, intervalTicks) + 1;
        var last = FloorDiv(exclusiveTo.UtcTicks - 1 - UnixEpochTicks, intervalTicks);
        return (first, last);
    }

    private static long FloorDiv(long value, long divisor)
    {
        var quotient = Math.DivRem(value, divisor, out var remainder);
        return remainder < 0 ? quotient - 1 : quotient;
    }
}
