using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Satmon.Simulators.Faults;

namespace Satmon.Simulators.OneWeb.Faults;

/// <summary>
/// Faults the OneWeb simulator plays on request, from a test (this API) or over HTTP (<c>/_admin/faults</c> for
/// the generic kinds, <c>/_admin/oneweb/faults</c> for the OneWeb ones). Status, slow and malformed faults go to
/// the shared <see cref="Queue"/>; renamed / dropped fields and late samples are OneWeb's own. Each "next N" rule
/// is used by the next N matching calls in the order the rules were added; a path prefix matches whole segments.
/// Late-sample rules stay until <see cref="Clear"/>.
/// </summary>
public sealed partial class OneWebFaults
{
    private readonly Lock _gate = new();
    private readonly List<FieldRule> _fieldRules = [];
    private readonly List<LateSampleRule> _late = [];
    private readonly ILogger _logger;

    internal OneWebFaults(ILogger logger) => _logger = logger;

    /// <summary>The shared queue of status, delay and truncation rules (also fed by <c>/_admin/faults</c>).</summary>
    public FaultQueue Queue { get; } = new("/");

    /// <summary>Answers the next <paramref name="count"/> calls with <paramref name="statusCode"/> (400–599).
    /// A 429 carries the <c>X-Ratelimit-*</c> headers and Retry-After (default 1 s).</summary>
    public void FailNext(int statusCode, int count = 1, string? pathPrefix = null, TimeSpan? retryAfter = null)
    {
        retryAfter ??= statusCode == 429 ? TimeSpan.FromSeconds(1) : null;
        Add(FaultRule.Status(statusCode, count, pathPrefix, retryAfter));
    }

    /// <summary>Answers the next <paramref name="count"/> calls with 429, Retry-After and <c>X-Ratelimit-Limit</c>,
    /// <c>X-Ratelimit-Remaining</c> (0) and <c>X-Ratelimit-Reset</c> (milliseconds).</summary>
    public void RateLimitNext(TimeSpan retryAfter, int count = 1, string? pathPrefix = null) =>
        Add(FaultRule.Status(429, count, pathPrefix, retryAfter));

    /// <summary>Holds the next <paramref name="count"/> responses back for <paramref name="delay"/> on the
    /// simulator's <see cref="TimeProvider"/>: with a fake clock the response comes only once the test advances it.</summary>
    public void SlowNext(TimeSpan delay, int count = 1, string? pathPrefix = null) =>
        Add(FaultRule.Slow(delay, count, pathPrefix));

    /// <summary>Sends only the first half of the next <paramref name="count"/> response bodies (malformed JSON).</summary>
    public void MalformNext(int count = 1, string? pathPrefix = null) =>
        Add(FaultRule.Truncate(count, pathPrefix));

    /// <summary>Renames property <paramref name="field"/> (at any depth) to <paramref name="newName"/> in the next
    /// <paramref name="count"/> successful JSON responses, e.g. <c>imei</c> → <c>IMEI</c>.</summary>
    public void RenameFieldNext(string field, string newName, int count = 1, string? pathPrefix = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(field);
        ArgumentException.ThrowIfNullOrEmpty(newName);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ThrowIfBadPrefix(pathPrefix);
        AddField(new FieldRule(field, newName, count, pathPrefix));
    }

    /// <summary>Leaves property <paramref name="field"/> (at any depth) out of the next <paramref name="count"/>
    /// successful JSON responses, e.g. <c>serialNumber</c>.</summary>
    public void DropFieldNext(string field, int count = 1, string? pathPrefix = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(field);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ThrowIfBadPrefix(pathPrefix);
        AddField(new FieldRule(field, null, count, pathPrefix));
    }

    /// <summary>
    /// Makes samples of <paramref name="reportType"/> late: a sample whose interval starts in
    /// [<paramref name="from"/>, <paramref name="to"/>) (open ends when null), of <paramref name="entityId"/> (IMEI
    /// or product id; every entity when null), appears only once its interval end is older than
    /// <paramref name="delay"/> instead of the report type's own delay.
    /// </summary>
    public void DelaySamples(
        OneWebReportType reportType, TimeSpan delay, string? entityId = null, DateTimeOffset? from = null, DateTimeOffset? to = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        var rule = new LateSampleRule(reportType, delay, entityId, from, to);
        lock (_gate)
        {
            _late.Add(rule);
        }

        LogFaultAdded(_logger, rule.ToString());
    }

    /// <summary>Removes every pending rule: the shared queue's, field rules and late-sample rules.</summary>
    public void Clear()
    {
        Queue.Clear();
        ClearOneWebRules();
    }

    /// <summary>Pending OneWeb-specific rules in words (the shared queue lists its own).</summary>
    public IReadOnlyList<string> Describe()
    {
        lock (_gate)
        {
            return [.. _fieldRules.Select(r => r.ToString()), .. _late.Select(r => r.ToString())];
        }
    }

    internal void ClearOneWebRules()
    {
        lock (_gate)
        {
            _fieldRules.Clear();
            _late.Clear();
        }
    }

    /// <summary>Uses the field rules that apply to one successful response: new name, or null to drop.</summary>
    internal IReadOnlyDictionary<string, string?>? TakeFieldEdits(string path)
    {
        Dictionary<string, string?>? edits = null;
        lock (_gate)
        {
            for (var i = 0; i < _fieldRules.Count; i++)
            {
                var rule = _fieldRules[i];
                if (!rule.Matches(path))
                {
                    continue;
                }

                // Two rules on one field: the older one applies now, the newer one waits for a later response.
                edits ??= new Dictionary<string, string?>(StringComparer.Ordinal);
                if (!edits.TryAdd(rule.Field, rule.NewName))
                {
                    continue;
                }

                if (--rule.Remaining == 0)
                {
                    _fieldRules.RemoveAt(i--);
                }
            }
        }

        return edits;
    }

    /// <summary>Late-sample rules of one report type (a snapshot).</summary>
    internal IReadOnlyList<LateSampleRule> LateRules(OneWebReportType reportType)
    {
        lock (_gate)
        {
            return _late.Count == 0 ? [] : [.. _late.Where(r => r.ReportType == reportType)];
        }
    }

    private void Add(FaultRule rule)
    {
        Queue.Add(rule);
        LogFaultAdded(_logger, $"{rule.Kind} {(rule.Kind == FaultKind.Status ? rule.StatusCode : "")} x{rule.Count} under {rule.PathPrefix ?? "/"}");
    }

    private static void ThrowIfBadPrefix(string? pathPrefix, [CallerArgumentExpression(nameof(pathPrefix))] string? name = null)
    {
        if (pathPrefix is { Length: > 0 } && pathPrefix[0] != '/')
        {
            throw new ArgumentException($"The path prefix must start with '/' (was '{pathPrefix}').", name);
        }
    }

    private void AddField(FieldRule rule)
    {
        lock (_gate)
        {
            _fieldRules.Add(rule);
        }

        LogFaultAdded(_logger, rule.ToString());
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "OneWeb simulator fault added: {Fault}")]
    private static partial void LogFaultAdded(ILogger logger, string fault);
}
