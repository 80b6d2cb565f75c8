using System.Net;
using Satmon.Tests.Support;

namespace Satmon.Tests;

/// <summary>A host that keeps raw history for one day.</summary>
public sealed class ShortRetentionHost : SatmonHost
{
    public override string[] ExtraArgs => ["--History:Retention:RawDays=1", "--History:Retention:Interval=01:00:00"];
}

public sealed class RetentionTests(ShortRetentionHost host) : IClassFixture<ShortRetentionHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Retention_ClockPassesRawRetention_OldPointsRemovedByTheHostedService()
    {
        await host.CreateElementAsync("Forgetful", ct: Ct);
        var t0 = host.Time.GetUtcNow();
        using (var stop = await host.Operator.PostAsync("/api/elements/forgetful/stop", null, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, stop.StatusCode);
        }

        var url = $"/api/elements/forgetful/history?table=things&key=thing-1&column=value&from={Iso(t0 - TimeSpan.FromMinutes(1))}&to={Iso(t0 + TimeSpan.FromMinutes(1))}";
        Assert.Single((await host.Viewer.GetObjectAsync(url, Ct))["points"]!.AsArray());

        host.Time.Advance(TimeSpan.FromHours(23));
        Assert.Single((await host.Viewer.GetObjectAsync(url, Ct))["points"]!.AsArray()); // still within a day

        host.Time.Advance(TimeSpan.FromHours(2)); // the next hourly run sees the point older than a day
        await Eventually.TrueAsync(
            async () => (await host.Viewer.GetObjectAsync(url, Ct))["points"]!.AsArray().Count == 0,
            "the retention service did not remove the day-old point");
    }

    private static string Iso(DateTimeOffset t) => Uri.EscapeDataString(t.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
}
