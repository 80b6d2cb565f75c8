using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Satmon.Simulators.SesMpower;

/// <summary>The parsed query of a pm-reports call.</summary>
internal sealed record PmReportsQuery(DateTimeOffset? RequestedFrom, DateTimeOffset? RequestedTo, DateTimeOffset From, DateTimeOffset To, PageRequest Page)
{
    /// <summary>
    /// Reads the range under any configured name (first present name wins) and offset/limit. Both bounds are
    /// exclusive whatever their name. Missing upper bound = now; missing lower bound = upper bound - DefaultRange.
    /// </summary>
    public static bool TryParse(IQueryCollection query, SesMpowerSimulatorOptions options, DateTimeOffset now, out PmReportsQuery parsed, out string error)
    {
        parsed = null!;
        if (!TryReadTime(query, options.RangeFromParameterNames, out var requestedFrom, out error)
            || !TryReadTime(query, options.RangeToParameterNames, out var requestedTo, out error)
            || !PageRequest.TryRead(query, options.MaxPageSize, out var page, out error))
        {
            return false;
        }

        var to = requestedTo ?? now;
        var from = requestedFrom ?? to - options.DefaultRange;
        parsed = new PmReportsQuery(requestedFrom, requestedTo, from, to, page);
        return true;
    }

    private static bool TryReadTime(IQueryCollection query, IList<string> names, out DateTimeOffset? value, out string error)
    {
        value = null;
        error = "";
        foreach (var name in names)
        {
            var raw = query[name].ToString();
            if (raw.Length == 0)
            {
                continue;
            }

            // An unencoded '+' of "+00:00" arrives as a space after query decoding.
            var text = raw.Replace(' ', '+');
            if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                error = $"{name} must be an ISO 8601 date-time (was '{raw}')";
                return false;
            }

            value = parsed.ToUniversalTime();
            return true;
        }

        return true;
    }
}
