using Microsoft.Extensions.Logging;

namespace Satmon.Storage.Postgres.History;

/// <summary>Log messages of the PostgreSQL history store (event ids 50-59 are this folder's).</summary>
internal static partial class HistoryLog
{
    [LoggerMessage(50, LogLevel.Information, "History retention deleted {Count} row(s) of resolution {Resolution} older than {Cutoff:O}")]
    public static partial void RetentionApplied(ILogger logger, long count, string resolution, DateTimeOffset cutoff);
}
