using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Satmon.Core.Storage;
using Satmon.Hosting;

namespace Satmon.Auth;

/// <summary>Creates API keys and checks presented ones. Only SHA-256 hashes are stored; a key is shown once, at creation.</summary>
public sealed class ApiKeyService(ISatmonStore store, TimeProvider time, IOptions<AuthOptions> options)
{
    /// <summary>Prefix of every key Satmon makes, so a leaked one is recognisable in a secret scanner.</summary>
    public const string KeyPrefix = "smk_";

    // Bounded so that a flood of distinct keys cannot grow memory; clearing is cheap and the store is the truth.
    private const int MaxCachedKeys = 1024;

    private readonly ConcurrentDictionary<string, (ApiKeyRecord Record, DateTimeOffset Expires)> _cache = new(StringComparer.Ordinal);

    /// <summary>Makes a new random key (32 bytes, base64url) and stores its hash.</summary>
    /// <returns>The stored record and the key itself, which is not kept anywhere.</returns>
    public async Task<(ApiKeyRecord Record, string Key)> CreateAsync(string name, ApiKeyRole role, CancellationToken cancellationToken)
    {
        var key = KeyPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        var record = await SaveAsync(key, name, role, cancellationToken);
        return (record, key);
    }

    /// <summary>Stores a key the caller chose (e.g. <c>satmon demo --api-key</c>) unless it exists with that role already.</summary>
    public async Task<ApiKeyRecord> EnsureAsync(string key, string name, ApiKeyRole role, CancellationToken cancellationToken)
    {
        var existing = await store.ApiKeys.FindByHashAsync(Hash(key), cancellationToken);
        if (existing is not null && existing.Role == role)
        {
            return existing;
        }

        if (existing is not null)
        {
            var updated = existing with { Role = role };
            await store.ApiKeys.SaveAsync(updated, cancellationToken);
            _cache.Clear();
            return updated;
        }

        return await SaveAsync(key, name, role, cancellationToken);
    }

    /// <summary>The record of a presented key, or null when unknown. Verified keys are remembered briefly.</summary>
    public async Task<ApiKeyRecord?> FindAsync(string key, CancellationToken cancellationToken)
    {
        var hash = Hash(key);
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(hash, out var cached) && cached.Expires > now)
        {
            return cached.Record;
        }

        var record = await store.ApiKeys.FindByHashAsync(hash, cancellationToken);
        var ttl = options.Value.KeyCacheDuration;
        // Unknown keys are not cached: a key created a moment ago (CLI, other node) must work at once.
        if (record is not null && ttl > TimeSpan.Zero)
        {
            if (_cache.Count >= MaxCachedKeys)
            {
                _cache.Clear();
            }

            _cache[hash] = (record, now + ttl);
        }

        return record;
    }

    /// <summary>Lower-case hex SHA-256 of the key's UTF-8 bytes: what the store keeps.</summary>
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private async Task<ApiKeyRecord> SaveAsync(string key, string name, ApiKeyRole role, CancellationToken cancellationToken)
    {
        var record = new ApiKeyRecord(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), name, role, Hash(key), time.GetUtcNow());
        await store.ApiKeys.SaveAsync(record, cancellationToken);
        return record;
    }

    private static string Base64Url(byte[] bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);
}
