namespace Satmon.Connectors.Tests.Support;

/// <summary>Bounded waits for what real I/O brings about (never for time: that is the fake clock's job).</summary>
internal static class Wait
{
    /// <summary>Polls <paramref name="condition"/> every 10 ms of real time until it holds or <paramref name="within"/> passes.</summary>
    /// <returns>Whether it held; with <paramref name="throwOnTimeout"/> a timeout throws instead.</returns>
    public static Task<bool> Until(Func<bool> condition, TimeSpan? within = null, bool throwOnTimeout = true) =>
        Until(() => Task.FromResult(condition()), within, throwOnTimeout);

    public static async Task<bool> Until(Func<Task<bool>> condition, TimeSpan? within = null, bool throwOnTimeout = true)
    {
        var started = TimeProvider.System.GetTimestamp();
        var limit = within ?? TimeSpan.FromSeconds(10);
        while (!await condition())
        {
            if (TimeProvider.System.GetElapsedTime(started) > limit)
            {
                return throwOnTimeout ? throw new TimeoutException($"The condition did not hold within {limit.TotalSeconds} s.") : false;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(10), TimeProvider.System, TestContext.Current.CancellationToken);
        }

        return true;
    }
}
