using Microsoft.Data.Sqlite;
using Satmon.Core.Polling;
using Satmon.Core.Storage;

namespace Satmon.Storage.Sqlite;

/// <summary>Polling-manager rows; intervals and durations in milliseconds, times in Unix ms.</summary>
internal sealed class PollingRepository(SqliteDatabase db) : IPollingRepository
{
    public Task<IReadOnlyList<PollTaskState>> ListAsync(string elementId, CancellationToken cancellationToken) =>
        Task.FromResult(db.Read<IReadOnlyList<PollTaskState>>(connection =>
        {
            using var command = Sql.Command(connection, null, """
                SELECT task, enabled, custom_interval_ms, status, reason, last_start, last_duration_ms, next_poll, not_before
                FROM poll_tasks WHERE element_id = $e ORDER BY task
                """, ("$e", elementId));
            using var reader = command.ExecuteReader();
            var rows = new List<PollTaskState>();
            while (reader.Read())
            {
                rows.Add(Read(reader));
            }

            return rows;
        }));

    public Task SaveAsync(string elementId, PollTaskState state, CancellationToken cancellationToken) =>
        db.WriteAsync(connection => Sql.Execute(connection, null, """
            INSERT OR REPLACE INTO poll_tasks
                (element_id, task, enabled, custom_interval_ms, status, reason, last_start, last_duration_ms, next_poll, not_before)
            VALUES ($e, $task, $enabled, $interval, $status, $reason, $start, $duration, $next, $notBefore)
            """,
            ("$e", elementId), ("$task", state.Task), ("$enabled", state.Enabled),
            ("$interval", ToMs(state.CustomInterval)), ("$status", state.Status.ToString()), ("$reason", state.Reason),
            ("$start", Sql.ToUnixMs(state.LastStart)), ("$duration", ToMs(state.LastDuration)),
            ("$next", Sql.ToUnixMs(state.NextPoll)), ("$notBefore", Sql.ToUnixMs(state.NotBefore))), cancellationToken);

    private static long? ToMs(TimeSpan? span) => span is { } s ? (long)s.TotalMilliseconds : null;

    private static TimeSpan? FromMs(long? ms) => ms is { } m ? TimeSpan.FromMilliseconds(m) : null;

    private static PollTaskState Read(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetBoolean(1),
        FromMs(Sql.ReadInt64(reader, 2)),
        Enum.TryParse<PollStatus>(reader.GetString(3), out var status) ? status : PollStatus.NotPolled,
        Sql.ReadString(reader, 4),
        Sql.ReadTime(reader, 5),
        FromMs(Sql.ReadInt64(reader, 6)),
        Sql.ReadTime(reader, 7),
        Sql.ReadTime(reader, 8));
}
