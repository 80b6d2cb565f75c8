using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;

namespace Satmon.Simulators.SesMpower;

/// <summary>
/// Issues and checks the Keycloak-style tokens. Tokens are JWT-shaped (header.payload.signature, base64url) so a
/// client may read <c>exp</c>; the signature is random and the simulator only trusts its own in-memory records.
/// </summary>
internal sealed class TokenService(SesMpowerSimulatorOptions options, TimeProvider timeProvider)
{
    private const string Scope = "profile email";
    private const string Issuer = "https://ses-n-brace.com/realms/nbrace";

    private readonly ConcurrentDictionary<string, IssuedToken> accessTokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IssuedToken> refreshTokens = new(StringComparer.Ordinal);

    public TokenResponse IssueForPassword(string username) => Issue(username, Guid.NewGuid().ToString(), existingRefresh: null);

    /// <summary>Null when the refresh token is unknown, expired or revoked (Keycloak: "Token is not active").</summary>
    public TokenResponse? Refresh(string refreshToken)
    {
        var now = timeProvider.GetUtcNow();
        if (!refreshTokens.TryGetValue(refreshToken, out var entry) || entry.Revoked || now >= entry.ExpiresAt)
        {
            return null;
        }

        if (options.RefreshTokenRotation == RefreshTokenRotation.NewTokenOldRevoked)
        {
            refreshTokens[refreshToken] = entry with { Revoked = true };
        }

        return Issue(entry.Username, entry.SessionId, options.RefreshTokenRotation == RefreshTokenRotation.SameToken ? refreshToken : null);
    }

    /// <summary>The user an access token belongs to, or why it is not accepted.</summary>
    public (string? Username, string? Problem) ValidateAccess(string accessToken)
    {
        if (!accessTokens.TryGetValue(accessToken, out var entry))
        {
            return (null, "The access token is unknown");
        }

        return timeProvider.GetUtcNow() >= entry.ExpiresAt ? (null, "The access token has expired") : (entry.Username, null);
    }

    public void ExpireAccessTokensNow()
    {
        var now = timeProvider.GetUtcNow();
        foreach (var (token, entry) in accessTokens)
        {
            if (entry.ExpiresAt > now)
            {
                accessTokens[token] = entry with { ExpiresAt = now };
            }
        }
    }

    /// <summary>Ends every session: refresh tokens stop working; access tokens run out normally (they are stateless JWTs for a gateway).</summary>
    public void RevokeSessions()
    {
        foreach (var (token, entry) in refreshTokens)
        {
            refreshTokens[token] = entry with { Revoked = true };
        }
    }

    private TokenResponse Issue(string username, string sessionId, string? existingRefresh)
    {
        var now = timeProvider.GetUtcNow();
        Prune(now);
        var accessToken = CreateJwt(username, sessionId, "Bearer", now, options.AccessTokenLifetime);
        accessTokens[accessToken] = new IssuedToken(username, sessionId, now + options.AccessTokenLifetime, Revoked: false);

        var refreshToken = existingRefresh ?? CreateJwt(username, sessionId, "Refresh", now, options.RefreshTokenLifetime);
        var refreshExpires = existingRefresh is null ? now + options.RefreshTokenLifetime : refreshTokens[existingRefresh].ExpiresAt;
        refreshTokens[refreshToken] = new IssuedToken(username, sessionId, refreshExpires, Revoked: false);

        return new TokenResponse(
            accessToken,
            (long)options.AccessTokenLifetime.TotalSeconds,
            (long)Math.Max(0, (refreshExpires - now).TotalSeconds),
            refreshToken,
            "Bearer",
            NotBeforePolicy: 0,
            sessionId,
            Scope);
    }

    private string CreateJwt(string username, string sessionId, string type, DateTimeOffset now, TimeSpan lifetime)
    {
        var header = new JwtHeader(type == "Bearer" ? "RS256" : "HS512", "JWT", "satmon-simulator");
        var payload = new JwtPayload(
            (now + lifetime).ToUnixTimeSeconds(),
            now.ToUnixTimeSeconds(),
            Guid.NewGuid().ToString(),
            Issuer,
            DeterministicSubject(username),
            type,
            options.ClientId,
            sessionId,
            Scope,
            username);
        return string.Join('.',
            System.Buffers.Text.Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(header, SesMpowerJsonContext.Default.JwtHeader)),
            System.Buffers.Text.Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(payload, SesMpowerJsonContext.Default.JwtPayload)),
            System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32)));
    }

    // Keycloak's sub is the user's UUID; derive a stable one from the name.
    private static string DeterministicSubject(string username)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(username), hash);
        return new Guid(hash[..16]).ToString();
    }

    // Keeps memory bounded in long demo runs: entries past expiry are useless (an hour of grace keeps "expired"
    // distinguishable from "unknown" for debugging, though both get the same answer).
    private void Prune(DateTimeOffset now)
    {
        var horizon = now - TimeSpan.FromHours(1);
        foreach (var (token, entry) in accessTokens)
        {
            if (entry.ExpiresAt < horizon)
            {
                accessTokens.TryRemove(token, out _);
            }
        }

        foreach (var (token, entry) in refreshTokens)
        {
            if (entry.ExpiresAt < horizon)
            {
                refreshTokens.TryRemove(token, out _);
            }
        }
    }

    private sealed record IssuedToken(string Username, string SessionId, DateTimeOffset ExpiresAt, bool Revoked);
}
