using System.Diagnostics.Metrics;

namespace Satmon.Core.Polling;

/// <summary>Poll counters and durations on the "Satmon" meter (exported by the host as Prometheus metrics).</summary>
public sealed class PollingMetrics
{
    /// <summary>Name of the meter every Satmon instrument lives on.</summary>
    public const string MeterName = "Satmon";

    private readonly Counter<long> _polls;
    private readonly Histogram<double> _duration;

    /// <summary>Creates the instruments through the host's meter factory.</summary>
    public PollingMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _polls = meter.CreateCounter<long>("satmon.polls", unit: "{poll}", description: "Polls by element, task and outcome.");
        _duration = meter.CreateHistogram<double>("satmon.poll.duration", unit: "s", description: "Duration of one poll task run.");
    }

    /// <summary>Records one finished run.</summary>
    public void Record(string elementId, string task, bool succeeded, TimeSpan duration)
    {
        var element = new KeyValuePair<string, object?>("element", elementId);
        var taskTag = new KeyValuePair<string, object?>("task", task);
        _polls.Add(1, element, taskTag, new KeyValuePair<string, object?>("outcome", succeeded ? "succeeded" : "failed"));
        _duration.Record(duration.TotalSeconds, element, taskTag);
    }
}
