using System.ComponentModel.DataAnnotations;

namespace Satmon.Simulators.SesInventory;

/// <summary>
/// Settings of the SES Inventory Management (TMF638/TMF639 behind SES's ServiceNow gateway) simulator. Every
/// path and every unsure parameter name is a setting, so that a captured real response can be matched without
/// code changes; the defaults follow reference §9 (see the README next to this file for what is confirmed).
/// </summary>
public sealed class SesInventorySimulatorOptions
{
    /// <summary>Configuration section name when bound from configuration.</summary>
    public const string SectionName = "Simulators:SesInventory";

    /// <summary>Seed of the deterministic inventory. Default 1.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>Services (TMF638, not carriers) that exist at <see cref="Origin"/>. Default 2 000.</summary>
    [Range(0, 10_000_000)]
    public int ServiceCount { get; set; } = 2_000;

    /// <summary>Carriers (TMF638 <c>@type=element</c>) that exist at <see cref="Origin"/>. Default 500.</summary>
    [Range(0, 10_000_000)]
    public int CarrierCount { get; set; } = 500;

    /// <summary>Resources (TMF639) that exist at <see cref="Origin"/>, excluded types included. Default 5 000.</summary>
    [Range(0, 10_000_000)]
    public int ResourceCount { get; set; } = 5_000;

    /// <summary>TCP port on 127.0.0.1. Default 0 (the OS picks a free port).</summary>
    [Range(0, 65535)]
    public int Port { get; set; }

    /// <summary>HTTP Basic user name of the TMF638 API (services and carriers). Default "tmf638-user".</summary>
    [Required]
    public string Tmf638Username { get; set; } = "tmf638-user";

    /// <summary>HTTP Basic password of the TMF638 API. Default "tmf638-password".</summary>
    [Required]
    public string Tmf638Password { get; set; } = "tmf638-password";

    /// <summary>HTTP Basic user name of the TMF639 API (resources). Default "tmf639-user".</summary>
    [Required]
    public string Tmf639Username { get; set; } = "tmf639-user";

    /// <summary>HTTP Basic password of the TMF639 API. Default "tmf639-password".</summary>
    [Required]
    public string Tmf639Password { get; set; } = "tmf639-password";

    /// <summary>SES gateway TMF638 service collection. Default <c>/gstm/dataminer/tmf/api/v1/tmf638/service</c> (assumed, reference §6).</summary>
    [Required]
    public string GatewayServicePath { get; set; } = "/gstm/dataminer/tmf/api/v1/tmf638/service";

    /// <summary>
    /// SES gateway TMF639 "full endpoint". Default <c>/gstm/dataminer/tmf/api/v1/tmf639</c> (confirmed as the
    /// connector's default); resources are listed at this path and at <c>{path}/resource</c>.
    /// </summary>
    [Required]
    public string GatewayResourcePath { get; set; } = "/gstm/dataminer/tmf/api/v1/tmf639";

    /// <summary>Standard TMF638 v4 service collection. Default <c>/tmf-api/serviceInventory/v4/service</c> (confirmed, v4 spec).</summary>
    [Required]
    public string StandardServicePath { get; set; } = "/tmf-api/serviceInventory/v4/service";

    /// <summary>Standard TMF639 v4 resource collection. Default <c>/tmf-api/resourceInventoryManagement/v4/resource</c> (confirmed, v4 spec).</summary>
    [Required]
    public string StandardResourcePath { get; set; } = "/tmf-api/resourceInventoryManagement/v4/resource";

    /// <summary>
    /// Names of the gateway page-index parameter, any of which is accepted. Default <c>page</c> and
    /// <c>pageNumber</c>: the real name is unknown (reference §10.2).
    /// </summary>
    public IList<string> PageIndexParameterNames { get; set; } = ["page", "pageNumber"];

    /// <summary>Index of the first gateway page: 0 or 1. Default 1 (unknown in the real API, reference §10.2).</summary>
    [Range(0, 1)]
    public int FirstPageIndex { get; set; } = 1;

    /// <summary>Gateway page size when <c>recordsPerPage</c> is absent. Default 50 records (the connector's value).</summary>
    [Range(1, 100_000)]
    public int DefaultRecordsPerPage { get; set; } = 50;

    /// <summary>TMF page size when <c>limit</c> is absent (offset given alone). Default 20 records (ServiceNow's default).</summary>
    [Range(1, 100_000)]
    public int DefaultLimit { get; set; } = 20;

    /// <summary>Largest page either flavour returns, whatever the client asks. Default 10 000 records.</summary>
    [Range(1, 100_000)]
    public int MaxPageSize { get; set; } = 10_000;

    /// <summary>
    /// Also send <c>X-Total-Count</c> / <c>X-Result-Count</c> on gateway-flavour pages. Default false: the connector
    /// doc detects the end by a short page only, so a client must not need them.
    /// </summary>
    public bool GatewayCountHeaders { get; set; }

