using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Satmon.Connectors.Http;
using Satmon.Core.Connectors;
using Satmon.Core.Elements;

namespace Satmon.Connectors.SesMpower;

/// <summary>Tokens as persisted (encrypted) in the element state.</summary>
/// <param name="AccessToken">Bearer token for API calls.</param>
/// <param name="RefreshToken">Token for the refresh_token grant, when the vendor gave one.</param>
/// <param name="IssuedAt">When the token endpoint was asked.</param>
/// <param name="AccessExpiresAt">IssuedAt + expires_in.</param>
/// <param name="RefreshExpiresAt">IssuedAt + refresh_expires_in; null when unknown (0 = offline token).</param>
/// <param name="Credentials">Hash of the token URL, client, user and password the tokens were issued for.</param>
internal sealed record StoredTokens(
    string AccessToken, string? RefreshToken, DateTimeOffset IssuedAt, DateTimeOffset AccessExpiresAt, DateTimeOffset? RefreshExpiresAt, string Credentials);

/// <summary>
/// OAuth2 password grant against the Keycloak-style token endpoint (reference §4): keeps one access token valid,
/// refreshes it ahead of expiry, logs in again when the refresh token is gone, and makes concurrent callers share one
/// refresh. Token requests are never retried blindly.
/// </summary>
internal sealed partial class MpowerAuth : IDisposable
{
    private const string StateKey = "tokens";
    private const string Call = "SES token endpoint";
    private readonly MpowerOptions _options;
    private readonly IElementContext _context;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly string _credentials;
    private volatile StoredTokens? _tokens;
    private bool _loaded;
    private string? _refusal;

