using System.Text.Json;

namespace Satmon.Connectors.Http;

/// <summary>
/// Reads what a vendor said in an error body, whatever the convention: MEF (<c>{code, reason, message}</c>, 422 as an
/// array with <c>propertyPath</c>), OAuth/Keycloak (<c>{error, error_description}</c>), or plain text.
/// </summary>
public static class VendorErrorBody
{
    private const int MaxDetailLength = 300;

    /// <summary>The vendor's error code (first one of an array) and a one-line detail; both null for an empty body.</summary>
    public static (string? Code, string? Detail) Parse(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return (null, null);
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                return Describe(root);
            }

            if (root.ValueKind == JsonValueKind.Array)
            {
                var items = root.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object).Select(Describe).ToList();
                return (items.FirstOrDefault().Code, Shorten(string.Join("; ", items.Select(i => Join(i.Code, i.Detail)))));
            }
        }
        catch (JsonException)
        {
            // Not JSON: a gateway's HTML or text page; show its start.
        }

        return (null, Shorten(body));
    }

    /// <summary>"code: detail", either part optional.</summary>
    public static string? Join(string? code, string? detail) => (code, detail) switch
    {
        (null, null) => null,
        ({ } c, null) => c,
        (null, { } d) => d,
        ({ } c, { } d) => $"{c}: {d}",
    };

    private static (string? Code, string? Detail) Describe(JsonElement error)
    {
        var code = Text(error, "code") ?? Text(error, "error");
        var parts = new[] { "reason", "message", "error_description" }
            .Select(name => Text(error, name))
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (Text(error, "propertyPath") is { } path)
        {
            parts.Add($"at {path}");
        }

        return (code, parts.Count == 0 ? null : Shorten(string.Join(" ", parts)));
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } s
            ? s
            : null;

    private static string Shorten(string text)
    {
        var line = string.Join(' ', text.Split((char[])['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries)).Trim();
        return line.Length <= MaxDetailLength ? line : line[..MaxDetailLength] + "…";
    }
}
