using System.Text;

namespace Satmon.Core.Elements;

/// <summary>Element ids: derived from the name, safe in URLs and Prometheus label values.</summary>
public static class ElementIds
{
    private const int MaxLength = 48;

    /// <summary>Lower-case letters and digits, other runs become one dash: "OneWeb Europe #2" → "oneweb-europe-2".</summary>
    public static string FromName(string name)
    {
        var sb = new StringBuilder(name.Length);
        foreach (var ch in name.Trim().ToLowerInvariant())
        {
            if (ch is >= 'a' and <= 'z' or >= '0' and <= '9')
            {
                sb.Append(ch);
            }
            else if (sb.Length > 0 && sb[^1] != '-')
            {
                sb.Append('-');
            }
        }

        var id = sb.ToString().Trim('-');
        if (id.Length > MaxLength)
        {
            id = id[..MaxLength].TrimEnd('-');
        }

        return id.Length == 0 ? "element" : id;
    }
}
