using System.Globalization;
using Microsoft.AspNetCore.Components;
using Satmon.Core.Elements;
using Satmon.Core.Polling;
using Satmon.Dashboard.Components;
using Satmon.Dashboard.Data;

namespace Satmon.Dashboard.Pages;

/// <summary>The polling manager: status, reason, last/next poll; operators enable/disable, set intervals and poll now.</summary>
public partial class PollingPage : DashboardPage
{
    [Parameter]
    public string Id { get; set; } = "";

    private ElementContextView? View { get; set; }

    private string? NotFound { get; set; }

    private IReadOnlyList<PollTaskView> Tasks { get; set; } = [];

    private string? Message { get; set; }

    private bool MessageOk { get; set; }

    protected override async Task OnInitializedAsync()
    {
        try
        {
            await LoadAsync();
        }
        catch (ElementNotFoundException ex)
        {
            NotFound = ex.Message;
            HttpContext.Response.StatusCode = StatusCodes.Status404NotFound;
        }
    }

    private async Task LoadAsync()
    {
        View = await Reader.GetElementAsync(Id, Ct);
        Tasks = await Reader.Elements.GetPollingAsync(Id, Ct);
    }

    private Task PollOneAsync(string task) => RunAsync($"Poll of '{task}' requested.", () => Reader.Elements.PollNowAsync(Id, task, Ct));

    private Task PollAllAsync() => RunAsync("Poll of every enabled task requested.", () => Reader.Elements.PollNowAsync(Id, null, Ct));

    private Task ToggleAsync(string task, bool enable) =>
        RunAsync($"Task '{task}' {(enable ? "enabled" : "disabled")}.", () => Reader.Elements.UpdatePollingAsync(Id, task, enable, null, false, Ct));

    private Task SetIntervalAsync(string task)
    {
        var form = HttpContext.Request.Form;
        if (form.ContainsKey("reset"))
        {
            return RunAsync($"Task '{task}' is back to its default interval.", () => Reader.Elements.UpdatePollingAsync(Id, task, null, null, true, Ct));
        }

        // The same rule and wording as the API's PATCH …/polling/{task}.
        if (!int.TryParse(form["intervalSeconds"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) || seconds < 1)
        {
            return Fail($"'intervalSeconds' must be at least 1 (or Default); got '{form["intervalSeconds"]}'.");
        }

        return RunAsync($"Task '{task}' now polls every {seconds} s.",
            () => Reader.Elements.UpdatePollingAsync(Id, task, null, TimeSpan.FromSeconds(seconds), false, Ct));
    }

    private async Task RunAsync(string success, Func<Task> action)
    {
        RequireOperator();
        try
        {
            await action();
            (Message, MessageOk) = (success, true);
        }
        catch (Exception ex) when (ex is InvalidOperationException or SettingsValidationException or PollTaskNotFoundException or ElementNotRunningException)
        {
            // These messages are written for the operator (disabled task, stopped element, bad interval).
            (Message, MessageOk) = (ex.Message, false);
        }

        await LoadAsync();
    }

    private async Task Fail(string message)
    {
        (Message, MessageOk) = (message, false);
        await LoadAsync();
    }
}
