using Satmon.Core.History;

namespace Satmon.Storage.Postgres.History;

/// <summary>
/// Tables of the history store, in the layout of the SQLite provider: a series is one column of one table row, the
/// row has an id (<c>history_rows</c>) and the column a small number per table (<c>history_columns</c>). Raw values
/// are one record per row, hour and batch with all columns packed (<c>PackedPoints</c>); rollups one record per row
/// and span of buckets (<c>PackedRollupSpans</c>). One indexed record per point could never keep up with binary COPY;
/// this way a batch writes about one record per row and hour. Times are Unix milliseconds (bigint).
/// </summary>
internal static class HistorySchema
{
    public const string Sql = """
        CREATE TABLE history_tables (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            element_id text COLLATE "C" NOT NULL,
            table_name text COLLATE "C" NOT NULL,
            UNIQUE (element_id, table_name)
        );
        CREATE TABLE history_columns (
            table_id bigint NOT NULL,
            column_no integer NOT NULL,      -- 0 to 32767, in order of first appearance
            column_name text COLLATE "C" NOT NULL,
            PRIMARY KEY (table_id, column_no),
            UNIQUE (table_id, column_name)
        );
        CREATE TABLE history_rows (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            table_id bigint NOT NULL,
            row_key text COLLATE "C" NOT NULL,
            UNIQUE (table_id, row_key)
        );
        -- One record per row, hour and writing batch (a number from history_batches), so a record is always new and
        -- goes in with a plain COPY. last_t is its latest time: a writer learns a row's latest stored time without
        -- decoding. Blobs of doubles do not compress: stored out of line uncompressed when large.
        CREATE TABLE history_points (
            row_id bigint NOT NULL,
            hour bigint NOT NULL,
            batch bigint NOT NULL,
            last_t bigint NOT NULL,
            data bytea NOT NULL,
            PRIMARY KEY (row_id, hour, batch)
        );
        ALTER TABLE history_points ALTER COLUMN data SET STORAGE EXTERNAL;
        -- resolution: 1 = 5 min buckets in 1 h spans, 2 = 1 h buckets in 1 d spans, 3 = 1 d buckets in 30 d spans.
        -- Updated in place as points arrive: free room on each page keeps updates heap-only.
        CREATE TABLE history_rollups (
            row_id bigint NOT NULL,
            resolution smallint NOT NULL,
            span_start bigint NOT NULL,
            data bytea NOT NULL,
            PRIMARY KEY (row_id, resolution, span_start)
        ) WITH (fillfactor = 80);
        ALTER TABLE history_rollups ALTER COLUMN data SET STORAGE EXTERNAL;
        CREATE SEQUENCE history_batches;
        -- The batch number of an element's last write. A node compares it with the one it wrote last: when another
        -- node wrote (or deleted) the element meanwhile, the node's cached row ids and latest times are dropped.
        CREATE TABLE history_writers (
            element_id text COLLATE "C" PRIMARY KEY,
            batch bigint NOT NULL
        );
        -- Raw points older than raw_cutoff (Unix ms) were removed by retention; a re-delivered one cannot be told
        -- apart from a new one any more, so ingest ignores such points rather than count them twice in the rollups.
        CREATE TABLE history_watermark (
            id integer PRIMARY KEY CHECK (id = 1),
            raw_cutoff bigint NOT NULL
        );
        INSERT INTO history_watermark (id, raw_cutoff) VALUES (1, -9223372036854775808);
        """;

    /// <summary>
    /// Rollups become insert-only: one record per row, span and writing batch (0 for the records already stored), all
    /// written with COPY. Readers merge a span's records; writers fold a row's newest span back into one record now and
    /// then, retention the span it cuts. No record is updated in place any more, so pages need no free room.
    /// </summary>
    public const string RollupsPerBatchSql = """
        ALTER TABLE history_rollups ADD COLUMN batch bigint NOT NULL DEFAULT 0;
        ALTER TABLE history_rollups ALTER COLUMN batch DROP DEFAULT;
        ALTER TABLE history_rollups DROP CONSTRAINT history_rollups_pkey;
        ALTER TABLE history_rollups ADD PRIMARY KEY (row_id, resolution, span_start, batch);
        ALTER TABLE history_rollups SET (fillfactor = 100);
        """;

    /// <summary>
    /// Rollups are folded from the raw records now and then instead of at every write: a writer stores raw records only,
    /// and every <see cref="HistoryFold.FoldAfter"/> writes of an element (and before retention deletes raw records) its
    /// raw records not folded yet become one rollup record per row and span. Per element: <c>folded</c>, the batch up to
    /// which its raw records are in the rollups; <c>unfolded</c>, the writes since; <c>unfolded_from_hour</c>, the
    /// earliest hour those wrote (null: none), which bounds what a reader adds to the stored rollups.
    /// </summary>
    public const string FoldedRollupsSql = """
        ALTER TABLE history_writers ADD COLUMN folded bigint NOT NULL DEFAULT 0,
            ADD COLUMN unfolded integer NOT NULL DEFAULT 0,
            ADD COLUMN unfolded_from_hour bigint;
        -- Every raw record written so far is in the rollups already.
        UPDATE history_writers SET folded = batch;
        """;

    public const long HourMs = 3_600_000;
    public const long DayMs = 86_400_000;

    /// <summary>Largest column number: the packed formats keep one bit of the 16-bit column number for a flag.</summary>
    public const int MaxColumnNo = 0x7FFF;

    /// <summary>The code of a rollup resolution in <c>history_rollups.resolution</c>, its bucket width and its span width.</summary>
    public static (short Code, long BucketMs, long SpanMs) Rollup(Resolution resolution) => resolution switch
    {
        Resolution.FiveMinutes => (1, 300_000, HourMs),
        Resolution.OneHour => (2, HourMs, DayMs),
        Resolution.OneDay => (3, DayMs, 30 * DayMs),
        _ => throw new ArgumentOutOfRangeException(nameof(resolution), resolution, "Not a rollup resolution."),
    };

    /// <summary>Floor of <paramref name="time"/> to a multiple of <paramref name="width"/>, also before 1970.</summary>
    public static long Floor(long time, long width) => time - (((time % width) + width) % width);
}
