using System.Text.Json;
using Satmon.Core.Connectors;

namespace Satmon.Connectors.OneWeb;

/// <summary>
/// A vendor response lacks a field we read. The message names the call, the item and the field, and points at a
/// property that looks like its new name, so schema drift is diagnosed from the polling manager's reason alone.
/// </summary>
internal sealed class MissingFieldException(string message) : VendorException(message);

/// <summary>
/// Checks the fields of one vendor item. Absent and null look the same after parsing and are treated the same:
/// the field is missing. Nothing is written until every item of a response has passed.
/// </summary>
/// <param name="Call">The call, for the message (e.g. "User terminals").</param>
/// <param name="Item">What the item is (e.g. "user terminal").</param>
/// <param name="Index">Zero-based position in the response.</param>
/// <param name="Id">The item's id when known, for the message.</param>
/// <param name="Unmapped">Properties the item had that we do not map (a renamed field shows up here).</param>
internal readonly record struct WireCheck(string Call, string Item, int Index, string? Id, Dictionary<string, JsonElement>? Unmapped)
{
    public T Require<T>(T? value, string field) where T : class => value ?? throw Missing(field);

    public T Require<T>(T? value, string field) where T : struct => value ?? throw Missing(field);

    public string RequireText(string? value, string field) => string.IsNullOrWhiteSpace(value) ? throw Missing(field) : value;

    public MissingFieldException Missing(string field)
    {
        var which = Id is null ? $"item {Index + 1}" : $"'{Id}' (item {Index + 1})";
        var message = $"{Call}: field '{field}' is missing from {Item} {which}.";
        var top = field.Split('.', '[')[0];
        var unexpected = (Unmapped?.Keys ?? Enumerable.Empty<string>()).Where(k => !k.StartsWith('@')).ToList();
        var lookalike = unexpected.FirstOrDefault(k => LooksLike(k, top));
        if (lookalike is not null)
        {
            message += $" The response has '{lookalike}' instead: the vendor may have renamed it.";
        }
        else if (unexpected.Count > 0)
        {
            message += $" Unexpected properties in it: {string.Join(", ", unexpected.Take(5).Select(k => $"'{k}'"))}.";
        }

        return new MissingFieldException(message + " The stored rows were left unchanged.");
    }

    // "IMEI" for "imei", "serial_number" or "serialNo" for "serialNumber": same letters, or a long common start.
    private static bool LooksLike(string candidate, string field)
    {
        var a = Normalise(candidate);
        var b = Normalise(field);
        var common = 0;
        while (common < a.Length && common < b.Length && a[common] == b[common])
        {
            common++;
        }

        return a == b || common >= Math.Min(4, Math.Min(a.Length, b.Length));
    }

    private static string Normalise(string name) =>
        new(name.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());
}
