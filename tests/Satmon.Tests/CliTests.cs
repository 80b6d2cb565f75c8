using System.CommandLine;
using System.Net;
using System.Net.Http.Json;
using Satmon.Cli;
using Satmon.Tests.Support;

namespace Satmon.Tests;

public sealed class CliTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ApiKeyCreate_ViewerKey_PrintedOnceAndAcceptedByTheHost()
    {
        var host = new SatmonHost();
        await host.InitializeAsync();
        await using (host)
        {
            var output = new StringWriter();
            var exit = await SatmonCli.Create()
                .Parse(["apikey", "create", "--role", "viewer", "--name", "cli test", "--data", host.DataDirectory])
                .InvokeAsync(new InvocationConfiguration { Output = output, Error = output }, Ct);
            Assert.Equal(0, exit);
            var key = output.ToString().Split('\n', StringSplitOptions.TrimEntries).Single(l => l.StartsWith("smk_", StringComparison.Ordinal));
            Assert.True(key.Length > 40);

            using var client = host.CreateClient(key);
            using var read = await client.GetAsync("/api/elements", Ct);
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            using var write = await client.PostAsJsonAsync("/api/elements", new { name = "x", connector = "test" }, Ct);
            Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
        }
    }

    [Fact]
    public async Task ApiKeyCreate_BadRole_FailsWithoutCreating()
    {
        using var data = new TempFolder();
        var output = new StringWriter();
        var exit = await SatmonCli.Create()
            .Parse(["apikey", "create", "--role", "admin", "--name", "x", "--data", data.Path])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = output }, Ct);
        Assert.NotEqual(0, exit);
        Assert.DoesNotContain("smk_", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Simulate_StartsTheThreeSimulators_TheyAnswerUntilStopped()
    {
        using var output = new CapturedOutput();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var run = SatmonCli.Create().Parse(["simulate", "--port", "0"]).InvokeAsync(new InvocationConfiguration { Output = output, Error = output }, stop.Token);
        try
        {
            await Eventually.TrueAsync(() => Task.FromResult(run.IsCompleted || output.ToString().Contains("SES Inventory", StringComparison.Ordinal)),
                "simulate printed no addresses", TimeSpan.FromSeconds(30));
            var text = output.ToString();
            Assert.False(run.IsCompleted, text);
            var oneWeb = System.Text.RegularExpressions.Regex.Match(text, @"OneWeb\s+(http://127\.0\.0\.1:\d+/)").Groups[1].Value;
            using var client = new HttpClient { BaseAddress = new Uri(oneWeb) };
            using var hello = await client.GetAsync("hello/v1/oneweb/world", Ct);
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, hello.StatusCode); // the simulator checks Basic credentials
        }
        finally
        {
            await stop.CancelAsync();
            Assert.Equal(0, await run);
        }
    }

    [Fact]
    public async Task Run_BadProvider_ExitCode2NamingTheKey()
    {
        using var data = new TempFolder();
        var output = new StringWriter();
        var exit = await SatmonCli.Create()
            .Parse(["run", "--urls=http://127.0.0.1:0", $"--DataDirectory={data.Path}", "--Storage:Provider=oracle"])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = output }, Ct);
        Assert.Equal(SatmonCli.ConfigurationErrorExitCode, exit);
        Assert.Contains("Storage:Provider 'oracle' is not known. Known providers: sqlite, postgres.", output.ToString(), StringComparison.Ordinal);
    }
}