    /// <summary>Wrap list bodies as <c>{"result": [...]}</c> (ServiceNow scripted REST). Default false (bare array).</summary>
    public bool WrapInResult { get; set; }

    /// <summary>Shape of error bodies. Default <see cref="InventoryErrorFormat.ServiceNow"/> (the gateway is SNOW-backed).</summary>
    public InventoryErrorFormat ErrorFormat { get; set; } = InventoryErrorFormat.ServiceNow;

    /// <summary>
    /// Start of the simulated timeline: the inventory holds exactly the configured counts then, and changes every
    /// <see cref="ChangeInterval"/> after. Default null = the clock's time when the simulator is created.
    /// </summary>
    public DateTimeOffset? Origin { get; set; }

    /// <summary>
    /// Granularity of inventory changes: the data are constant within one interval and change at its end, so
    /// paging through a snapshot is stable. Default 1 hour; at least 1 minute, at most 1 day.
    /// </summary>
    public TimeSpan ChangeInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Shortest time between two updates of one item (lastUpdate moves). Default 1 day.</summary>
    public TimeSpan MinUpdatePeriod { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Longest time between two updates of one item. Default 30 days.</summary>
    public TimeSpan MaxUpdatePeriod { get; set; } = TimeSpan.FromDays(30);

    /// <summary>New items per day, in percent of the initial count of each entity type. Default 1 %.</summary>
    [Range(0.0, 100.0)]
    public double NewItemsPercentPerDay { get; set; } = 1.0;

    /// <summary>Chance per day that an operational item is retired, in percent. Default 0.5 %.</summary>
    [Range(0.0, 100.0)]
    public double RetiredItemsPercentPerDay { get; set; } = 0.5;

    /// <summary>Share of retired items that disappear from the API rather than stay with a non-Operational status. Default 50 %.</summary>
    [Range(0.0, 100.0)]
    public double GonePercentOfRetired { get; set; } = 50.0;

    /// <summary>Share of the initial items already non-Operational at <see cref="Origin"/>. Default 5 %.</summary>
    [Range(0.0, 100.0)]
    public double InitialNonOperationalPercent { get; set; } = 5.0;

    /// <summary>Share of modem resources having an outage (status not Operational) in each modem cycle. Default 50 %.</summary>
    [Range(0.0, 100.0)]
    public double ModemOutagePercent { get; set; } = 50.0;

    /// <summary>
    /// Let <c>status=1</c> return modems whatever their current status. Default false (strict: only Operational).
    /// True lets a client that always filters by status see modem status changes (the real behaviour is unknown).
    /// </summary>
    public bool StatusFilterKeepsModems { get; set; }

    /// <summary>Data fault: services/carriers whose externalId repeats an earlier item's, in percent. Default 0.</summary>
    [Range(0.0, 100.0)]
    public double DuplicateExternalIdPercent { get; set; }

    /// <summary>Data fault: services/carriers with a null externalId, in percent. Default 0.</summary>
    [Range(0.0, 100.0)]
    public double NullExternalIdPercent { get; set; }

    /// <summary>Data fault: services/carriers with an empty externalId, in percent. Default 0.</summary>
    [Range(0.0, 100.0)]
    public double EmptyExternalIdPercent { get; set; }

    /// <summary>
    /// Resources of the types the connector drops (Card, BandwidthSegment, LogicalPort, Multicast, Slot, Port,
    /// Circuit), in percent. Default 20 %.
    /// </summary>
    [Range(0.0, 100.0)]
    public double ExcludedTypePercent { get; set; } = 20.0;

    /// <summary>Prefix of the admin (fault injection) endpoints, which need no auth. Default <c>/_admin</c>.</summary>
    [Required]
    public string AdminPrefix { get; set; } = "/_admin";

    internal IEnumerable<(string Key, string Value)> Paths()
    {
        yield return (nameof(GatewayServicePath), GatewayServicePath);
        yield return (nameof(GatewayResourcePath), GatewayResourcePath);
        yield return (nameof(StandardServicePath), StandardServicePath);
        yield return (nameof(StandardResourcePath), StandardResourcePath);
        yield return (nameof(AdminPrefix), AdminPrefix);
    }
}

/// <summary>Error body shapes of reference §8.7.</summary>
public enum InventoryErrorFormat
{
    /// <summary><c>{"error":{"message":..,"detail":..},"status":"failure"}</c> (ServiceNow).</summary>
    ServiceNow,

    /// <summary><c>{"code":..,"reason":..,"message":..,"status":..}</c> (TMF Error schema).</summary>
    Tmf,

    /// <summary>A short HTML page, as a gateway in front of the API may answer 502/504 (reference §8.7, assumed).</summary>
    Html,
}
