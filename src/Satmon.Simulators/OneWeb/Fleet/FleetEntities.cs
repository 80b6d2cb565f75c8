namespace Satmon.Simulators.OneWeb.Fleet;

/// <summary>Kind of organization: distribution partners are parents of end customers.</summary>
public enum OneWebOrganizationType
{
    /// <summary>A reseller account (parent).</summary>
    DistributionPartner,

    /// <summary>A customer account (child of one distribution partner).</summary>
    EndCustomer,
}

/// <summary>A distribution partner or end customer; <see cref="ParentId"/> is set for end customers only.</summary>
public sealed record OneWebOrganization(
    string Id, string Name, string TradingName, OneWebOrganizationType Type, string? ParentId);

/// <summary>A physical location owned by an end customer.</summary>
public sealed record OneWebSite(
    string Id, string Name, string OwnerId, string City, string Country, double Latitude, double Longitude);

/// <summary>One hardware component of a terminal (codes AIM, CNX, EGR, MDM, MIM, SSM).</summary>
public sealed record OneWebComponent(string Id, string Code, string SerialNumber, string SoftwareVersion);

/// <summary>A user terminal. Its product, site, partner and customer all exist in the same fleet.</summary>
public sealed record OneWebTerminal(
    int Index,
    string Imei,
    string Imsi,
    string Name,
    string SerialNumber,
    string Manufacturer,
    string Model,
    string FirmwareVersion,
    DateTimeOffset FirstSeen,
    string SiteId,
    string DistributionPartnerId,
    string EndCustomerId,
    string ProductId,
    double Latitude,
    double Longitude,
    IReadOnlyList<OneWebComponent> Components);

/// <summary>A site connectivity product (service plan) realised by exactly one terminal.</summary>
public sealed record OneWebProduct(
    int Index,
    string Id,
    string Name,
    string SpecificationId,
    string SpecificationName,
    DateTimeOffset StartDate,
    string ContractNumber,
    string Imei,
    string SiteId,
    string DistributionPartnerId,
    string EndCustomerId,
    double DownlinkCirMbps,
    double DownlinkMirMbps,
    double UplinkMirMbps,
    double MonthlyEntitlementGb,
    double OverageBlockGb);

/// <summary>
/// Every metric of one terminal in one interval (all report types read from this). Offline intervals carry zero
/// traffic and availability, 100 % packet loss, 0 ms latency and the SINR floor of −10 dB, so every field is
/// always present.
/// </summary>
public sealed record OneWebTerminalSample(
    string Imei,
    DateTimeOffset IntervalStart,
    DateTimeOffset IntervalEnd,
    bool Online,
    double LinkAvailabilityPercent,
    double SinrAvgDb,
    double SinrMinDb,
    double SinrMaxDb,
    int OnlineSeconds,
    int OfflineSeconds,
    int StateChanges,
    long BytesDownlink,
    long BytesUplink,
    double LatencyMsAvg,
    double PacketLossPercent,
    double ThroughputDownlinkMbpsAvg,
    double ThroughputDownlinkMbpsMax,
    double ThroughputUplinkMbpsAvg,
    double ThroughputUplinkMbpsMax)
{
    /// <summary>"online" or "offline", as the vendor spells it.</summary>
    public string ResourceState => Online ? "online" : "offline";
}

/// <summary>Throughput of one product in one interval (the same numbers as its terminal's sample).</summary>
public sealed record OneWebProductSample(
    string ProductId,
    DateTimeOffset IntervalStart,
    DateTimeOffset IntervalEnd,
    double ThroughputDownlinkMbpsAvg,
    double ThroughputDownlinkMbpsMax,
    double ThroughputUplinkMbpsAvg,
    double ThroughputUplinkMbpsMax);

/// <summary>
/// Usage of one product at one time, cumulative since the start of the bill cycle. Balance is
/// entitlement + blocks × block size − used; remaining allowance is what is left of the entitlement alone.
/// </summary>
public sealed record OneWebUsageSnapshot(
    string ProductId,
    DateTimeOffset At,
    DateTimeOffset CycleStart,
    DateTimeOffset CycleEnd,
    double MonthlyEntitlementGb,
    double UsedGb,
    double RemainingAllowanceGb,
    int OverageBlocksConsumed,
    double OverageBlockGb,
    double BalanceGb)
{
    /// <summary>Unit of every amount ("GB").</summary>
    public string Units => "GB";
}

/// <summary>Current state of a terminal as the inventory shows it.</summary>
public sealed record OneWebTerminalState(bool Online, DateTimeOffset LastSeen)
{
    /// <summary>"online" or "offline".</summary>
    public string ResourceState => Online ? "online" : "offline";
}
