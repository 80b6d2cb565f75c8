using System.Globalization;
using System.Text;

namespace Satmon.Core.Storage;

/// <summary>SQL text that both SQL stores build the same way: quoted identifiers, sanitized names, LIKE patterns.</summary>
public static class SqlText
{
    /// <summary>
    /// Quotes an identifier. Identifiers here are generated from sanitized names (see <see cref="Sanitize"/>), so
    /// quoting is a second line of defence, not the only one.
    /// </summary>
    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>Lower-case ASCII letters, digits and underscores only, at most <paramref name="maxLength"/> characters.</summary>
    public static string Sanitize(string name, int maxLength)
    {
        var sb = new StringBuilder(Math.Min(name.Length, maxLength));
        foreach (var ch in name)
        {
            if (sb.Length == maxLength)
            {
                break;
            }

            sb.Append(char.IsAsciiLetterOrDigit(ch) ? char.ToLowerInvariant(ch) : '_');
        }

        return sb.ToString();
    }

    /// <summary>Escapes a LIKE pattern's wildcards for <c>ESCAPE '\'</c>.</summary>
    public static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("%", "\\%", StringComparison.Ordinal)
            .Replace("_", "\\_", StringComparison.Ordinal);

    /// <summary>
    /// A physical column name for <paramref name="name"/>: <c>c_</c> and the sanitized name, with <c>_2</c>, <c>_3</c>…
    /// when another column of the table (in <paramref name="used"/>, which gets the result) sanitized the same way.
    /// </summary>
    public static string UniqueColumnName(string name, HashSet<string> used)
    {
        ArgumentNullException.ThrowIfNull(used);
        var baseName = "c_" + Sanitize(name, 40);
        var candidate = baseName;
        for (var n = 2; !used.Add(candidate); n++)
        {
            candidate = baseName + "_" + n.ToString(CultureInfo.InvariantCulture);
        }

        return candidate;
    }
}
