using Microsoft.AspNetCore.Components;
using Satmon.Dashboard.Data;

namespace Satmon.Dashboard.Components;

/// <summary>Base of the pages: the request (static rendering always has one), the reader and the caller's role.</summary>
public abstract class DashboardPage : ComponentBase
{
    [CascadingParameter]
    public HttpContext HttpContext { get; set; } = null!;

    [Inject]
    internal DashboardReader Reader { get; set; } = null!;

    [Inject]
    internal NavigationManager Navigation { get; set; } = null!;

    /// <summary>Whether the signed-in key may change things. Handlers check it again: a viewer can forge a POST.</summary>
    protected bool IsOperator => HttpContext.User.IsOperator();

    protected CancellationToken Ct => HttpContext.RequestAborted;

    /// <summary>Refuses a change made by a viewer, whatever the page showed.</summary>
    protected void RequireOperator()
    {
        if (!IsOperator)
        {
            throw new UnauthorizedAccessException("Only an operator key may change things.");
        }
    }

    protected static string Esc(string value) => Uri.EscapeDataString(value);
}
