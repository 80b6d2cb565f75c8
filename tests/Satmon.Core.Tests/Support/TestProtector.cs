using Microsoft.AspNetCore.DataProtection;
using Satmon.Core.Storage;

namespace Satmon.Core.Tests.Support;

/// <summary>Real Data Protection with its key ring in a test folder, as the host sets it up.</summary>
internal sealed class TestProtector(string keyFolder) : ISecretProtector
{
    private readonly IDataProtector _protector = DataProtectionProvider.Create(new DirectoryInfo(keyFolder)).CreateProtector("Satmon.Secrets.v1");

    public string Protect(string plaintext) => _protector.Protect(plaintext);

    public string Unprotect(string protectedText) => _protector.Unprotect(protectedText);
}
