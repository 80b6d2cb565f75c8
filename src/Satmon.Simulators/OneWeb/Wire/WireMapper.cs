using System.Globalization;
using System.Text.Json.Nodes;
using Satmon.Simulators.OneWeb.Fleet;

namespace Satmon.Simulators.OneWeb.Wire;

/// <summary>Dresses fleet entities in the vendor's JSON shapes (reference §5).</summary>
internal sealed class WireMapper(OneWebFleet fleet, OneWebSimulatorOptions options)
{
    public UserTerminalWire Terminal(OneWebTerminal t, DateTimeOffset now)
    {
        var state = fleet.StateAt(t, now);
        fleet.TryGetOrganization(t.DistributionPartnerId, out var partner);
        fleet.TryGetOrganization(t.EndCustomerId, out var customer);
        double[] coordinates = options.LocationCoordinateOrder == CoordinateOrder.LonLat
            ? [t.Longitude, t.Latitude]
            : [t.Latitude, t.Longitude];
        return new UserTerminalWire(
            t.Imei,
            t.Imei,
            t.Imsi,
            t.Name,
            t.SerialNumber,
            t.FirstSeen,
            state.LastSeen,
            state.ResourceState,
            state.Online ? "enable" : "disable",
            t.FirmwareVersion,
            t.Manufacturer,
            t.Model,
            [
                new RelatedPartyWire(t.DistributionPartnerId, partner?.TradingName, "DistributionPartner", "Organization"),
                new RelatedPartyWire(t.EndCustomerId, customer?.TradingName, "EndCustomer", "Organization"),
            ],
            new PlaceRefWire(t.SiteId, "FIXED", null, "GeographicSite"),
            [new EntityRefWire(t.ProductId, "Product")],
            new GeoJsonFeatureCollectionWire("FeatureCollection",
            [
                new GeoJsonFeatureWire("Feature", new GeoJsonPointWire("Point", coordinates), new GeoJsonPropertiesWire(state.LastSeen)),
            ]),
            [.. t.Components.Select(c => new ResourceRelationshipWire("contains", new ComponentResourceWire(c.Id, c.Code,
            [
                new CharacteristicWire("softwareVersion", JsonValue.Create(c.SoftwareVersion)),
                new CharacteristicWire("serialNumber", JsonValue.Create(c.SerialNumber)),
            ])))],
            "UserTerminal");
    }

    public ProductWire Product(OneWebProduct p) => new(
        p.Id,
        p.Name,
        "active",
        p.StartDate,
        new ProductSpecificationRefWire(p.SpecificationId, p.SpecificationName),
        [
            new CharacteristicWire("imei", JsonValue.Create(p.Imei)),
            new CharacteristicWire("contractNumber", JsonValue.Create(p.ContractNumber)),
            new CharacteristicWire("downlinkCIRMbps", JsonValue.Create(p.DownlinkCirMbps)),
            new CharacteristicWire("downlinkMIRMbps", JsonValue.Create(p.DownlinkMirMbps)),
            new CharacteristicWire("uplinkMIRMbps", JsonValue.Create(p.UplinkMirMbps)),
            new CharacteristicWire("monthlyEntitlementGB", JsonValue.Create(p.MonthlyEntitlementGb)),
            new CharacteristicWire("overageBlockGB", JsonValue.Create(p.OverageBlockGb)),
        ],
        [
            new RelatedPartyWire(p.DistributionPartnerId, null, "DistributionPartner", "Organization"),
            new RelatedPartyWire(p.EndCustomerId, null, "EndCustomer", "Organization"),
        ],
        [new PlaceRefWire(p.SiteId, null, "InstallationSite", "GeographicSite")],
        [new EntityRefWire(p.Imei, "UserTerminal")]);

    public OrganizationWire Organization(OneWebOrganization o)
    {
        if (o.Type == OneWebOrganizationType.DistributionPartner)
        {
            var children = fleet.CustomersOf(o.Id)
                .Select(c => new OrganizationRelationshipWire("customer", new OrganizationRefWire(c.Id, c.TradingName)))
                .ToArray();
            return new OrganizationWire(o.Id, o.TradingName, o.Name, "DistributionPartner", "validated", children, null);
        }

        fleet.TryGetOrganization(o.ParentId!, out var parent);
        return new OrganizationWire(o.Id, o.TradingName, o.Name, "EndCustomer", "validated", null,
            new OrganizationRelationshipWire("customer", new OrganizationRefWire(o.ParentId!, parent?.TradingName ?? o.ParentId!)));
    }

