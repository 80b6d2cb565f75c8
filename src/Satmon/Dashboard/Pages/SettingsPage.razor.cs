using System.Globalization;
using Microsoft.AspNetCore.Components;
using Satmon.Core.Connectors;
using Satmon.Core.Elements;
using Satmon.Core.Settings;
using Satmon.Dashboard.Components;
using Satmon.Dashboard.Data;

namespace Satmon.Dashboard.Pages;

/// <summary>
/// A form generated from the connector's settings schema. Saving goes through the element manager, so the messages
/// are the API's own validator's; secrets are write-only (an empty secret field keeps the stored value).
/// </summary>
public partial class SettingsPage : DashboardPage
{
    [Parameter]
    public string Id { get; set; } = "";

    private ElementContextView? View { get; set; }

    private string? NotFound { get; set; }

    private IReadOnlyDictionary<string, string[]> Errors { get; set; } = new Dictionary<string, string[]>();

    /// <summary>Values typed in a refused form, shown again so the operator can fix them; never secrets.</summary>
    private Dictionary<string, string?> Typed { get; } = new(StringComparer.Ordinal);

    private string? Message { get; set; }

    private bool MessageOk { get; set; }

    protected override async Task OnInitializedAsync()
    {
        try
        {
            View = await Reader.GetElementAsync(Id, Ct);
        }
        catch (ElementNotFoundException ex)
        {
            NotFound = ex.Message;
            HttpContext.Response.StatusCode = StatusCodes.Status404NotFound;
        }
    }

    private string? Current(SettingDefinition s) =>
        Typed.TryGetValue(s.Key, out var typed) ? typed
        : View!.Element.Settings.TryGetValue(s.Key, out var v) && v is not SecretSettingView ? Convert.ToString(v, CultureInfo.InvariantCulture)
        : s.Default;

    private bool SecretIsSet(string key) => View!.Element.Settings.TryGetValue(key, out var v) && v is SecretSettingView { Set: true };

    private static string Range(SettingDefinition s) => (s.Minimum, s.Maximum) switch
    {
        ({ } lo, { } hi) => string.Create(CultureInfo.InvariantCulture, $" (from {lo} to {hi})"),
        ({ } lo, null) => string.Create(CultureInfo.InvariantCulture, $" (at least {lo})"),
        (null, { } hi) => string.Create(CultureInfo.InvariantCulture, $" (at most {hi})"),
        _ => "",
    };

    private async Task SaveAsync()
    {
        RequireOperator();
        var form = HttpContext.Request.Form;
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var s in View!.Connector.Settings)
        {
            var raw = form.TryGetValue("s." + s.Key, out var given) ? given.ToString() : null;
            if (s.Secret)
            {
                // Empty means "keep": the form never holds the stored secret, so an empty field is not a request to clear it.
                if (!string.IsNullOrEmpty(raw))
                {
                    values[s.Key] = raw;
                }

                continue;
            }

            values[s.Key] = string.IsNullOrWhiteSpace(raw) ? null : raw.Trim();
            Typed[s.Key] = values[s.Key];
        }

        try
        {
            View = View with { Element = await Reader.Elements.UpdateAsync(Id, new UpdateElementRequest(null, values), Ct) };
            Typed.Clear();
            (Message, MessageOk) = ("Settings saved; the element restarts with them.", true);
        }
        catch (SettingsValidationException ex)
        {
            Errors = ex.Errors;
            (Message, MessageOk) = ("Nothing was saved: fix the fields marked below.", false);
        }
    }

    private async Task ShowResult(CommandResult result)
    {
        (Message, MessageOk) = (result.Message, result.Success);
        View = await Reader.GetElementAsync(Id, Ct);
    }
}
