using Microsoft.AspNetCore.Components;
using Satmon.Core.Connectors;
using Satmon.Core.Elements;

namespace Satmon.Dashboard.Components;

public partial class CommandButton
{
    [CascadingParameter]
    public HttpContext HttpContext { get; set; } = null!;

    [Inject]
    internal IElementManager Elements { get; set; } = null!;

    [Parameter, EditorRequired]
    public string ElementId { get; set; } = "";

    [Parameter, EditorRequired]
    public CommandDefinition Command { get; set; } = null!;

    [Parameter]
    public EventCallback<CommandResult> OnResult { get; set; }

    private string Label => Command.Name.Length == 0 ? "" : char.ToUpperInvariant(Command.Name[0]) + Command.Name[1..];

    private async Task RunAsync()
    {
        CommandResult result;
        if (!HttpContext.User.IsOperator())
        {
            result = new CommandResult(false, "Only an operator key may run commands.");
        }
        else
        {
            try
            {
                result = await Elements.ExecuteCommandAsync(ElementId, Command.Name, HttpContext.RequestAborted);
            }
            catch (Exception ex) when (ex is ElementNotRunningException or CommandNotFoundException)
            {
                result = new CommandResult(false, ex.Message);
            }
            catch (Exception ex) when (!HttpContext.RequestAborted.IsCancellationRequested)
            {
                // An unexpected failure's message may carry internals (even a setting): the page says only that it failed.
                _ = ex;
                result = new CommandResult(false, $"The command '{Command.Name}' failed unexpectedly; the server log has the details.");
            }
        }

        await OnResult.InvokeAsync(result);
    }
}
