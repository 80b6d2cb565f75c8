using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Http;

namespace Satmon.Simulators.Faults;

/// <summary>
/// Thread-safe, ordered list of fault rules. Requests take rules in the order they were added, so a test can
/// script "first a 429, then a 500" and get exactly that.
/// </summary>
public sealed class FaultQueue
{
    private readonly Lock gate = new();
    private readonly List<Entry> entries = [];

    /// <param name="defaultScope">Path prefix a rule without its own <see cref="FaultRule.PathPrefix"/> applies to
    /// (e.g. the API prefix, so "fail the next call" does not hit the token endpoint); "/" or empty = every path.</param>
    public FaultQueue(string defaultScope = "/")
    {
        DefaultScope = NormalizePrefix(defaultScope);
    }

    /// <summary>Prefix that rules without their own prefix apply to.</summary>
    public PathString DefaultScope { get; }

    /// <summary>Rules still waiting, in order, with the requests they have left.</summary>
    public IReadOnlyList<PendingFault> Pending
    {
        get
        {
            lock (gate)
            {
                return [.. entries.Select(e => new PendingFault(e.Rule, e.Remaining))];
            }
        }
    }

    /// <summary>Queue a rule behind the ones already waiting.</summary>
    public void Add(FaultRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        rule.Validate();
        lock (gate)
        {
            entries.Add(new Entry(rule));
        }
    }

    /// <summary>Drop every waiting rule.</summary>
    public void Clear()
    {
        lock (gate)
        {
            entries.Clear();
        }
    }

    /// <summary>
    /// Take one use of the first waiting rule that matches <paramref name="path"/> and <paramref name="accepts"/>;
    /// a rule whose uses are spent leaves the queue.
    /// </summary>
    public bool TryTake(PathString path, Func<FaultRule, bool> accepts, [NotNullWhen(true)] out FaultRule? rule)
    {
        lock (gate)
        {
            for (var i = 0; i < entries.Count; i++)
            {
                var entry = entries[i];
                if (!accepts(entry.Rule) || !Matches(entry.Rule, path))
                {
                    continue;
                }

                entry.Remaining--;
                if (entry.Remaining == 0)
                {
                    entries.RemoveAt(i);
                }

                rule = entry.Rule;
                return true;
            }
        }

        rule = null;
        return false;
    }

    private bool Matches(FaultRule rule, PathString path)
    {
        var prefix = rule.PathPrefix is { Length: > 0 } own ? NormalizePrefix(own) : DefaultScope;
        return !prefix.HasValue || path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase);
    }

    // "/" would never match with StartsWithSegments semantics on "/x", so the root becomes "match everything".
    private static PathString NormalizePrefix(string prefix) =>
        string.IsNullOrEmpty(prefix) || prefix == "/" ? PathString.Empty : new PathString(prefix.TrimEnd('/'));

    private sealed class Entry(FaultRule rule)
    {
        public FaultRule Rule { get; } = rule;

        public int Remaining { get; set; } = rule.Count;
    }
}
