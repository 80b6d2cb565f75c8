namespace Satmon.Storage.Sqlite;

/// <summary>Settings of the SQLite store (section <c>Storage:Sqlite</c>).</summary>
public sealed class SqliteStoreOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Storage:Sqlite";

    /// <summary>
    /// Path of the database file (required). Created with its folder's existing permissions when missing; the WAL
    /// (<c>-wal</c>) and shared-memory (<c>-shm</c>) files live beside it.
    /// </summary>
    public string DatabasePath { get; set; } = "";

    /// <summary>
    /// How long a connection waits for a lock held by another process before failing with "database is locked".
    /// Default 5 s. Inside one process writes are queued by the store and never wait on this.
    /// </summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Page cache of the write connection, in MiB (default 64). Larger keeps history indexes hot during ingest.</summary>
    public int WriteCacheMegabytes { get; set; } = 64;

    /// <summary>Page cache of each read connection, in MiB (default 16).</summary>
    public int ReadCacheMegabytes { get; set; } = 16;

    /// <summary>Idle read connections kept open for reuse (default 8). More concurrent readers open extra connections.</summary>
    public int MaxIdleReadConnections { get; set; } = 8;

    /// <summary>
    /// Database page size in bytes for a new file (default 16384; a power of two from 4096 to 65536). An existing
    /// file keeps the page size it was created with. Larger pages make the history indexes shallower, which cuts
    /// the CPU cost of ingest by about a fifth compared with SQLite's default of 4096.
    /// </summary>
    public int PageSizeBytes { get; set; } = 16384;

    /// <summary>
    /// WAL size in MiB after which a background connection copies the WAL into the database file (default 64,
    /// 1 to 1024). Checkpointing less often copies hot pages fewer times; the WAL file is cut back to this size
    /// once it has been copied. Should the background checkpoints fall behind, the writer checkpoints by itself at
    /// four times this size.
    /// </summary>
    public int WalCheckpointMegabytes { get; set; } = 64;

    /// <summary>
    /// Whether number, timestamp and enum columns of current-value tables get an index (default true), so that
    /// sorted and filtered pages stay fast on large tables. Each index adds upsert work; turning this off only
    /// affects columns created afterwards.
    /// </summary>
    public bool IndexTableColumns { get; set; } = true;

    /// <summary>Throws an exception naming the setting to fix when a value is out of range.</summary>
    public void Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(DatabasePath))
        {
            errors.Add($"{SectionName}:{nameof(DatabasePath)} is required: the path of the SQLite database file.");
        }

        if (BusyTimeout < TimeSpan.Zero || BusyTimeout > TimeSpan.FromMinutes(10))
        {
            errors.Add($"{SectionName}:{nameof(BusyTimeout)} must be between 0 and 10 minutes; got {BusyTimeout}.");
        }

        if (WriteCacheMegabytes is < 1 or > 4096)
        {
            errors.Add($"{SectionName}:{nameof(WriteCacheMegabytes)} must be between 1 and 4096; got {WriteCacheMegabytes}.");
        }

        if (ReadCacheMegabytes is < 1 or > 4096)
        {
            errors.Add($"{SectionName}:{nameof(ReadCacheMegabytes)} must be between 1 and 4096; got {ReadCacheMegabytes}.");
        }

        if (PageSizeBytes is < 4096 or > 65536 || (PageSizeBytes & (PageSizeBytes - 1)) != 0)
        {
            errors.Add($"{SectionName}:{nameof(PageSizeBytes)} must be a power of two from 4096 to 65536; got {PageSizeBytes}.");
        }

        if (WalCheckpointMegabytes is < 1 or > 1024)
        {
            errors.Add($"{SectionName}:{nameof(WalCheckpointMegabytes)} must be between 1 and 1024; got {WalCheckpointMegabytes}.");
        }

        if (MaxIdleReadConnections is < 0 or > 64)
        {
            errors.Add($"{SectionName}:{nameof(MaxIdleReadConnections)} must be between 0 and 64; got {MaxIdleReadConnections}.");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors));
        }
    }
}
