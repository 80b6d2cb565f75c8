using System.Globalization;
using System.Text.RegularExpressions;

namespace Satmon.Tests.Support;

/// <summary>One sample of the Prometheus text exposition format.</summary>
public sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>
/// A strict little parser of the text format (0.0.4): every non-comment line is <c>name{labels} value</c>, HELP and
/// TYPE lines are well-formed, names match <c>[a-zA-Z_:][a-zA-Z0-9_:]*</c>. Throws on anything else.
/// </summary>
public static partial class PrometheusText
{
    [GeneratedRegex("^[a-zA-Z_:][a-zA-Z0-9_:]*$")]
    private static partial Regex MetricName();

    [GeneratedRegex("^# (HELP|TYPE) ([^ ]+) (.*)$")]
    private static partial Regex Comment();

    [GeneratedRegex("""^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"$""")]
    private static partial Regex Label();

    private static readonly string[] Types = ["counter", "gauge", "histogram", "summary", "untyped"];

    public static List<PrometheusSample> Parse(string text)
    {
        var samples = new List<PrometheusSample>();
        var lineNumber = 0;
        foreach (var line in text.Split('\n'))
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith('#'))
            {
                var m = Comment().Match(line);
                if (line.StartsWith("# HELP ", StringComparison.Ordinal) || line.StartsWith("# TYPE ", StringComparison.Ordinal))
                {
                    Check(m.Success && MetricName().IsMatch(m.Groups[2].Value), lineNumber, line, "malformed HELP/TYPE line");
                    Check(m.Groups[1].Value != "TYPE" || Types.Contains(m.Groups[3].Value), lineNumber, line, "unknown TYPE");
                }

                continue;
            }

            samples.Add(ParseSample(line, lineNumber));
        }

        return samples;
    }

    private static PrometheusSample ParseSample(string line, int lineNumber)
    {
        var brace = line.IndexOf('{', StringComparison.Ordinal);
        var space = line.LastIndexOf(' ');
        Check(space > 0, lineNumber, line, "no value");
        string name;
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (brace >= 0 && brace < space)
        {
            name = line[..brace];
            var close = line.LastIndexOf('}');
            Check(close > brace && close < space, lineNumber, line, "unclosed label set");
            foreach (var pair in SplitLabels(line[(brace + 1)..close]))
            {
                var m = Label().Match(pair);
                Check(m.Success, lineNumber, line, $"malformed label '{pair}'");
                labels[m.Groups[1].Value] = m.Groups[2].Value;
            }
        }
        else
        {
            name = line[..space].TrimEnd();
        }

        Check(MetricName().IsMatch(name), lineNumber, line, $"bad metric name '{name}'");
        var raw = line[(space + 1)..];
        var ok = raw is "+Inf" or "-Inf" or "NaN" || double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
        Check(ok, lineNumber, line, $"bad value '{raw}'");
        var value = raw switch
        {
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            "NaN" => double.NaN,
            _ => double.Parse(raw, CultureInfo.InvariantCulture),
        };
        return new PrometheusSample(name, labels, value);
    }

    /// <summary>Splits <c>a="x",b="y,z"</c> on commas outside quotes.</summary>
    private static IEnumerable<string> SplitLabels(string text)
    {
        var start = 0;
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
            }
            else if (text[i] == '"')
            {
                quoted = !quoted;
            }
            else if (text[i] == ',' && !quoted)
            {
                yield return text[start..i];
                start = i + 1;
            }
        }

        if (start < text.Length)
        {
            yield return text[start..];
        }
    }

    private static void Check(bool condition, int lineNumber, string line, string problem)
    {
        if (!condition)
        {
            throw new FormatException($"Line {lineNumber}: {problem}: {line}");
        }
    }
}
