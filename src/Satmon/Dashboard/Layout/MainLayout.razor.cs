using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Satmon.Core.Elements;

namespace Satmon.Dashboard.Layout;

public partial class MainLayout
{
    [CascadingParameter]
    public HttpContext HttpContext { get; set; } = null!;

    [Inject]
    internal IElementManager ElementManager { get; set; } = null!;

    private IReadOnlyList<ElementView> Elements { get; set; } = [];

    private string UserName => HttpContext.User.Identity?.Name ?? "";

    private string Role => HttpContext.User.FindFirstValue(ClaimTypes.Role) ?? "";

    protected override async Task OnInitializedAsync() => Elements = await ElementManager.ListAsync(HttpContext.RequestAborted);
}
