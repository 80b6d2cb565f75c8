using System.Diagnostics.CodeAnalysis;
using Satmon.Simulators.Faults;

namespace Satmon.Simulators.SesInventory.Faults;

/// <summary>
/// Fault injection of the inventory simulator: rules scoped by API / entity / page (<see cref="InventoryFaultRule"/>),
/// the generic path-prefix rules of <see cref="PathRules"/>, and the data faults of the inventory. The same is
/// reachable over HTTP under <c>{AdminPrefix}/inventory/...</c> and <c>{AdminPrefix}/faults</c>.
/// </summary>
public sealed class SesInventoryFaults
{
    private readonly Lock gate = new();
    private readonly List<Entry> entries = [];
    private readonly InventoryGenerator inventory;
    private int delaysInProgress;

    internal SesInventoryFaults(InventoryGenerator inventory, FaultQueue pathRules)
    {
        this.inventory = inventory;
        PathRules = pathRules;
    }

    /// <summary>Generic rules matched by path prefix (status with Retry-After, delay, truncated body), shared with the other simulators.</summary>
    public FaultQueue PathRules { get; }

    /// <summary>Faults in the data (duplicate / null / empty externalIds, excluded resource types); applied from the next call.</summary>
    public InventoryDataFaults Data
    {
        get => inventory.DataFaults;
        set => inventory.DataFaults = value;
    }

    /// <summary>
    /// Calls waiting in an injected delay. With a fake clock a delayed call only finishes when the test advances
    /// the clock past the delay: poll this until it is non-zero, then advance.
    /// </summary>
    public int DelaysInProgress => Volatile.Read(ref delaysInProgress);

    /// <summary>Rules still waiting, in order.</summary>
    public IReadOnlyList<PendingInventoryFault> Pending
    {
        get
        {
            lock (gate)
            {
                return [.. entries.Select(e => new PendingInventoryFault(e.Rule, e.Remaining))];
            }
        }
    }

    /// <summary>Queue a rule behind the ones already waiting.</summary>
    public void Add(InventoryFaultRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        rule.Validate();
        lock (gate)
        {
            entries.Add(new Entry(rule));
        }
    }

    /// <summary>A page that answers 504 (or <paramref name="statusCode"/>) every time unless <paramref name="times"/> is set.</summary>
    public void FailPage(InventoryEntity entity, int page, int statusCode = 504, int? times = null) =>
        Add(InventoryFaultRule.FailPage(entity, page, statusCode, times));

    /// <summary>Every call for <paramref name="entity"/> answers 502 (or <paramref name="statusCode"/>).</summary>
    public void FailEntity(InventoryEntity entity, int statusCode = 502, int? times = null) =>
        Add(InventoryFaultRule.FailEntity(entity, statusCode, times));

    /// <summary>Calls of <paramref name="api"/> answer 401 even with the right credentials.</summary>
    public void Unauthorized(InventoryApi api, int? times = null) => Add(InventoryFaultRule.Unauthorized(api, times));

    /// <summary>The next matching call(s) wait <paramref name="delay"/> on the simulator's clock.</summary>
    public void Slow(TimeSpan delay, InventoryEntity? entity = null, int? page = null, int? times = 1) =>
        Add(InventoryFaultRule.Slow(delay, entity, page, times));

    /// <summary>The next matching call(s) get a truncated JSON body.</summary>
    public void Malformed(InventoryEntity? entity = null, int? page = null, int? times = 1) =>
        Add(InventoryFaultRule.Malformed(entity, page, times));

    /// <summary>Drop every rule (scoped and path rules); data faults stay.</summary>
    public void Clear()
    {
        lock (gate)
        {
            entries.Clear();
        }

        PathRules.Clear();
    }

    internal static InventoryApi ApiOf(InventoryEntity entity) =>
        entity == InventoryEntity.Resources ? InventoryApi.Tmf639 : InventoryApi.Tmf638;

    internal void EnterDelay() => Interlocked.Increment(ref delaysInProgress);

    internal void LeaveDelay() => Interlocked.Decrement(ref delaysInProgress);

    /// <summary>Takes one use of the first rule of <paramref name="kind"/> matching the call.</summary>
    internal bool TryTake(
        InventoryFaultKind kind, InventoryEntity entity, int? page, bool updated, [NotNullWhen(true)] out InventoryFaultRule? rule)
    {
        var api = ApiOf(entity);
        lock (gate)
        {
            for (var i = 0; i < entries.Count; i++)
            {
                var entry = entries[i];
                if (entry.Rule.Kind != kind || !entry.Rule.Matches(api, entity, page, updated))
                {
                    continue;
                }

                if (entry.Remaining is { } remaining)
                {
                    entry.Remaining = remaining - 1;
                    if (entry.Remaining == 0)
                    {
                        entries.RemoveAt(i);
                    }
                }

                rule = entry.Rule;
                return true;
            }
        }

        rule = null;
        return false;
    }

    private sealed class Entry(InventoryFaultRule rule)
    {
        public InventoryFaultRule Rule { get; } = rule;

        public int? Remaining { get; set; } = rule.Times;
    }
}
