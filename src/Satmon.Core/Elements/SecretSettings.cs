using System.Security.Cryptography;
using Satmon.Core.Connectors;
using Satmon.Core.Storage;

namespace Satmon.Core.Elements;

/// <summary>
/// Encrypts an element's secret setting values before they reach the store and decrypts them for its runtime
/// (secret state values are handled by the element context the same way).
/// </summary>
internal sealed class SecretSettings(ISecretProtector protector)
{
    /// <summary>Encrypts secret values; a secret left out keeps its previously stored (protected) value.</summary>
    public Dictionary<string, string?> Protect(
        ConnectorDescriptor descriptor, IReadOnlyDictionary<string, string?> plain, IReadOnlyDictionary<string, string?>? previous)
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var def in descriptor.Settings)
        {
            plain.TryGetValue(def.Key, out var value);
            if (!def.Secret)
            {
                if (value is not null)
                {
                    result[def.Key] = value;
                }
            }
            else if (!string.IsNullOrEmpty(value))
            {
                result[def.Key] = protector.Protect(value);
            }
            else if (value is null && previous?.TryGetValue(def.Key, out var kept) == true)
            {
                result[def.Key] = kept;
            }
        }

        return result;
    }

    /// <summary>Decrypts the secret values of stored settings, except those about to be replaced.</summary>
    /// <exception cref="SecretUnreadableException">A secret cannot be decrypted with this key ring.</exception>
    public Dictionary<string, string?> Unprotect(
        ConnectorDescriptor descriptor, IReadOnlyDictionary<string, string?> stored, IReadOnlyDictionary<string, string?>? replacing = null)
    {
        var result = new Dictionary<string, string?>(stored, StringComparer.Ordinal);
        foreach (var def in descriptor.Settings.Where(d => d.Secret))
        {
            if (replacing?.GetValueOrDefault(def.Key) is not null)
            {
                result.Remove(def.Key);
            }
            else if (stored.TryGetValue(def.Key, out var value) && !string.IsNullOrEmpty(value))
            {
                try
                {
                    result[def.Key] = protector.Unprotect(value);
                }
                catch (CryptographicException ex)
                {
                    throw new SecretUnreadableException(def.Key, ex);
                }
            }
        }

        return result;
    }
}
