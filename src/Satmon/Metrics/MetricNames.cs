using System.Text;

namespace Satmon.Metrics;

/// <summary>Prometheus naming: snake_case from camelCase, only [a-z0-9_].</summary>
internal static class MetricNames
{
    /// <summary><c>terminalPerformance</c> → <c>terminal_performance</c>; anything outside [a-zA-Z0-9] becomes <c>_</c>.</summary>
    public static string SnakeCase(string name)
    {
        var sb = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsAsciiLetterUpper(c))
            {
                if (i > 0 && (char.IsAsciiLetterLower(name[i - 1]) || char.IsAsciiDigit(name[i - 1])))
                {
                    sb.Append('_');
                }

                sb.Append(char.ToLowerInvariant(c));
            }
            else
            {
                sb.Append(char.IsAsciiLetterOrDigit(c) ? c : '_');
            }
        }

        return sb.ToString();
    }

    /// <summary>Gauge name of one trended column: <c>satmon_&lt;table&gt;_&lt;column&gt;</c>.</summary>
    public static string ColumnGauge(string table, string column) => $"satmon_{SnakeCase(table)}_{SnakeCase(column)}";
}
