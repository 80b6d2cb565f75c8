using System.Runtime.InteropServices;

namespace Satmon.Storage.Sqlite;

/// <summary>
/// CPU time of the calling thread (64-bit Linux only). A write that takes longer on the wall clock than on this clock
/// spent the difference waiting: for a core that other threads or processes were using, or for I/O.
/// </summary>
internal static class ThreadCpuClock
{
    private const int ClockThreadCpuTimeId = 3; // CLOCK_THREAD_CPUTIME_ID in <time.h>
    private const int RusageThread = 1; // RUSAGE_THREAD in <sys/resource.h>

    /// <summary>Whether this clock can be read here at all: on 64-bit Linux.</summary>
    public static bool Supported { get; } = OperatingSystem.IsLinux() && Environment.Is64BitProcess;

    /// <summary>The CPU time the calling thread has used so far, or null where it cannot be read.</summary>
    public static ThreadCpuTime? Now()
    {
        if (!Supported || ClockGetTime(ClockThreadCpuTimeId, out var total) != 0 || GetRusage(RusageThread, out var usage) != 0)
        {
            return null;
        }

        return new ThreadCpuTime(
            TimeSpan.FromTicks((total.Seconds * TimeSpan.TicksPerSecond) + (total.Nanoseconds / TimeSpan.NanosecondsPerTick)),
            TimeSpan.FromTicks((usage.SystemTime.Seconds * TimeSpan.TicksPerSecond) + (usage.SystemTime.Microseconds * TimeSpan.TicksPerMicrosecond)));
    }

    /// <summary>struct timespec of 64-bit Linux.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    /// <summary>struct timeval of 64-bit Linux.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct TimeVal
    {
        public long Seconds;
        public long Microseconds;
    }

    /// <summary>struct rusage of 64-bit Linux: user and system time, then fourteen counters not read here.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 144)]
    private struct Rusage
    {
        public TimeVal UserTime;
        public TimeVal SystemTime;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int ClockGetTime(int clockId, out TimeSpec time);

    [DllImport("libc", EntryPoint = "getrusage")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int GetRusage(int who, out Rusage usage);
}

/// <summary>
/// CPU time used by a thread: all of it, exact to the nanosecond; and the part in the kernel (system calls, page
/// faults), which Linux apportions at scheduler ticks, so it is accurate over many writes but not for one.
/// </summary>
internal readonly record struct ThreadCpuTime(TimeSpan Total, TimeSpan Kernel)
{
    public static ThreadCpuTime operator -(ThreadCpuTime end, ThreadCpuTime start) => new(end.Total - start.Total, end.Kernel - start.Kernel);
}
