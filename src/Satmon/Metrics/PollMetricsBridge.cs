using System.Diagnostics.Metrics;
using Prometheus;
using Satmon.Core.Polling;

namespace Satmon.Metrics;

/// <summary>
/// Copies the "Satmon" meter's poll counter and duration histogram into this host's Prometheus registry.
/// Only instruments created through this host's <see cref="IMeterFactory"/> are taken: several hosts can share a
/// process (tests), and each must export its own polls only.
/// </summary>
internal sealed class PollMetricsBridge : IDisposable
{
    private const string PollsInstrument = "satmon.polls";
    private const string DurationInstrument = "satmon.poll.duration";

    private readonly IMeterFactory _meterFactory;
    private readonly MeterListener _listener = new();
    private readonly Counter _polls;
    private readonly Histogram _duration;

    public PollMetricsBridge(IMeterFactory meterFactory, CollectorRegistry registry)
    {
        _meterFactory = meterFactory;
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        _polls = factory.CreateCounter("satmon_polls_total", "Poll task runs by element, task and outcome (succeeded|failed).",
            "element", "task", "outcome");
        _duration = factory.CreateHistogram("satmon_poll_duration_seconds", "Duration of one poll task run, in seconds.",
            new HistogramConfiguration { LabelNames = ["element", "task"], Buckets = Histogram.ExponentialBuckets(0.005, 2, 15) });
        _listener.InstrumentPublished = OnInstrumentPublished;
        _listener.SetMeasurementEventCallback<long>(OnLong);
        _listener.SetMeasurementEventCallback<double>(OnDouble);
    }

    /// <summary>Starts listening; instruments that exist already are picked up too.</summary>
    public void Start() => _listener.Start();

    public void Dispose() => _listener.Dispose();

    private void OnInstrumentPublished(Instrument instrument, MeterListener listener)
    {
        if (instrument.Meter.Name == PollingMetrics.MeterName
            && ReferenceEquals(instrument.Meter.Scope, _meterFactory)
            && instrument.Name is PollsInstrument or DurationInstrument)
        {
            listener.EnableMeasurementEvents(instrument);
        }
    }

    private void OnLong(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        if (instrument.Name == PollsInstrument)
        {
            _polls.WithLabels(Tag(tags, "element"), Tag(tags, "task"), Tag(tags, "outcome")).Inc(value);
        }
    }

    private void OnDouble(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        if (instrument.Name == DurationInstrument)
        {
            _duration.WithLabels(Tag(tags, "element"), Tag(tags, "task")).Observe(value);
        }
    }

    private static string Tag(ReadOnlySpan<KeyValuePair<string, object?>> tags, string name)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == name)
            {
                return tag.Value?.ToString() ?? "";
            }
        }

        return "";
    }
}