    public MpowerAuth(MpowerOptions options, IElementContext context)
    {
        _options = options;
        _context = context;
        _credentials = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(
            $"{options.TokenUrl}\n{options.ClientId}\n{options.Username}\n{options.Password}")));
    }

    /// <summary>
    /// A current access token. <paramref name="rejected"/> is a token the API just refused (401): a caller passing it
    /// gets a fresh one, unless another caller has already replaced it.
    /// </summary>
    public async Task<string> GetAccessTokenAsync(string? rejected, CancellationToken cancellationToken)
    {
        if (Usable(_tokens, rejected) is { } fast)
        {
            return fast;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            await LoadAsync(cancellationToken);
            // Double-check: whoever held the gate before us may have refreshed already.
            if (Usable(_tokens, rejected) is { } current)
            {
                return current;
            }

            if (_tokens is { RefreshToken: { } refreshToken } tokens && !Expired(tokens.RefreshExpiresAt, Margin(tokens)))
            {
                try
                {
                    return (await RequestAsync("refresh_token", [new("refresh_token", refreshToken)], cancellationToken)).AccessToken;
                }
                catch (VendorHttpException ex) when (ex.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized)
                {
                    // Keycloak answers 400 invalid_grant for an expired or revoked refresh token / ended session.
                    LogRefreshRejected(_context.Logger, _context.ElementId, ex.Message);
                }
            }

            return (await LoginAsync(cancellationToken)).AccessToken;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The operator's Authenticate: a password login now, even after an earlier refusal.</summary>
    public async Task<StoredTokens> AuthenticateAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await LoadAsync(cancellationToken);
            _refusal = null;
            return await LoginAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private string? Usable(StoredTokens? tokens, string? rejected) =>
        tokens is not null && tokens.AccessToken != rejected && !Expired(tokens.AccessExpiresAt, Margin(tokens)) ? tokens.AccessToken : null;

    private bool Expired(DateTimeOffset? expiresAt, TimeSpan margin) => expiresAt is { } at && _context.Time.GetUtcNow() >= at - margin;

    // A margin as long as the token's life would refresh on every call: never use more than half of it.
    private TimeSpan Margin(StoredTokens tokens)
    {
        var half = (tokens.AccessExpiresAt - tokens.IssuedAt) / 2;
        return _options.TokenRefreshMargin < half ? _options.TokenRefreshMargin : half;
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        if (_loaded)
        {
            return;
        }

        var stored = await _context.State.GetAsync<StoredTokens>(StateKey, cancellationToken);
        // Tokens of other credentials (the operator changed user or password) must not be used: log in again.
        _tokens = stored?.Credentials == _credentials ? stored : null;
        _loaded = true;
    }

    private async Task<StoredTokens> LoginAsync(CancellationToken cancellationToken)
    {
        if (_refusal is not null)
        {
            // Repeating a refused login every poll can lock the account (Keycloak brute-force detection).
            throw new AuthenticationFailedException(
                $"{_refusal} Not retrying with the same credentials: fix them in the settings, or run 'authenticate'.");
        }

        var status = _context.Status;
        var (priorState, priorMessage) = (status.State, status.Message);
        await status.SetAsync(ElementState.Authenticating, $"Logging in to SES O3b mPOWER as '{_options.Username}'.", cancellationToken);
        await MpowerTables.UpdateGeneralAsync(_context, cancellationToken, (GeneralColumns.AuthStatus, "Authenticating"));
        try
        {
            var tokens = await RequestAsync(
                "password", [new("username", _options.Username), new("password", _options.Password)], cancellationToken);
            LogLoggedIn(_context.Logger, _context.ElementId, _options.Username, tokens.AccessExpiresAt);
            var recovered = priorState is ElementState.AuthFailed or ElementState.Authenticating;
            await status.SetAsync(
                recovered ? ElementState.Running : priorState,
                recovered ? $"Authenticated as '{_options.Username}'." : priorMessage,
                CancellationToken.None);
            return tokens;
        }
        catch (VendorHttpException ex) when (ex.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            // 401 invalid_grant (wrong user/password), 401 invalid_client, 400 unauthorized_client: only the operator can fix these.
            _refusal = $"SES O3b mPOWER refused the login of user '{_options.Username}' (client '{_options.ClientId}'): {ex.Message}";
            LogLoginRefused(_context.Logger, _context.ElementId, _refusal);
            await MpowerTables.UpdateGeneralAsync(_context, CancellationToken.None, (GeneralColumns.AuthStatus, "Failed"));
            await status.SetAsync(ElementState.AuthFailed, _refusal, CancellationToken.None);
            throw new AuthenticationFailedException(_refusal, ex);
        }
        catch (Exception) when (status.State == ElementState.Authenticating)
        {
            // Not a refusal (vendor down, timeout): the element is what it was; the poll reports the failure.
            await MpowerTables.UpdateGeneralAsync(_context, CancellationToken.None, (GeneralColumns.AuthStatus, "Failed"));
            await status.SetAsync(priorState, priorMessage, CancellationToken.None);
            throw;
        }
    }

    private async Task<StoredTokens> RequestAsync(string grant, KeyValuePair<string, string>[] fields, CancellationToken cancellationToken)
    {
        var call = $"{Call} ({grant} grant)";
        var client = _context.HttpClientFactory.CreateClient(SesMpowerConnector.HttpClientName);
        using var timeout = new RequestTimeout(_options.RequestTimeout, _context.Time, cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Post, _options.TokenUrl)
        {
            Content = new FormUrlEncodedContent([new("grant_type", grant), new("client_id", _options.ClientId), .. fields]),
        };
        var issuedAt = _context.Time.GetUtcNow();
        using var response = await VendorHttp.SendAsync(client, request, call, timeout);
        await VendorHttp.EnsureSuccessAsync(response, call, _context.Time, timeout.Token);
        var body = await VendorHttp.ReadJsonAsync(response, MpowerJsonContext.Default.TokenResponse, call, timeout);
        if (body.AccessToken is not { Length: > 0 } access || body.ExpiresIn is not > 0)
        {
            throw new VendorException($"{call} answered without an access_token and expires_in.");
        }

        var tokens = new StoredTokens(
            access,
            body.RefreshToken is { Length: > 0 } refresh ? refresh : _tokens?.RefreshToken,
            issuedAt,
            issuedAt.AddSeconds(body.ExpiresIn.Value),
            // refresh_expires_in = 0 is Keycloak's "no expiry information" (offline tokens).
            body.RefreshExpiresIn is > 0 ? issuedAt.AddSeconds(body.RefreshExpiresIn.Value) : null,
            _credentials);
        _tokens = tokens;
        await _context.State.SetAsync(StateKey, tokens, secret: true, CancellationToken.None);
        await MpowerTables.UpdateGeneralAsync(
            _context,
            CancellationToken.None,
            (GeneralColumns.AuthStatus, "Authenticated"),
            (GeneralColumns.AccessTokenExpiry, tokens.AccessExpiresAt),
            (GeneralColumns.RefreshTokenExpiry, tokens.RefreshExpiresAt));
        if (grant == "refresh_token")
        {
            LogRefreshed(_context.Logger, _context.ElementId, tokens.AccessExpiresAt);
        }

        return tokens;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Element {ElementId}: logged in as {Username}; access token valid until {ExpiresAt:u}")]
    private static partial void LogLoggedIn(ILogger logger, string elementId, string username, DateTimeOffset expiresAt);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Element {ElementId}: access token refreshed; valid until {ExpiresAt:u}")]
    private static partial void LogRefreshed(ILogger logger, string elementId, DateTimeOffset expiresAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Element {ElementId}: refresh token rejected ({Reason}); logging in with the password")]
    private static partial void LogRefreshRejected(ILogger logger, string elementId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Element {ElementId}: {Reason}")]
    private static partial void LogLoginRefused(ILogger logger, string elementId, string reason);
}
