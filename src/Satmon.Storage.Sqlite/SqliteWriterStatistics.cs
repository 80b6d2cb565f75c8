namespace Satmon.Storage.Sqlite;

/// <summary>Work on the write connection of a SQLite store since it opened.</summary>
/// <param name="Writes">Write transactions run: one per store call that writes.</param>
/// <param name="Held">Time the writer held the write lock, summed; a queued write waits for it.</param>
/// <param name="Cpu">
/// Of <paramref name="Held"/>, the time the writing thread ran on a CPU: SQLite, the store's own code and the system
/// calls they make (null where the thread's CPU clock cannot be read: on every system but 64-bit Linux). For the
/// rest the thread waited, for a core other threads or processes were using or for I/O.
/// </param>
/// <param name="KernelCpu">
/// Of <paramref name="Cpu"/>, the part in the kernel: writing WAL frames, page faults (null where it cannot be read).
/// Linux apportions it at scheduler ticks, so it is accurate over many writes, not for one.
/// </param>
public sealed record SqliteWriterStatistics(long Writes, TimeSpan Held, TimeSpan? Cpu, TimeSpan? KernelCpu)
{
    /// <summary>No write yet; the CPU times are already null where the thread's CPU clock cannot be read.</summary>
    public static SqliteWriterStatistics None { get; } = ThreadCpuClock.Supported
        ? new(0, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero)
        : new(0, TimeSpan.Zero, null, null);

    /// <summary>These statistics with one more write, which held the lock for <paramref name="held"/>.</summary>
    internal SqliteWriterStatistics After(TimeSpan held, ThreadCpuTime? cpu) =>
        new(Writes + 1, Held + held, Cpu + cpu?.Total, KernelCpu + cpu?.Kernel);
}