    public static SiteWire Site(OneWebSite s) => new(
        s.Id,
        s.Name,
        "active",
        [new RelatedPartyWire(s.OwnerId, null, "Owner", "Organization")],
        [
            new SitePlaceWire("GeographicAddress", s.City, s.Country, null, null),
            new SitePlaceWire("GeographicLocation", null, null, "point",
            [
                new GeometryPointWire(
                    s.Longitude.ToString("0.0###", CultureInfo.InvariantCulture),
                    s.Latitude.ToString("0.0###", CultureInfo.InvariantCulture)),
            ]),
        ]);

    public static UsageReportWire Usage(OneWebProduct p, OneWebUsageSnapshot u)
    {
        var cycle = u.CycleStart.UtcDateTime;
        return new UsageReportWire(
            $"UCR-{p.Id}-{cycle:yyyyMM}",
            u.At,
            "Site Connectivity usage",
            new RelatedPartyWire(p.EndCustomerId, null, "EndCustomer", null),
            [
                new BucketWire(
                    $"{p.Id}-DATA",
                    "Monthly data",
                    "data",
                    false,
                    [new EntityRefWire(p.Id, null)],
                    [
                        new BucketBalanceWire(
                            new QuantityWire(u.BalanceGb, u.Units),
                            string.Create(CultureInfo.InvariantCulture, $"{u.BalanceGb} {u.Units}"),
                            new ValidForWire(u.CycleStart, u.CycleEnd)),
                    ],
                    [
                        new BucketCounterWire("entitlement", new QuantityWire(u.MonthlyEntitlementGb, u.Units)),
                        new BucketCounterWire("used", new QuantityWire(u.UsedGb, u.Units)),
                        new BucketCounterWire("remainingAllowance", new QuantityWire(u.RemainingAllowanceGb, u.Units)),
                        new BucketCounterWire("overageBlocksConsumed", new QuantityWire(u.OverageBlocksConsumed, "block")),
                        new BucketCounterWire("overageBlockSize", new QuantityWire(u.OverageBlockGb, u.Units)),
                        new BucketCounterWire("balance", new QuantityWire(u.BalanceGb, u.Units)),
                    ]),
            ],
            cycle.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    }

    public ReportContentItemWire TerminalReportItem(OneWebReportType type, OneWebTerminalSample s) =>
        Item(s.IntervalStart, s.IntervalEnd, type switch
        {
            OneWebReportType.UserTerminalLinkAvailability => new DataPointWire
            {
                Type = type.ToString(), UserTerminalId = s.Imei, LinkAvailabilityPercent = s.LinkAvailabilityPercent,
            },
            OneWebReportType.UserTerminalSignalQuality => new DataPointWire
            {
                Type = type.ToString(), UserTerminalId = s.Imei, SinrAvgDb = s.SinrAvgDb, SinrMinDb = s.SinrMinDb, SinrMaxDb = s.SinrMaxDb,
            },
            OneWebReportType.UserTerminalResourceState => new DataPointWire
            {
                Type = type.ToString(), UserTerminalId = s.Imei, ResourceState = s.ResourceState,
                OnlineSeconds = s.OnlineSeconds, OfflineSeconds = s.OfflineSeconds, StateChanges = s.StateChanges,
            },
            OneWebReportType.UserTerminalTraffic => new DataPointWire
            {
                Type = type.ToString(), UserTerminalId = s.Imei, BytesDownlink = s.BytesDownlink, BytesUplink = s.BytesUplink,
            },
            OneWebReportType.UserTerminalLinkMetrics => new DataPointWire
            {
                Type = type.ToString(), UserTerminalId = s.Imei, LatencyMsAvg = s.LatencyMsAvg, PacketLossPercent = s.PacketLossPercent,
            },
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Not a terminal report."),
        });

    public ReportContentItemWire ProductReportItem(OneWebProductSample s) =>
        Item(s.IntervalStart, s.IntervalEnd, new DataPointWire
        {
            Type = nameof(OneWebReportType.ProductThroughput),
            ProductId = s.ProductId,
            ThroughputDownlinkMbpsAvg = s.ThroughputDownlinkMbpsAvg,
            ThroughputDownlinkMbpsMax = s.ThroughputDownlinkMbpsMax,
            ThroughputUplinkMbpsAvg = s.ThroughputUplinkMbpsAvg,
            ThroughputUplinkMbpsMax = s.ThroughputUplinkMbpsMax,
        });

    private ReportContentItemWire Item(DateTimeOffset start, DateTimeOffset end, DataPointWire point) =>
        new(new MeasurementTimeWire(start, end, IntervalText()), [point]);

    private string IntervalText() => options.Granularity.TotalHours >= 1 && options.Granularity.TotalHours % 1 == 0
        ? $"{options.Granularity.TotalHours:0} hour{(options.Granularity.TotalHours == 1 ? "" : "s")}"
        : $"{options.Granularity.TotalMinutes:0} minutes";
}
