namespace Satmon.Simulators.SesInventory;

/// <summary>The three lists the SES Inventory Management connector reads.</summary>
public enum InventoryEntity
{
    /// <summary>TMF638 services (customer-facing), the service collection without <c>@type=element</c>.</summary>
    Services,

    /// <summary>TMF638 carriers: the service collection with <c>@type=element</c>.</summary>
    Carriers,

    /// <summary>TMF639 resources.</summary>
    Resources,
}

/// <summary>The two APIs, each behind its own HTTP Basic credentials.</summary>
public enum InventoryApi
{
    /// <summary>TMF638 Service Inventory (services and carriers).</summary>
    Tmf638,

    /// <summary>TMF639 Resource Inventory (resources).</summary>
    Tmf639,
}

/// <summary>Status of an item, with the ServiceNow CMDB <c>operational_status</c> codes (reference §5.3).</summary>
public enum InventoryStatus : byte
{
    /// <summary>Not in the API at that time (not created yet, or retired and gone).</summary>
    Absent = 0,

    /// <summary>"Operational" (code 1): what <c>status=1</c> selects.</summary>
    Operational = 1,

    /// <summary>"Non-Operational" (code 2).</summary>
    NonOperational = 2,

    /// <summary>"Repair in Progress" (code 3).</summary>
    RepairInProgress = 3,

    /// <summary>"Retired" (code 6).</summary>
    Retired = 6,
}

/// <summary>What a list call asks for, besides paging.</summary>
/// <param name="OperationalOnly"><c>status=1</c>: only Operational items.</param>
/// <param name="UpdatedDaysAgo"><c>updatedDaysAgo=N</c>: only items whose lastUpdate is within the last N+1 days; null = all.</param>
public sealed record InventoryFilter(bool OperationalOnly = false, int? UpdatedDaysAgo = null)
{
    /// <summary>No filter.</summary>
    public static InventoryFilter None { get; } = new();

    /// <summary>What the connector's build-up asks: <c>status=1</c>.</summary>
    public static InventoryFilter Operational { get; } = new(OperationalOnly: true);

    /// <summary>Earliest lastUpdate that passes <see cref="UpdatedDaysAgo"/> at <paramref name="now"/>; null = no bound.</summary>
    public DateTimeOffset? UpdatedSince(DateTimeOffset now) =>
        UpdatedDaysAgo is { } days ? now - TimeSpan.FromDays(days + 1) : null;
}

/// <summary>One item as the API shows it at a time, in list order; for tests to compute what a page must hold.</summary>
/// <param name="Entity">Which list it is in.</param>
/// <param name="Slot">Position in the list's creation order (0-based, stable over time).</param>
/// <param name="Id">TMF <c>id</c> (32 hex digits, stable).</param>
/// <param name="ExternalId">SES <c>externalId</c> after data faults (may be null, empty or a duplicate).</param>
/// <param name="Name">Display name.</param>
/// <param name="Status">Status at that time.</param>
/// <param name="LastUpdate">SES <c>lastUpdate</c> at that time.</param>
/// <param name="Type">"CFS" for services, "element" for carriers, the resource type (e.g. "Modem") for resources.</param>
public sealed record InventoryItem(
    InventoryEntity Entity, long Slot, string Id, string? ExternalId, string Name, InventoryStatus Status, DateTimeOffset LastUpdate, string Type)
{
    /// <summary>The status as the API writes it ("Operational", "Non-Operational", ...).</summary>
    public string StatusText => InventoryStatusText.Of(Status);
}

/// <summary>Texts of <see cref="InventoryStatus"/> as the API writes them.</summary>
public static class InventoryStatusText
{
    /// <summary>"Operational", "Non-Operational", "Repair in Progress", "Retired" (ServiceNow CMDB choice labels).</summary>
    public static string Of(InventoryStatus status) => status switch
    {
        InventoryStatus.Operational => "Operational",
        InventoryStatus.NonOperational => "Non-Operational",
        InventoryStatus.RepairInProgress => "Repair in Progress",
        InventoryStatus.Retired => "Retired",
        _ => "Absent",
    };
}
