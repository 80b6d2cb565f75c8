namespace Satmon.Core.Cluster;

/// <summary>
/// Several nodes on one database (section <c>Cluster</c>): each element is polled by the node holding its lease.
/// </summary>
public sealed class ClusterOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Cluster";

    /// <summary>
    /// Whether elements are shared out by leases. Null (default): on for a shared database server (PostgreSQL),
    /// off for SQLite, where one node owns the file.
    /// </summary>
    public bool? Enabled { get; set; }

    /// <summary>
    /// This node's identity in the lease table. Default: host name, process id and a random suffix, so two
    /// processes on one host never share an identity; a restarted node takes its elements back once the old
    /// leases run out (at once after a clean stop, which releases them).
    /// </summary>
    public string? NodeId { get; set; }

    /// <summary>How long a lease lasts without renewal (default 30 s): the longest pause before another node takes over.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often leases are renewed and free elements taken (default 10 s); must be under half the lease.</summary>
    public TimeSpan RenewInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often a node looks for requests (poll now, commands) sent through another node's API (default 1 s).</summary>
    public TimeSpan RequestInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long an API call waits for the node running the element to carry a request out (default 30 s).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Problems with the values, each naming its key; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (NodeId is { } id && (string.IsNullOrWhiteSpace(id) || id.Length > 200))
        {
            errors.Add($"{SectionName}:{nameof(NodeId)} must be 1 to 200 characters when set; got '{id}'.");
        }

        if (LeaseDuration < TimeSpan.FromSeconds(1) || LeaseDuration > TimeSpan.FromHours(1))
        {
            errors.Add($"{SectionName}:{nameof(LeaseDuration)} must be between 1 s and 1 h; got {LeaseDuration}.");
        }

        if (RenewInterval <= TimeSpan.Zero || RenewInterval * 2 >= LeaseDuration)
        {
            errors.Add($"{SectionName}:{nameof(RenewInterval)} must be above 0 and under half of {nameof(LeaseDuration)} ({LeaseDuration}); got {RenewInterval}.");
        }

        if (RequestInterval < TimeSpan.FromMilliseconds(50) || RequestInterval > TimeSpan.FromMinutes(1))
        {
            errors.Add($"{SectionName}:{nameof(RequestInterval)} must be between 50 ms and 1 min; got {RequestInterval}.");
        }

        if (RequestTimeout < TimeSpan.FromSeconds(1) || RequestTimeout > TimeSpan.FromMinutes(10))
        {
            errors.Add($"{SectionName}:{nameof(RequestTimeout)} must be between 1 s and 10 min; got {RequestTimeout}.");
        }

        return errors;
    }

    /// <summary>The configured node id, or a fresh one unique to this process.</summary>
    public string ResolveNodeId() =>
        NodeId ?? $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("n")[..6]}";
}
