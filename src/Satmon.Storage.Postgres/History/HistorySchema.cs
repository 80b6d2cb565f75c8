namespace Satmon.Storage.Postgres.History;

/// <summary>
/// Tables of the history store. Times are Unix milliseconds (bigint), as in the SQLite schema, so that bucket
/// arithmetic is plain integer arithmetic and both providers agree to the millisecond.
/// </summary>
internal static class HistorySchema
{
    public const string Sql = """
        CREATE TABLE series (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            element_id text COLLATE "C" NOT NULL,
            table_name text COLLATE "C" NOT NULL,
            row_key text COLLATE "C" NOT NULL,
            column_name text COLLATE "C" NOT NULL,
            UNIQUE (element_id, table_name, row_key, column_name)
        );
        -- The primary key is what makes ingest idempotent across nodes: INSERT ... ON CONFLICT DO NOTHING.
        CREATE TABLE history_raw (
            series_id bigint NOT NULL,
            t bigint NOT NULL,
            value double precision NOT NULL,
            PRIMARY KEY (series_id, t)
        );
        -- Rollup buckets are updated in place as points arrive: free room on each page lets PostgreSQL update them
        -- as heap-only tuples, without a new index entry per update. Coarser buckets are updated more often.
        CREATE TABLE rollup_5m (
            series_id bigint NOT NULL,
            bucket_start bigint NOT NULL,
            min_value double precision NOT NULL,
            max_value double precision NOT NULL,
            sum_value double precision NOT NULL,
            count bigint NOT NULL,
            PRIMARY KEY (series_id, bucket_start)
        ) WITH (fillfactor = 90);
        CREATE TABLE rollup_1h (
            series_id bigint NOT NULL,
            bucket_start bigint NOT NULL,
            min_value double precision NOT NULL,
            max_value double precision NOT NULL,
            sum_value double precision NOT NULL,
            count bigint NOT NULL,
            PRIMARY KEY (series_id, bucket_start)
        ) WITH (fillfactor = 70);
        CREATE TABLE rollup_1d (
            series_id bigint NOT NULL,
            bucket_start bigint NOT NULL,
            min_value double precision NOT NULL,
            max_value double precision NOT NULL,
            sum_value double precision NOT NULL,
            count bigint NOT NULL,
            PRIMARY KEY (series_id, bucket_start)
        ) WITH (fillfactor = 70);
        -- Raw points older than raw_cutoff (Unix ms) were removed by retention; a re-delivered one cannot be told
        -- apart from a new one any more, so ingest ignores such points rather than count them twice in the rollups.
        -- The row always exists, so ingest can read it in the same statement that inserts.
        CREATE TABLE history_watermark (
            id integer PRIMARY KEY CHECK (id = 1),
            raw_cutoff bigint NOT NULL
        );
        INSERT INTO history_watermark (id, raw_cutoff) VALUES (1, -9223372036854775808);
        """;
}
