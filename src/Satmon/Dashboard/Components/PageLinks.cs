using System.Globalization;

namespace Satmon.Dashboard.Components;

/// <summary>URLs of a paged, filtered, sorted view: state lives in the query string, so views are bookmarkable.</summary>
internal static class PageLinks
{
    public static string Build(string path, string? filter, string? sort, int offset, int? size)
    {
        var query = new List<string>();
        if (!string.IsNullOrWhiteSpace(filter))
        {
            query.Add("filter=" + Uri.EscapeDataString(filter));
        }

        if (!string.IsNullOrWhiteSpace(sort))
        {
            query.Add("sort=" + Uri.EscapeDataString(sort));
        }

        if (offset > 0)
        {
            query.Add("offset=" + offset.ToString(CultureInfo.InvariantCulture));
        }

        if (size is { } s)
        {
            query.Add("size=" + s.ToString(CultureInfo.InvariantCulture));
        }

        return query.Count == 0 ? path : path + "?" + string.Join('&', query);
    }

    /// <summary>The sort a header click asks for: ascending first, then descending.</summary>
    public static string NextSort(string? current, string column) =>
        string.Equals(current, column, StringComparison.OrdinalIgnoreCase) ? "-" + column : column;

    public static string Arrow(string? current, string column) =>
        string.Equals(current, column, StringComparison.OrdinalIgnoreCase) ? "▲"
        : string.Equals(current, "-" + column, StringComparison.OrdinalIgnoreCase) ? "▼"
        : "";
}
