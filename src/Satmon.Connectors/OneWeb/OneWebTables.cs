using Satmon.Core.Connectors;
using Satmon.Core.Tables;

namespace Satmon.Connectors.OneWeb;

/// <summary>The tables and poll tasks of the OneWeb connector (SPEC §5; relations from the Skyline ERD, reference §2).</summary>
internal static class OneWebTables
{
    public const string General = "general";
    public const string UserTerminals = "userTerminals";
    public const string TerminalComponents = "terminalComponents";
    public const string Products = "products";
    public const string Organizations = "organizations";
    public const string Sites = "sites";
    public const string TerminalPerformance = "terminalPerformance";
    public const string ProductPerformance = "productPerformance";
    public const string UsageConsumption = "usageConsumption";

    /// <summary>The one row of the general table.</summary>
    public const string StatusKey = "status";

    public static TableDefinition GeneralTable { get; } = new(General, "General", "Item",
    [
        Text("authenticationStatus", "Authentication status"),
        Text("helloConfirmation", "Hello confirmation"),
        new("lastHello", ColumnType.Timestamp) { Label = "Last hello" },
        Text("lastHelloResult", "Last hello result"),
    ]);

    public static TableDefinition UserTerminalsTable { get; } = new(UserTerminals, "User Terminals", "IMEI",
    [
        Text("name", "Name"),
        Text("imsi", "IMSI"),
        Text("serialNumber", "Serial number"),
        new("operationalState", ColumnType.Enum) { Label = "Operational state" },
        new("resourceState", ColumnType.Enum) { Label = "Resource state" },
        new("networkStatus", ColumnType.Enum) { Label = "Network status" },
        Text("firmwareVersion", "Firmware version"),
        Text("hardwareComponents", "Hardware components"),
        Text("manufacturer", "Manufacturer"),
        Text("model", "Model"),
        new("distributionPartner", ColumnType.String, References: Organizations) { Label = "Distribution partner" },
        new("endCustomer", ColumnType.String, References: Organizations) { Label = "End customer" },
        new("site", ColumnType.String, References: Sites) { Label = "Site" },
        new("product", ColumnType.String, References: Products) { Label = "Product" },
        Text("placeExternalId", "Place external ID"),
        new("latitude", ColumnType.Number, "°") { Label = "Latitude" },
        new("longitude", ColumnType.Number, "°") { Label = "Longitude" },
        new("firstSeen", ColumnType.Timestamp) { Label = "First seen" },
        new("lastSeen", ColumnType.Timestamp) { Label = "Last seen" },
        // Copied from the newest terminal performance sample so that the fleet view has them on the terminal row.
        new("latency", ColumnType.Number, "ms") { Label = "Latency (last report)" },
        new("throughputDown", ColumnType.Number, "Mbps") { Label = "Downlink throughput (last report)" },
    ])
    {
        Fleet = new FleetMapping("OneWeb")
        {
            NameColumn = "name",
            StatusColumn = "networkStatus",
            OnlineValues = ["online"],
            LatitudeColumn = "latitude",
            LongitudeColumn = "longitude",
            LatencyColumn = "latency",
            ThroughputColumn = "throughputDown",
            LastSeenColumn = "lastSeen",
        },
    };

    public static TableDefinition TerminalComponentsTable { get; } = new(TerminalComponents, "User Terminal Components", "Component ID",
    [
        new("terminal", ColumnType.String, References: UserTerminals) { Label = "User terminal" },
        Text("component", "Component"),
        Text("relationshipType", "Relationship"),
        Text("softwareVersion", "Software version"),
        Text("serialNumber", "Serial number"),
    ]);

    public static TableDefinition ProductsTable { get; } = new(Products, "Products", "Product ID",
    [
        Text("name", "Name"),
        new("status", ColumnType.Enum) { Label = "Status" },
        Text("specification", "Specification"),
        new("startDate", ColumnType.Timestamp) { Label = "Start date" },
        Text("contractNumber", "Contract number"),
        new("distributionPartner", ColumnType.String, References: Organizations) { Label = "Distribution partner" },
        new("endCustomer", ColumnType.String, References: Organizations) { Label = "End customer" },
        new("site", ColumnType.String, References: Sites) { Label = "Site" },
        new("terminal", ColumnType.String, References: UserTerminals) { Label = "User terminal (IMEI)" },
        new("monthlyEntitlement", ColumnType.Number, "GB") { Label = "Monthly entitlement" },
        new("downlinkMir", ColumnType.Number, "Mbps") { Label = "Downlink MIR" },
        new("downlinkCir", ColumnType.Number, "Mbps") { Label = "Downlink CIR" },
    ]);

    public static TableDefinition OrganizationsTable { get; } = new(Organizations, "Organizations", "Organization ID",
    [
        Text("tradingName", "Trading name"),
        Text("name", "Name"),
        new("type", ColumnType.Enum) { Label = "Type" },
        new("status", ColumnType.Enum) { Label = "Status" },
        new("parent", ColumnType.String, References: Organizations) { Label = "Parent ID" },
    ]);

