namespace Satmon.Core.History;

/// <summary>One value of one series at the vendor's (or poll's) time.</summary>
/// <param name="Table">Table name.</param>
/// <param name="Key">Row key.</param>
/// <param name="Column">Trended column.</param>
/// <param name="Time">When the value was measured.</param>
/// <param name="Value">The value.</param>
public readonly record struct HistoryPoint(string Table, string Key, string Column, DateTimeOffset Time, double Value);

/// <summary>History resolutions: raw points and averaged rollups.</summary>
public enum Resolution
{
    /// <summary>Every stored point.</summary>
    Raw,
    /// <summary>5-minute buckets.</summary>
    FiveMinutes,
    /// <summary>1-hour buckets.</summary>
    OneHour,
    /// <summary>1-day buckets (UTC days).</summary>
    OneDay,
}

/// <summary>Helpers for resolutions.</summary>
public static class Resolutions
{
    /// <summary>The rollup resolutions, finest first.</summary>
    public static IReadOnlyList<Resolution> Rollups { get; } = [Resolution.FiveMinutes, Resolution.OneHour, Resolution.OneDay];

    /// <summary>Bucket width of a rollup resolution.</summary>
    public static TimeSpan BucketWidth(Resolution resolution) => resolution switch
    {
        Resolution.FiveMinutes => TimeSpan.FromMinutes(5),
        Resolution.OneHour => TimeSpan.FromHours(1),
        Resolution.OneDay => TimeSpan.FromDays(1),
        _ => throw new ArgumentOutOfRangeException(nameof(resolution), resolution, "Raw has no buckets."),
    };

    /// <summary>Start of the bucket holding <paramref name="unixMilliseconds"/>, in Unix milliseconds.</summary>
    public static long BucketStart(Resolution resolution, long unixMilliseconds)
    {
        var width = (long)BucketWidth(resolution).TotalMilliseconds;
        // Floor division so that times before 1970 land in the right bucket too.
        return (long)Math.Floor((double)unixMilliseconds / width) * width;
    }

    /// <summary>Parses the API token: raw, 5m, 1h, 1d.</summary>
    public static bool TryParse(string? text, out Resolution resolution)
    {
        resolution = text?.ToLowerInvariant() switch
        {
            null or "" or "raw" => Resolution.Raw,
            "5m" => Resolution.FiveMinutes,
            "1h" => Resolution.OneHour,
            "1d" => Resolution.OneDay,
            _ => (Resolution)(-1),
        };
        return Enum.IsDefined(resolution);
    }

    /// <summary>The API token of a resolution.</summary>
    public static string ToToken(Resolution resolution) => resolution switch
    {
        Resolution.Raw => "raw",
        Resolution.FiveMinutes => "5m",
        Resolution.OneHour => "1h",
        _ => "1d",
    };
}

/// <summary>A history query for one series.</summary>
/// <param name="Table">Table.</param>
/// <param name="Key">Row key.</param>
/// <param name="Column">Column.</param>
/// <param name="From">Inclusive start.</param>
/// <param name="To">Exclusive end.</param>
/// <param name="Resolution">Raw or a rollup.</param>
public sealed record HistoryQuery(string Table, string Key, string Column, DateTimeOffset From, DateTimeOffset To, Resolution Resolution);

/// <summary>One raw sample.</summary>
/// <param name="Time">Sample time.</param>
/// <param name="Value">Value.</param>
public readonly record struct HistorySample(DateTimeOffset Time, double Value);

/// <summary>One rollup bucket.</summary>
/// <param name="Time">Bucket start.</param>
/// <param name="Min">Smallest value.</param>
/// <param name="Avg">Mean value.</param>
/// <param name="Max">Largest value.</param>
/// <param name="Count">Number of raw points.</param>
public readonly record struct RollupSample(DateTimeOffset Time, double Min, double Avg, double Max, long Count);

/// <summary>Query answer: raw samples or rollup buckets, by resolution.</summary>
/// <param name="Resolution">Resolution of the answer.</param>
/// <param name="Raw">Raw samples (raw resolution), oldest first.</param>
/// <param name="Rollups">Buckets (rollup resolutions), oldest first.</param>
public sealed record HistorySeries(Resolution Resolution, IReadOnlyList<HistorySample> Raw, IReadOnlyList<RollupSample> Rollups);

/// <summary>How long each resolution is kept. Defaults: raw 7 d, 5 min 90 d, 1 h 1 y, 1 d 5 y.</summary>
public sealed class RetentionOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "History:Retention";

    /// <summary>Days raw points are kept (default 7).</summary>
    public int RawDays { get; set; } = 7;

    /// <summary>Days 5-minute rollups are kept (default 90).</summary>
    public int FiveMinuteDays { get; set; } = 90;

    /// <summary>Days 1-hour rollups are kept (default 365).</summary>
    public int OneHourDays { get; set; } = 365;

    /// <summary>Days 1-day rollups are kept (default 1825).</summary>
    public int OneDayDays { get; set; } = 1825;

    /// <summary>How often retention runs (default 1 h).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Retention of one resolution.</summary>
    public TimeSpan For(Resolution resolution) => TimeSpan.FromDays(resolution switch
    {
        Resolution.Raw => RawDays,
        Resolution.FiveMinutes => FiveMinuteDays,
        Resolution.OneHour => OneHourDays,
        _ => OneDayDays,
    });
}
