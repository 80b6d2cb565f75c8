using Satmon.Core.Objects;
using Satmon.Core.Tables;

namespace Satmon.Connectors.SesInventory;

/// <summary>
/// The object definitions (seed 002 "Field Mapping") and the status table. Structured vendor parts (characteristics,
/// parties, places, relationships) are Json fields holding the vendor's JSON as it came.
/// </summary>
internal static class SesInventoryDefinitions
{
    public const string Services = "services";
    public const string Carriers = "carriers";
    public const string Resources = "resources";
    public const string StatusTable = "status";

    // Field names shared by several definitions.
    public const string Name = "name";
    public const string Description = "description";
    public const string Status = "status";
    public const string Type = "type";
    public const string LastUpdate = "lastUpdate";
    public const string Characteristics = "characteristics";

    // Services.
    public const string StartDate = "startDate";
    public const string EndDate = "endDate";
    public const string Customer = "customer";
    public const string Site = "site";
    public const string SupportingResources = "supportingResources";

    // Carriers.
    public const string OperationalStatus = "operationalStatus";
    public const string Gateway = "gateway";
    public const string Terminal = "terminal";
    public const string ElementType = "elementType";
    public const string UplinkAlias = "uplinkAlias";
    public const string DownlinkAlias = "downlinkAlias";
    public const string UplinkRfCenterFrequency = "uplinkRfCenterFrequency";
    public const string DownlinkRfCenterFrequency = "downlinkRfCenterFrequency";
    public const string Satellite = "satellite";
    public const string Transponder = "transponder";
    public const string BandwidthSegments = "bandwidthSegments";

    // Resources.
    public const string Specification = "specification";
    public const string RelatedParties = "relatedParties";
    public const string Places = "places";
    public const string Relationships = "relationships";

    public static ObjectDefinition ServicesDefinition { get; } = new(Services, "Services",
    [
        new(Name, FieldType.String, "Name"),
        new(Description, FieldType.String, "Description"),
        new(Status, FieldType.String, "Status"),
        new(Type, FieldType.String, "Type"),
        new(StartDate, FieldType.Timestamp, "Start date"),
        new(EndDate, FieldType.Timestamp, "End date"),
        new(LastUpdate, FieldType.Timestamp, "Last update"),
        new(Customer, FieldType.String, "Customer"),
        new(Site, FieldType.String, "Site"),
        new(Characteristics, FieldType.Json, "Service characteristics"),
        new(SupportingResources, FieldType.Json, "Supporting resources"),
    ]);

    public static ObjectDefinition CarriersDefinition { get; } = new(Carriers, "Carriers",
    [
        new(Name, FieldType.String, "Name"),
        new(OperationalStatus, FieldType.String, "Operational status"),
        new(Gateway, FieldType.String, "Gateway"),
        new(Terminal, FieldType.String, "Terminal"),
        new(ElementType, FieldType.String, "Element type"),
        new(Type, FieldType.String, "Type"),
        new(UplinkAlias, FieldType.String, "Uplink alias"),
        new(DownlinkAlias, FieldType.String, "Downlink alias"),
        new(UplinkRfCenterFrequency, FieldType.Number, "Uplink RF center frequency"),
        new(DownlinkRfCenterFrequency, FieldType.Number, "Downlink RF center frequency"),
        new(Satellite, FieldType.String, "Satellite"),
        new(Transponder, FieldType.String, "Transponder"),
        new(BandwidthSegments, FieldType.Json, "Bandwidth segments"),
        new(LastUpdate, FieldType.Timestamp, "Last update"),
    ]);

    public static ObjectDefinition ResourcesDefinition { get; } = new(Resources, "Resources",
    [
        new(Name, FieldType.String, "Name"),
        new(Description, FieldType.String, "Description"),
        new(Status, FieldType.String, "Status"),
        new(Type, FieldType.String, "Type"),
        new(Specification, FieldType.Json, "Resource specification"),
        new(Characteristics, FieldType.Json, "Resource characteristics"),
        new(RelatedParties, FieldType.Json, "Related parties"),
        new(Places, FieldType.Json, "Locations"),
        new(Relationships, FieldType.Json, "Resource relationships"),
        new(LastUpdate, FieldType.Timestamp, "Last update"),
    ]);

    public static IReadOnlyList<ObjectDefinition> All { get; } = [ServicesDefinition, CarriersDefinition, ResourcesDefinition];

    /// <summary>
    /// One row per definition (key = definition name): the mode, build-up progress, the counts of the last poll and
    /// the number of stored objects — what the seed's configuration page shows.
    /// </summary>
    public static TableDefinition StatusTableDefinition { get; } = new(StatusTable, "Inventory status", "Definition",
    [
        new(StatusColumns.Mode, ColumnType.Enum) { Label = "Mode" },
        new(StatusColumns.BuildUpPage, ColumnType.Number) { Label = "Build-up: next page" },
        new(StatusColumns.LastPoll, ColumnType.Timestamp) { Label = "Last poll" },
        new(StatusColumns.LastResult, ColumnType.String) { Label = "Last result" },
        new(StatusColumns.PagesRead, ColumnType.Number) { Label = "Pages read" },
        new(StatusColumns.PagesSkipped, ColumnType.Number) { Label = "Pages skipped" },
        new(StatusColumns.Received, ColumnType.Number) { Label = "Records received" },
        new(StatusColumns.Succeeded, ColumnType.Number) { Label = "Objects written" },
        new(StatusColumns.Created, ColumnType.Number) { Label = "Created" },
        new(StatusColumns.Updated, ColumnType.Number) { Label = "Updated" },
        new(StatusColumns.Failed, ColumnType.Number) { Label = "Objects failed" },
        new(StatusColumns.Dropped, ColumnType.Number) { Label = "Records dropped (duplicate, no id, excluded type)" },
        new(StatusColumns.Deleted, ColumnType.Number) { Label = "Objects deleted" },
        new(StatusColumns.Objects, ColumnType.Number) { Label = "Objects stored" },
    ]);
}

/// <summary>Column names of the status table.</summary>
internal static class StatusColumns
{
    public const string Mode = "mode";
    public const string BuildUpPage = "buildUpPage";
    public const string LastPoll = "lastPoll";
    public const string LastResult = "lastResult";
    public const string PagesRead = "pagesRead";
    public const string PagesSkipped = "pagesSkipped";
    public const string Received = "received";
    public const string Succeeded = "succeeded";
    public const string Created = "created";
    public const string Updated = "updated";
    public const string Failed = "failed";
    public const string Dropped = "dropped";
    public const string Deleted = "deleted";
    public const string Objects = "objects";

    public const string BuildUpMode = "buildUp";
    public const string UpdateMode = "update";
}