    public static TableDefinition SitesTable { get; } = new(Sites, "Sites", "Site ID",
    [
        Text("name", "Name"),
        new("status", ColumnType.Enum) { Label = "Status" },
        new("relatedParty", ColumnType.String, References: Organizations) { Label = "Related party" },
        Text("address", "Address"),
        new("latitude", ColumnType.Number, "°") { Label = "Latitude" },
        new("longitude", ColumnType.Number, "°") { Label = "Longitude" },
    ]);

    public static TableDefinition TerminalPerformanceTable { get; } = new(TerminalPerformance, "User Terminal Performance", "IMEI",
    [
        new("terminal", ColumnType.String, References: UserTerminals) { Label = "User terminal" },
        Trended("linkAvailability", "%", "Link availability"),
        Trended("signalQuality", "dB", "Signal quality (SINR avg)"),
        Trended("signalQualityMin", "dB", "Signal quality (SINR min)"),
        Trended("signalQualityMax", "dB", "Signal quality (SINR max)"),
        new("resourceState", ColumnType.Enum) { Label = "Resource state" },
        Trended("onlineTime", "s", "Online time in interval"),
        Trended("trafficDown", "MB", "Traffic down"),
        Trended("trafficUp", "MB", "Traffic up"),
        Trended("latency", "ms", "Latency"),
        Trended("packetLoss", "%", "Packet loss"),
        new("intervalEnd", ColumnType.Timestamp) { Label = "Interval end" },
    ]);

    public static TableDefinition ProductPerformanceTable { get; } = new(ProductPerformance, "Products Performance", "Product ID",
    [
        new("product", ColumnType.String, References: Products) { Label = "Product" },
        Trended("throughputDownAvg", "Mbps", "Throughput down (avg)"),
        Trended("throughputDownMax", "Mbps", "Throughput down (max)"),
        Trended("throughputUpAvg", "Mbps", "Throughput up (avg)"),
        Trended("throughputUpMax", "Mbps", "Throughput up (max)"),
        new("intervalEnd", ColumnType.Timestamp) { Label = "Interval end" },
    ]);

    public static TableDefinition UsageConsumptionTable { get; } = new(UsageConsumption, "Usage Consumption", "Product ID",
    [
        new("product", ColumnType.String, References: Products) { Label = "Product" },
        Text("reportId", "Report ID"),
        new("billCycleStart", ColumnType.Timestamp) { Label = "Bill cycle start" },
        new("billCycleEnd", ColumnType.Timestamp) { Label = "Bill cycle end" },
        Trended("monthlyEntitlement", null, "Monthly entitlement"),
        Trended("used", null, "Used"),
        Trended("remainingAllowance", null, "Remaining allowance"),
        Trended("overageBlocksConsumed", "blocks", "Overage blocks consumed"),
        Trended("currentBalance", null, "Current balance"),
        Text("units", "Units"),
        new("effectiveDate", ColumnType.Timestamp) { Label = "Effective date" },
    ]);

    public static IReadOnlyList<TableDefinition> All { get; } =
    [
        GeneralTable, UserTerminalsTable, TerminalComponentsTable, ProductsTable, OrganizationsTable, SitesTable,
        TerminalPerformanceTable, ProductPerformanceTable, UsageConsumptionTable,
    ];

    private static ColumnDefinition Text(string name, string label) => new(name, ColumnType.String) { Label = label };

    // Usage amounts carry their unit in the row ("units"), since the vendor states it per report.
    private static ColumnDefinition Trended(string name, string? unit, string label) =>
        new(name, ColumnType.Number, unit, Trended: true) { Label = label };
}

/// <summary>Poll task names and their defaults (reference §6; SPEC §5).</summary>
internal static class OneWebTasks
{
    public const string Hello = "hello";
    public const string UserTerminals = "user-terminals";
    public const string Products = "products";
    public const string Organizations = "organizations";
    public const string Sites = "sites";
    public const string TerminalPerformance = "terminal-performance";
    public const string ProductPerformance = "product-performance";
    public const string UsageConsumption = "usage-consumption";

    public static IReadOnlyList<PollTaskDefinition> All { get; } =
    [
        new(Hello, "Hello OneWeb: checks the client id and secret; every other call waits for it.", TimeSpan.FromHours(1)),
        new(UserTerminals, "User terminal inventory with components (resourceInventory/v3/userTerminal).", TimeSpan.FromMinutes(5), Hello),
        new(Products, "Product inventory: service plans with terminal, site and customer.", TimeSpan.FromHours(1), Hello),
        new(Organizations, "Distribution partners and end customers with their hierarchy.", TimeSpan.FromHours(24), Hello),
        new(Sites, "Sites that products are deployed at.", TimeSpan.FromHours(24), Hello),
        new(TerminalPerformance, "User terminal performance reports (availability, signal, state, traffic, link metrics).",
            TimeSpan.FromMinutes(15), Hello),
        new(ProductPerformance, "Product throughput reports.", TimeSpan.FromHours(1), Hello),
        new(UsageConsumption, "Usage consumption since the bill-cycle reference date, per product.", TimeSpan.FromMinutes(30), Hello),
    ];
}
