using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Satmon.Simulators.SesInventory.Http;

/// <summary>Which paging parameters a list call used.</summary>
internal enum PagingFlavour
{
    /// <summary>SES gateway: <c>recordsPerPage</c> and a page index; end of data = a short page.</summary>
    Gateway,

    /// <summary>Standard TMF630: <c>offset</c>, <c>limit</c>, count headers and 206 for a partial page.</summary>
    Tmf,
}

/// <summary>
/// A parsed list call. The flavour is chosen per request: <c>offset</c> or <c>limit</c> makes it TMF, anything
/// else is the gateway flavour, so both work on every list path (reference §9).
/// </summary>
internal sealed record ListQuery(
    PagingFlavour Flavour, int Offset, int PageSize, int PageOrdinal, InventoryFilter Filter, string? AtType, IReadOnlyList<string>? Fields)
{
    public const string RecordsPerPage = "recordsPerPage";

    /// <summary>Parameters with a fixed meaning; a page-index name must not reuse one.</summary>
    public static readonly IReadOnlySet<string> ReservedParameters = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        RecordsPerPage, "offset", "limit", "fields", "status", "updatedDaysAgo", "@type",
    };

    /// <summary>Parses the query; on a bad value returns null and a message for a 400.</summary>
    public static ListQuery? Parse(IQueryCollection query, SesInventorySimulatorOptions options, out string? error)
    {
        error = null;
        if (!TryFilter(query, out var filter, out error))
        {
            return null;
        }

        var atType = query.TryGetValue("@type", out var t) ? t.ToString() : null;
        IReadOnlyList<string>? fields = query.TryGetValue("fields", out var f) && !string.IsNullOrWhiteSpace(f)
            ? f.ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : null;

        if (query.ContainsKey("offset") || query.ContainsKey("limit"))
        {
            if (!TryInt(query, "offset", 0, 0, out var offset, ref error) || !TryInt(query, "limit", options.DefaultLimit, 1, out var limit, ref error))
            {
                return null;
            }

            limit = Math.Min(limit, options.MaxPageSize);
            return new ListQuery(PagingFlavour.Tmf, offset, limit, offset / limit, filter, atType, fields);
        }

        if (!TryInt(query, RecordsPerPage, options.DefaultRecordsPerPage, 1, out var size, ref error))
        {
            return null;
        }

        size = Math.Min(size, options.MaxPageSize);
        var index = options.FirstPageIndex;
        foreach (var name in options.PageIndexParameterNames)
        {
            if (query.ContainsKey(name))
            {
                if (!TryInt(query, name, options.FirstPageIndex, options.FirstPageIndex, out index, ref error))
                {
                    return null;
                }

                break;
            }
        }

        var ordinal = index - options.FirstPageIndex;
        var start = (long)ordinal * size;
        return new ListQuery(PagingFlavour.Gateway, (int)Math.Min(start, int.MaxValue), size, ordinal, filter, atType, fields);
    }

    private static bool TryFilter(IQueryCollection query, out InventoryFilter filter, out string? error)
    {
        error = null;
        filter = InventoryFilter.None;
        var operationalOnly = false;
        if (query.TryGetValue("status", out var status))
        {
            // Only "1" is known (CMDB operational_status 1 = Operational); anything else is refused, not ignored,
            // so a client sending a wrong value finds out instead of silently getting everything.
            if (status.ToString() is not ("1" or "Operational" or "operational"))
            {
                error = $"status must be 1 (Operational), not '{status}'.";
                return false;
            }

            operationalOnly = true;
        }

        int? days = null;
        if (query.TryGetValue("updatedDaysAgo", out var d))
        {
            if (!int.TryParse(d, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed > 36_500)
            {
                error = $"updatedDaysAgo must be a whole number of days from 0 to 36500, not '{d}'.";
                return false;
            }

            days = parsed;
        }

        filter = new InventoryFilter(operationalOnly, days);
        return true;
    }

    private static bool TryInt(IQueryCollection query, string name, int fallback, int minimum, out int value, ref string? error)
    {
        value = fallback;
        if (!query.TryGetValue(name, out var raw))
        {
            return true;
        }

        if (int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= minimum)
        {
            return true;
        }

        error = $"{name} must be a whole number of at least {minimum}, not '{raw}'.";
        return false;
    }
}
