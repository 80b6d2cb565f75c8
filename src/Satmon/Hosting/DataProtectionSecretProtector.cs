using Microsoft.AspNetCore.DataProtection;
using Satmon.Core.Storage;

namespace Satmon.Hosting;

/// <summary>Encrypts secrets at rest with ASP.NET Core Data Protection (key ring in the data folder).</summary>
internal sealed class DataProtectionSecretProtector(IDataProtectionProvider provider) : ISecretProtector
{
    // The purpose string isolates these payloads from any other use of the key ring; changing it orphans stored secrets.
    private readonly IDataProtector _protector = provider.CreateProtector("Satmon.Secrets.v1");

    public string Protect(string plaintext) => _protector.Protect(plaintext);

    public string Unprotect(string protectedText) => _protector.Unprotect(protectedText);
}
