using System.CommandLine;
using System.Net;
using System.Text.RegularExpressions;
using Satmon.Cli;
using Satmon.Tests.Support;

namespace Satmon.Tests;

public sealed partial class DemoTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [GeneratedRegex(@"Dashboard: (http://127\.0\.0\.1:\d+)/")]
    private static partial Regex DashboardLine();

    [GeneratedRegex(@"Operator API key: (\S+)")]
    private static partial Regex KeyLine();

    [Fact]
    public async Task Demo_TwoStarts_SameOperatorKeyPrintedAndAccepted()
    {
        using var data = new TempFolder();
        var first = await RunDemoAsync(data.Path, null);
        var second = await RunDemoAsync(data.Path, null);
        Assert.StartsWith("smk_", first, StringComparison.Ordinal);
        Assert.Equal(first, second);
    }

    [Fact]
    public async Task Demo_WithApiKey_UsesThatKey()
    {
        using var data = new TempFolder();
        var key = await RunDemoAsync(data.Path, "my-chosen-demo-key-123");
        Assert.Equal("my-chosen-demo-key-123", key);
    }

    [Fact]
    public async Task Demo_ElementsOfEveryConnector_FillTheirTablesWithinOneMinute()
    {
        using var data = new TempFolder();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        using var output = new CapturedOutput();
        var run = SatmonCli.Create().Parse(["demo", "--port", "0", "--data", data.Path, "--api-key", "demo-e2e-key"])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = output }, stop.Token);
        try
        {
            await Eventually.TrueAsync(() => Task.FromResult(run.IsCompleted || DashboardLine().IsMatch(output.ToString())), "the demo printed no URL",
                TimeSpan.FromSeconds(30));
            Assert.False(run.IsCompleted, $"the demo ended early: {output}");
            using var client = new HttpClient { BaseAddress = new Uri(DashboardLine().Match(output.ToString()).Groups[1].Value) };
            client.DefaultRequestHeaders.Authorization = new("Bearer", "demo-e2e-key");

            // Real time: the demo runs on the system clock, as a user would see it. One minute is the promise.
            await Eventually.TrueAsync(async () =>
                await TotalAsync(client, "/api/elements/ses-o3b-mpower-demo/tables/terminals?limit=1") >= 150
                && await TotalAsync(client, "/api/elements/oneweb-demo/tables/userTerminals?limit=1") == 150
                && await TotalAsync(client, "/api/objects/services?element=ses-inventory-demo&limit=1") > 0
                && await TotalAsync(client, "/api/objects/resources?element=ses-inventory-demo&limit=1") > 0,
                $"the demo elements did not fill their tables within a minute: {output}", TimeSpan.FromSeconds(60));
            var fleet = await client.GetStringAsync("/api/fleet/terminals", Ct);
            Assert.Contains("SES O3b mPOWER", fleet, StringComparison.Ordinal);
            Assert.Contains("OneWeb", fleet, StringComparison.Ordinal);
        }
        finally
        {
            await stop.CancelAsync();
            Assert.Equal(0, await run);
        }
    }

    private static async Task<long> TotalAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path, Ct);
        if (!response.IsSuccessStatusCode)
        {
            return -1;
        }

        using var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        return json.RootElement.GetProperty("total").GetInt64();
    }

    /// <summary>Starts the demo on port 0, waits for its banner, checks the key on the API, then stops it.</summary>
    private static async Task<string> RunDemoAsync(string data, string? apiKey)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        using var output = new CapturedOutput();
        List<string> args = ["demo", "--port", "0", "--data", data];
        if (apiKey is not null)
        {
            args.AddRange(["--api-key", apiKey]);
        }

        var run = SatmonCli.Create().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = output }, stop.Token);
        try
        {
            await Eventually.TrueAsync(() => Task.FromResult(run.IsCompleted || KeyLine().IsMatch(output.ToString())), "the demo printed no key",
                TimeSpan.FromSeconds(30));
            Assert.False(run.IsCompleted, $"the demo ended early: {output}");
            var text = output.ToString();
            var url = DashboardLine().Match(text).Groups[1].Value;
            var key = KeyLine().Match(text).Groups[1].Value;

            using var client = new HttpClient { BaseAddress = new Uri(url) };
            client.DefaultRequestHeaders.Authorization = new("Bearer", key);
            using var response = await client.PostAsync("/api/elements/none/stop", null, Ct);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode); // authorised as operator, element unknown
            return key;
        }
        finally
        {
            await stop.CancelAsync();
            Assert.Equal(0, await run);
        }
    }
}
