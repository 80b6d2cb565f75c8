using Microsoft.Extensions.Logging;

namespace Satmon.Storage.Sqlite;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Applied schema migration {Version} ({Name}) to {Path}")]
    public static partial void MigrationApplied(ILogger logger, int version, string name, string path);

    [LoggerMessage(2, LogLevel.Information, "SQLite store {Path} is at schema version {Version}")]
    public static partial void Opened(ILogger logger, string path, int version);

    [LoggerMessage(3, LogLevel.Information, "Created table {Table} of element {ElementId} as {PhysicalName}")]
    public static partial void TableCreated(ILogger logger, string elementId, string table, string physicalName);

    [LoggerMessage(4, LogLevel.Information, "Added {Count} column(s) to table {Table} of element {ElementId}")]
    public static partial void ColumnsAdded(ILogger logger, int count, string elementId, string table);

    [LoggerMessage(5, LogLevel.Information, "Deleted element {ElementId} with {TableCount} table(s) and {SeriesCount} history series")]
    public static partial void ElementDeleted(ILogger logger, string elementId, int tableCount, int seriesCount);

    [LoggerMessage(6, LogLevel.Information, "History retention deleted {Count} row(s) of resolution {Resolution} older than {Cutoff:O}")]
    public static partial void RetentionApplied(ILogger logger, long count, string resolution, DateTimeOffset cutoff);

    [LoggerMessage(7, LogLevel.Debug, "Could not run PRAGMA optimize while closing {Path}")]
    public static partial void OptimizeFailed(ILogger logger, Exception exception, string path);

    [LoggerMessage(8, LogLevel.Warning, "Background checkpoint of {Path} failed with SQLite code {Code}: {Message}. The writer checkpoints by itself once the WAL grows past its safety limit.")]
    public static partial void CheckpointFailed(ILogger logger, string path, int code, string message);

    [LoggerMessage(9, LogLevel.Debug, "Checkpointed {Path}: {Copied} of {Frames} WAL frames copied in {Milliseconds:F0} ms")]
    public static partial void Checkpointed(ILogger logger, string path, int frames, int copied, double milliseconds);

    [LoggerMessage(30, LogLevel.Information, "Indexed column {Column} of table {Table} of element {ElementId}, which a query sorts or filters by")]
    public static partial void IndexCreated(ILogger logger, string elementId, string table, string column);
}
