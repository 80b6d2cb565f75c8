using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Satmon.Hosting;
using Satmon.Tests.Support;

namespace Satmon.Tests;

public sealed class StartupTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("--Storage:Provider=oracle", "Storage:Provider", "sqlite, postgres")]
    [InlineData("--Storage:Provider=postgres", "Storage:ConnectionString", "is required")]
    [InlineData("--Cluster:Enabled=true", "Cluster:Enabled", "Storage:Provider=postgres")]
    [InlineData("--Cluster:RenewInterval=00:00:20", "Cluster:RenewInterval", "under half")]
    [InlineData("--History:Retention:RawDays=0", "History:Retention:RawDays", "at least 1")]
    [InlineData("--Auth:KeyCacheDuration=-00:00:01", "Auth:KeyCacheDuration", "zero or more")]
    public async Task Start_BadConfiguration_FailsNamingTheKey(string setting, string key, string hint)
    {
        using var folder = new TempFolder();
        await using var app = SatmonApp.Build(["--urls=http://127.0.0.1:0", $"--DataDirectory={folder.Path}", setting]);
        // Validation runs when the options are first read: while mapping (auth flags) or at start, never later.
        var error = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            SatmonApp.MapSatmon(app);
            await app.StartAsync(Ct);
        });
        var message = string.Join(" ", error.Failures);
        Assert.Contains(key, message, StringComparison.Ordinal);
        Assert.Contains(hint, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_PostgresUnreachable_ExitsWithAStorageErrorNamingServerAndCause_NoPassword()
    {
        using var folder = new TempFolder();
        var error = new StringWriter();
        // Port 1 on loopback: nothing listens there.
        var exit = await Satmon.Cli.SatmonCli.Create().Parse([
                "run", "--urls=http://127.0.0.1:0", $"--DataDirectory={folder.Path}", "--Storage:Provider=postgres",
                "--Storage:ConnectionString=Host=127.0.0.1;Port=1;Database=fleet;Username=satmon;Password=Sup3r-S3cret;Timeout=5"])
            .InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = TextWriter.Null, Error = error }, Ct);

        Assert.Equal(Satmon.Cli.SatmonCli.StorageErrorExitCode, exit);
        var text = error.ToString();
        Assert.Contains("Storage error: Cannot open PostgreSQL database 'fleet' on 127.0.0.1:1", text, StringComparison.Ordinal);
        Assert.Contains("connection refused", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Sup3r-S3cret", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_KeyRingLost_ElementWithSecretStopsSayingWhy_OthersWork_NewSecretStartsIt()
    {
        using var folder = new TempFolder();
        await using (var first = new FolderHost(folder.Path))
        {
            await first.InitializeAsync();
            await first.CreateElementAsync("Kept secret", ct: Ct);
        }

        // The data folder comes back without the key ring that encrypted the element's token.
        Directory.Delete(Path.Combine(folder.Path, "keys"), recursive: true);
        await using var second = new FolderHost(folder.Path);
        await second.InitializeAsync();

        var element = await second.Operator.GetObjectAsync("/api/elements/kept-secret", Ct);
        Assert.Equal("stopped", element["state"]!.GetValue<string>());
        var message = element["stateMessage"]!.GetValue<string>();
        Assert.Contains("secret setting 'token'", message, StringComparison.Ordinal);
        Assert.Contains("DataProtection:KeyDirectory", message, StringComparison.Ordinal);
        Assert.Contains(second.Logs.GetSnapshot(), r => r.Level == LogLevel.Error && r.Message.Contains("kept-secret", StringComparison.Ordinal));
        await second.CreateElementAsync("Fresh", ct: Ct);
        Assert.Equal("running", (await second.Operator.GetObjectAsync("/api/elements/fresh", Ct))["state"]!.GetValue<string>());

        // Entering the secret again is all it takes.
        using (var patch = await second.Operator.PatchAsJsonAsync("/api/elements/kept-secret", new { settings = new { token = "tok-again" } }, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        }

        await second.Elements.WhenIdleAsync("kept-secret");
        Assert.Equal("running", (await second.Operator.GetObjectAsync("/api/elements/kept-secret", Ct))["state"]!.GetValue<string>());
    }

    /// <summary>A test host on a given data folder, so that a second host can open what a first one left.</summary>
    private sealed class FolderHost(string folder) : SatmonHost
    {
        public override string[] ExtraArgs => [$"--DataDirectory={folder}"];
    }
}
