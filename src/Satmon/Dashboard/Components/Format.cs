using System.Globalization;
using MudBlazor;
using Satmon.Core.Elements;
using Satmon.Core.Polling;

namespace Satmon.Dashboard.Components;

/// <summary>Display helpers shared by the pages: invariant, UTC, and one colour per state.</summary>
internal static class Format
{
    public static string Value(object? value) => value switch
    {
        null => "",
        DateTimeOffset t => Time(t),
        double d => d.ToString("0.###", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    public static string Time(DateTimeOffset? t) => t is { } v ? v.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + "Z" : "—";

    public static string Seconds(TimeSpan? t) => t is { } v ? v.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s" : "—";

    public static Color StateColor(ElementState state) => state switch
    {
        ElementState.Running => Color.Success,
        ElementState.Degraded => Color.Warning,
        ElementState.AuthFailed => Color.Error,
        ElementState.Stopped => Color.Default,
        _ => Color.Info,
    };

    public static Color PollColor(PollStatus status) => status switch
    {
        PollStatus.Succeeded => Color.Success,
        PollStatus.Failed => Color.Error,
        PollStatus.Polling => Color.Info,
        _ => Color.Default,
    };

    public static Color FleetColor(string status) => status switch
    {
        "online" => Color.Success,
        "offline" => Color.Error,
        _ => Color.Default,
    };
}
