using Microsoft.Extensions.Options;
using Satmon.Hosting;
using Satmon.Tests.Support;

namespace Satmon.Tests;

public sealed class StartupTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("--Storage:Provider=oracle", "Storage:Provider", "sqlite")]
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
}
