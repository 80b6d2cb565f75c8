using System.Net;
using System.Net.Http.Json;

namespace Satmon.Simulators.Tests.SesMpower;

public sealed class StreamingManagementTests
{
    [Fact]
    public async Task Subscription_CreateListGetDelete_FollowsMefW147()
    {
        await using var h = await MpowerHarness.StartAsync();
        await h.LoginAsync();
        var ct = TestContext.Current.CancellationToken;
        var path = h.Simulator.StreamingManagementPath + "/subscription";

        using var created = await h.Client.PostAsJsonAsync(path, new { topicId = "performance", protocol = "https" }, ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await MpowerHarness.ReadObjectAsync(created);
        var id = body["id"]!.GetValue<string>();
        Assert.Equal("performance", body["topicId"]!.GetValue<string>());
        Assert.Equal("https", body["protocol"]!.GetValue<string>());
        Assert.Equal("ACTIVE", body["status"]!.GetValue<string>());
        Assert.Equal(MpowerHarness.Start, body["creationDate"]!.GetValue<DateTimeOffset>());
        Assert.Equal(MpowerHarness.Start.AddHours(24), body["expirationDate"]!.GetValue<DateTimeOffset>());
        Assert.EndsWith("Z", body["expirationDate"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal($"pm-reports/{id}", body["connectionConfig"]!["channel"]!["name"]!.GetValue<string>());
        using var second = await h.Client.PostAsJsonAsync(path, new { topicId = "performance", protocol = "HTTPS" }, ct);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);

        using var list = await h.Client.GetAsync(path + "?offset=1&limit=1", ct);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(2, MpowerHarness.Header(list, "X-Total-Count"));
        Assert.Equal(1, MpowerHarness.Header(list, "X-Result-Count"));
        Assert.Single(await MpowerHarness.ReadArrayAsync(list));

        using var one = await h.Client.GetAsync($"{path}/{id}", ct);
        Assert.Equal(id, (await MpowerHarness.ReadObjectAsync(one))["id"]!.GetValue<string>());

        using var deleted = await h.Client.DeleteAsync($"{path}/{id}", ct);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using var gone = await h.Client.GetAsync($"{path}/{id}", ct);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal("notFound", (await MpowerHarness.ReadObjectAsync(gone))["code"]!.GetValue<string>());
        using var deletedAgain = await h.Client.DeleteAsync($"{path}/{id}", ct);
        Assert.Equal(HttpStatusCode.NotFound, deletedAgain.StatusCode);
    }

    [Fact]
    public async Task Subscription_AfterTtl_IsExpired()
    {
        await using var h = await MpowerHarness.StartAsync();
        var id = await h.LoginAndSubscribeAsync();
        h.Time.Advance(TimeSpan.FromHours(24));
        await h.LoginAsync();

        using var one = await h.Client.GetAsync($"{h.Simulator.StreamingManagementPath}/subscription/{id}", TestContext.Current.CancellationToken);
        using var list = await h.Client.GetAsync($"{h.Simulator.StreamingManagementPath}/subscription?topicId=performance", TestContext.Current.CancellationToken);

        Assert.Equal("EXPIRED", (await MpowerHarness.ReadObjectAsync(one))["status"]!.GetValue<string>());
        Assert.Equal("EXPIRED", Assert.Single(await MpowerHarness.ReadArrayAsync(list))!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Subscription_UnknownTopic_Returns422Array()
    {
        await using var h = await MpowerHarness.StartAsync();
        await h.LoginAsync();

        using var response = await h.Client.PostAsJsonAsync(
            h.Simulator.StreamingManagementPath + "/subscription", new { topicId = "weather", protocol = "https" }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var error = Assert.Single(await MpowerHarness.ReadArrayAsync(response))!;
        Assert.Equal("referenceNotFound", error["code"]!.GetValue<string>());
        Assert.Equal("/topicId", error["propertyPath"]!.GetValue<string>());
    }

    [Fact]
    public async Task Subscription_MissingProtocol_Returns422MissingProperty()
    {
        await using var h = await MpowerHarness.StartAsync();
        await h.LoginAsync();

        using var response = await h.Client.PostAsJsonAsync(
            h.Simulator.StreamingManagementPath + "/subscription", new { topicId = "performance" }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("missingProperty", Assert.Single(await MpowerHarness.ReadArrayAsync(response))!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Topic_ListAndGet_DescribeTheConfiguredTopic()
    {
        await using var h = await MpowerHarness.StartAsync(o => o.TopicId = "mpower-terminal-performance");
        await h.LoginAsync();
        var ct = TestContext.Current.CancellationToken;

        using var list = await h.Client.GetAsync(h.Simulator.StreamingManagementPath + "/topic", ct);
        using var one = await h.Client.GetAsync(h.Simulator.StreamingManagementPath + "/topic/mpower-terminal-performance", ct);
        using var missing = await h.Client.GetAsync(h.Simulator.StreamingManagementPath + "/topic/other", ct);

        Assert.Equal(1, MpowerHarness.Header(list, "X-Total-Count"));
        Assert.Equal("mpower-terminal-performance", Assert.Single(await MpowerHarness.ReadArrayAsync(list))!["id"]!.GetValue<string>());
        var topic = await MpowerHarness.ReadObjectAsync(one);
        Assert.Equal("https", topic["availableChannels"]![0]!["protocol"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}
