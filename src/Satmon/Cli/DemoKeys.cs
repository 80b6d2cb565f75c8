using Microsoft.Extensions.Options;
using Satmon.Auth;
using Satmon.Core.Storage;
using Satmon.Hosting;

namespace Satmon.Cli;

/// <summary>
/// The demo's operator key. The store keeps only hashes, so to print the same key on every demo start it is kept
/// encrypted (Data Protection, same key ring as the secrets) in <c>&lt;data&gt;/demo-operator-key</c>.
/// </summary>
internal static class DemoKeys
{
    private const string FileName = "demo-operator-key";

    public static async Task<string> EnsureOperatorKeyAsync(IServiceProvider services, string? requested, CancellationToken ct)
    {
        var keys = services.GetRequiredService<ApiKeyService>();
        if (!string.IsNullOrWhiteSpace(requested))
        {
            await keys.EnsureAsync(requested, "demo (--api-key)", ApiKeyRole.Operator, ct);
            return requested;
        }

        var protector = services.GetRequiredService<ISecretProtector>();
        var path = Path.Combine(services.GetRequiredService<IOptions<SatmonOptions>>().Value.DataDirectoryFullPath, FileName);
        if (File.Exists(path) && TryUnprotect(protector, await File.ReadAllTextAsync(path, ct)) is { } stored
            && await keys.FindAsync(stored, ct) is { Role: ApiKeyRole.Operator })
        {
            return stored;
        }

        var (_, key) = await keys.CreateAsync("demo", ApiKeyRole.Operator, ct);
        await File.WriteAllTextAsync(path, protector.Protect(key), ct);
        return key;
    }

    private static string? TryUnprotect(ISecretProtector protector, string text)
    {
        try
        {
            return protector.Unprotect(text.Trim());
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            // The key ring was replaced: make a new demo key.
            return null;
        }
    }
}
