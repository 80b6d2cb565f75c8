using Microsoft.Extensions.Logging;

namespace Satmon.Storage.Postgres;

// Event ids 1-49 belong to this part of the provider; History/ and Objects/ log with their own ids from 50.
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Applied schema migration {Version} ({Name}) to {Server}")]
    public static partial void MigrationApplied(ILogger logger, int version, string name, string server);

    [LoggerMessage(2, LogLevel.Information, "PostgreSQL store {Server} is at schema version {Version}")]
    public static partial void Opened(ILogger logger, string server, int version);

    [LoggerMessage(3, LogLevel.Information, "Created table {Table} of element {ElementId} as {PhysicalName}")]
    public static partial void TableCreated(ILogger logger, string elementId, string table, string physicalName);

    [LoggerMessage(4, LogLevel.Information, "Added {Count} column(s) to table {Table} of element {ElementId}")]
    public static partial void ColumnsAdded(ILogger logger, int count, string elementId, string table);

    [LoggerMessage(5, LogLevel.Information, "Deleted element {ElementId} with {TableCount} table(s)")]
    public static partial void ElementDeleted(ILogger logger, string elementId, int tableCount);

    [LoggerMessage(6, LogLevel.Warning, "Column {Column} of table {Table} of element {ElementId} changed type from {OldType} to {NewType}; its stored values were dropped")]
    public static partial void ColumnRetyped(ILogger logger, string column, string table, string elementId, string oldType, string newType);

    [LoggerMessage(7, LogLevel.Debug, "Table {Table} of element {ElementId} changed on another node; reloaded its layout")]
    public static partial void TableReloaded(ILogger logger, string elementId, string table);
}
