using System.Buffers.Text;
using System.Net;
using System.Text.Json.Nodes;
using Satmon.Simulators.SesMpower;

namespace Satmon.Simulators.Tests.SesMpower;

public sealed class TokenEndpointTests
{
    [Fact]
    public async Task PasswordGrant_ValidCredentials_ReturnsKeycloakTokenResponse()
    {
        await using var h = await MpowerHarness.StartAsync();

        using var response = await h.PasswordGrantAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await MpowerHarness.ReadObjectAsync(response);
        Assert.Equal(
            ["access_token", "expires_in", "refresh_expires_in", "refresh_token", "token_type", "not-before-policy", "session_state", "scope"],
            body.Select(p => p.Key));
        Assert.Equal(300, body["expires_in"]!.GetValue<long>());
        Assert.Equal(1800, body["refresh_expires_in"]!.GetValue<long>());
        Assert.Equal("Bearer", body["token_type"]!.GetValue<string>());
        Assert.Equal(0, body["not-before-policy"]!.GetValue<int>());

        var parts = body["access_token"]!.GetValue<string>().Split('.');
        Assert.Equal(3, parts.Length);
        var payload = JsonNode.Parse(Base64Url.DecodeFromChars(parts[1]))!.AsObject();
        Assert.Equal(MpowerHarness.Start.AddSeconds(300).ToUnixTimeSeconds(), payload["exp"]!.GetValue<long>());
        Assert.Equal(MpowerHarness.Start.ToUnixTimeSeconds(), payload["iat"]!.GetValue<long>());
        Assert.False(string.IsNullOrEmpty(payload["sub"]!.GetValue<string>()));
        Assert.Equal("nbrace-client", payload["azp"]!.GetValue<string>());
        Assert.Equal(3, body["refresh_token"]!.GetValue<string>().Split('.').Length);
    }

    [Fact]
    public async Task PasswordGrant_WrongPassword_Returns401InvalidGrant()
    {
        await using var h = await MpowerHarness.StartAsync();

        using var response = await h.PasswordGrantAsync(password: "wrong");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var body = await MpowerHarness.ReadObjectAsync(response);
        Assert.Equal("invalid_grant", body["error"]!.GetValue<string>());
        Assert.Equal("Invalid user credentials", body["error_description"]!.GetValue<string>());
    }

    [Fact]
    public async Task PasswordGrant_UnknownClient_Returns401InvalidClient()
    {
        await using var h = await MpowerHarness.StartAsync();

        using var response = await h.PasswordGrantAsync(clientId: "someone-else");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_client", (await MpowerHarness.ReadObjectAsync(response))["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task TokenEndpoint_UnsupportedGrantType_Returns400UnsupportedGrantType()
    {
        await using var h = await MpowerHarness.StartAsync();

        using var response = await h.PostFormAsync(new() { ["grant_type"] = "client_credentials", ["client_id"] = "nbrace-client" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("unsupported_grant_type", (await MpowerHarness.ReadObjectAsync(response))["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task RefreshGrant_ValidToken_ReturnsNewTokensAndOldRefreshStaysValid()
    {
        await using var h = await MpowerHarness.StartAsync();
        var login = await h.LoginAsync();
        var firstRefresh = login["refresh_token"]!.GetValue<string>();
        h.Time.Advance(TimeSpan.FromSeconds(100));

        using var refreshed = await h.RefreshGrantAsync(firstRefresh);

        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        var body = await MpowerHarness.ReadObjectAsync(refreshed);
        Assert.NotEqual(login["access_token"]!.GetValue<string>(), body["access_token"]!.GetValue<string>());
        Assert.NotEqual(firstRefresh, body["refresh_token"]!.GetValue<string>());
        Assert.Equal(login["session_state"]!.GetValue<string>(), body["session_state"]!.GetValue<string>());
        using var again = await h.RefreshGrantAsync(firstRefresh);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public async Task RefreshGrant_RevokingRotation_RejectsTheUsedToken()
    {
        await using var h = await MpowerHarness.StartAsync(o => o.RefreshTokenRotation = RefreshTokenRotation.NewTokenOldRevoked);
        var refresh = (await h.LoginAsync())["refresh_token"]!.GetValue<string>();

        using var first = await h.RefreshGrantAsync(refresh);
        using var second = await h.RefreshGrantAsync(refresh);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
    }

    [Fact]
    public async Task RefreshGrant_AfterRefreshExpiry_Returns400TokenNotActive()
    {
        await using var h = await MpowerHarness.StartAsync();
        var refresh = (await h.LoginAsync())["refresh_token"]!.GetValue<string>();
        h.Time.Advance(TimeSpan.FromSeconds(1800));

        using var response = await h.RefreshGrantAsync(refresh);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await MpowerHarness.ReadObjectAsync(response);
        Assert.Equal("invalid_grant", body["error"]!.GetValue<string>());
        Assert.Equal("Token is not active", body["error_description"]!.GetValue<string>());
    }

    [Fact]
    public async Task RefreshGrant_UnknownToken_Returns400InvalidGrant()
    {
        await using var h = await MpowerHarness.StartAsync();

        using var response = await h.RefreshGrantAsync("not.a.token");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_grant", (await MpowerHarness.ReadObjectAsync(response))["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task Api_AccessTokenExpired_Returns401InvalidCredentials()
    {
        await using var h = await MpowerHarness.StartAsync();
        await h.LoginAsync();
        using (var before = await h.Client.GetAsync(h.Simulator.StreamingManagementPath + "/topic", TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        h.Time.Advance(TimeSpan.FromSeconds(300));
        using var after = await h.Client.GetAsync(h.Simulator.StreamingManagementPath + "/topic", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        var body = await MpowerHarness.ReadObjectAsync(after);
        Assert.Equal("invalidCredentials", body["code"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(body["reason"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Api_NoToken_Returns401MissingCredentials()
    {
        await using var h = await MpowerHarness.StartAsync();

        using var response = await h.Client.GetAsync(h.Simulator.StreamingManagementPath + "/subscription", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("missingCredentials", (await MpowerHarness.ReadObjectAsync(response))["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task TokenEndpoint_Calls_AreCountedPerPath()
    {
        await using var h = await MpowerHarness.StartAsync();

        await h.LoginAsync();
        using var wrong = await h.PasswordGrantAsync(password: "wrong");

        Assert.Equal(2, h.Simulator.Requests.CountFor(h.Simulator.TokenPath));
        Assert.Equal([200, 401], h.Simulator.Requests.Recent.Select(r => r.StatusCode));
    }
}
