using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Components;
using Satmon.Auth;
using Satmon.Dashboard.Components;

namespace Satmon.Dashboard.Pages;

/// <summary>Checks an API key with the API's own lookup and issues the dashboard cookie (key id and role, not the key).</summary>
public partial class SignIn : DashboardPage
{
    [Inject]
    internal ApiKeyService Keys { get; set; } = null!;

    [SupplyParameterFromForm(FormName = "signin")]
    private SignInForm? Input { get; set; }

    [SupplyParameterFromQuery]
    public string? ReturnUrl { get; set; }

    private string? Error { get; set; }

    protected override void OnInitialized() => Input ??= new SignInForm();

    private async Task SignInAsync()
    {
        var key = Input?.Key?.Trim();
        Input = new SignInForm();
        var record = string.IsNullOrEmpty(key) ? null : await Keys.FindAsync(key, Ct);
        if (record is null)
        {
            Error = "That API key is not known (revoked, mistyped, or from another Satmon data folder).";
            return;
        }

        // Not persistent: the cookie ends with the browser session; the ticket inside still expires after 12 h.
        await HttpContext.SignInAsync(DashboardSetup.CookieScheme, DashboardSetup.Principal(record), new AuthenticationProperties { IsPersistent = false });
        Navigation.NavigateTo(IsLocal(ReturnUrl) ? ReturnUrl! : "/");
    }

    // Only same-site paths: a sign-in link must not be usable to bounce the user to another site.
    private static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal);

    internal sealed class SignInForm
    {
        public string? Key { get; set; }
    }
}
