using Npgsql;
using Satmon.Core.Polling;
using Satmon.Core.Storage;

namespace Satmon.Storage.Postgres;

/// <summary>Polling-manager rows; intervals and durations in milliseconds, times in Unix ms.</summary>
internal sealed class PollingRepository(NpgsqlDataSource dataSource) : IPollingRepository
{
    public async Task<IReadOnlyList<PollTaskState>> ListAsync(string elementId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await Pg.ListAsync(connection, null, """
            SELECT task, enabled, custom_interval_ms, status, reason, last_start, last_duration_ms, next_poll, not_before
            FROM poll_tasks WHERE element_id = @e ORDER BY task
            """, Read, cancellationToken, ("e", elementId));
    }

    public async Task SaveAsync(string elementId, PollTaskState state, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await Pg.ExecuteAsync(connection, null, """
            INSERT INTO poll_tasks
                (element_id, task, enabled, custom_interval_ms, status, reason, last_start, last_duration_ms, next_poll, not_before)
            VALUES (@e, @task, @enabled, @interval, @status, @reason, @start, @duration, @next, @notBefore)
            ON CONFLICT (element_id, task) DO UPDATE SET
                enabled = excluded.enabled, custom_interval_ms = excluded.custom_interval_ms, status = excluded.status,
                reason = excluded.reason, last_start = excluded.last_start, last_duration_ms = excluded.last_duration_ms,
                next_poll = excluded.next_poll, not_before = excluded.not_before
            """, cancellationToken,
            ("e", elementId), ("task", state.Task), ("enabled", state.Enabled),
            ("interval", ToMs(state.CustomInterval)), ("status", state.Status.ToString()), ("reason", state.Reason),
            ("start", Pg.ToUnixMs(state.LastStart)), ("duration", ToMs(state.LastDuration)),
            ("next", Pg.ToUnixMs(state.NextPoll)), ("notBefore", Pg.ToUnixMs(state.NotBefore)));
    }

    private static long? ToMs(TimeSpan? span) => span is { } s ? (long)s.TotalMilliseconds : null;

    private static TimeSpan? FromMs(long? ms) => ms is { } m ? TimeSpan.FromMilliseconds(m) : null;

    private static PollTaskState Read(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        reader.GetBoolean(1),
        FromMs(Pg.ReadInt64(reader, 2)),
        Enum.TryParse<PollStatus>(reader.GetString(3), out var status) ? status : PollStatus.NotPolled,
        Pg.ReadString(reader, 4),
        Pg.ReadTime(reader, 5),
        FromMs(Pg.ReadInt64(reader, 6)),
        Pg.ReadTime(reader, 7),
        Pg.ReadTime(reader, 8));
}
