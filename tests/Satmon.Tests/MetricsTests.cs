using System.Net;
using Satmon.Tests.Support;

namespace Satmon.Tests;

public sealed class MetricsTests(SatmonHost host) : IClassFixture<SatmonHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Metrics_AfterPolls_ValidTextWithColumnGaugesCountersAndRowCounts()
    {
        await host.CreateElementAsync("Metered", ct: Ct);
        var samples = await ScrapeAsync();

        var value = samples.Single(s => s.Name == "satmon_things_value" && s.Labels["element"] == "metered" && s.Labels["key"] == "thing-2");
        Assert.Equal(21, value.Value);
        Assert.Equal(2, value.Labels.Count);
        Assert.Contains(samples, s => s.Name == "satmon_polls_total"
            && s.Labels["element"] == "metered" && s.Labels["task"] == "data" && s.Labels["outcome"] == "succeeded" && s.Value == 1);
        Assert.Contains(samples, s => s.Name == "satmon_poll_duration_seconds_count" && s.Labels["element"] == "metered" && s.Labels["task"] == "hello");
        Assert.Equal(3, samples.Single(s => s.Name == "satmon_table_rows" && s.Labels["element"] == "metered" && s.Labels["table"] == "things").Value);

        // Values follow the table on the next scrape.
        await host.AdvanceAsync("metered", TimeSpan.FromMinutes(5));
        samples = await ScrapeAsync();
        Assert.Equal(22, samples.Single(s => s.Name == "satmon_things_value" && s.Labels["element"] == "metered" && s.Labels["key"] == "thing-2").Value);
        Assert.Equal(2, samples.Single(s => s.Name == "satmon_polls_total" && s.Labels["element"] == "metered" && s.Labels["task"] == "data" && s.Labels["outcome"] == "succeeded").Value);
    }

    [Fact]
    public async Task Metrics_ElementDeleted_ItsColumnSeriesDisappear()
    {
        await host.CreateElementAsync("Short lived", ct: Ct);
        Assert.Contains(await ScrapeAsync(), s => s.Name == "satmon_things_value" && s.Labels["element"] == "short-lived");

        using var delete = await host.Operator.DeleteAsync("/api/elements/short-lived", Ct);
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        var after = await ScrapeAsync();
        Assert.DoesNotContain(after, s => s.Name == "satmon_things_value" && s.Labels["element"] == "short-lived");
        Assert.DoesNotContain(after, s => s.Name == "satmon_table_rows" && s.Labels["element"] == "short-lived");
    }

    [Fact]
    public async Task Metrics_TwoHostsInOneProcess_EachExportsOnlyItsOwnPolls()
    {
        await using var other = new SatmonHost();
        await other.InitializeAsync();
        await host.CreateElementAsync("Shared name", ct: Ct);
        await other.CreateElementAsync("Shared name", ct: Ct);
        await host.AdvanceAsync("shared-name", TimeSpan.FromMinutes(5));

        static double DataPolls(List<PrometheusSample> samples) => samples.Single(s => s.Name == "satmon_polls_total"
            && s.Labels["element"] == "shared-name" && s.Labels["task"] == "data" && s.Labels["outcome"] == "succeeded").Value;
        Assert.Equal(2, DataPolls(await ScrapeAsync()));
        using var response = await other.Anonymous.GetAsync("/metrics", Ct);
        Assert.Equal(1, DataPolls(PrometheusText.Parse(await response.Content.ReadAsStringAsync(Ct))));
    }

    [Fact]
    public void Parser_MalformedLine_Throws()
    {
        Assert.Throws<FormatException>(() => PrometheusText.Parse("satmon_x{element=\"a\" 1\n"));
        Assert.Throws<FormatException>(() => PrometheusText.Parse("9bad 1\n"));
        Assert.Throws<FormatException>(() => PrometheusText.Parse("# TYPE satmon_x thing\n"));
        Assert.Single(PrometheusText.Parse("# HELP satmon_x Help.\n# TYPE satmon_x gauge\nsatmon_x{element=\"a,b\",key=\"k\"} 1.5\n"));
    }

    private async Task<List<PrometheusSample>> ScrapeAsync()
    {
        using var response = await host.Anonymous.GetAsync("/metrics", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        return PrometheusText.Parse(await response.Content.ReadAsStringAsync(Ct));
    }
}
