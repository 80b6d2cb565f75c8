using Satmon.Core.Settings;

namespace Satmon.Core.Tests;

public class SettingsValidatorTests
{
    private static readonly SettingDefinition[] Schema =
    [
        new("baseUrl", "Base URL", SettingType.Url, "Vendor API root.") { Required = true },
        new("password", "Password", SettingType.String, "Login password.") { Required = true, Secret = true },
        new("cacheUpdateSeconds", "Cache update frequency", SettingType.DurationSeconds, "Seconds between updates.")
        {
            Default = "3600", Minimum = 3600, Maximum = 432000,
        },
    ];

    [Fact]
    public void Validate_ValidValues_NoErrors()
    {
        var errors = SettingsValidator.Validate(Schema, new Dictionary<string, string?> { ["baseUrl"] = "https://x.example", ["password"] = "p" });
        Assert.Empty(errors);
    }

    [Fact]
    public void Validate_OutOfRange_NamesKeyAndRange()
    {
        var errors = SettingsValidator.Validate(Schema, new Dictionary<string, string?>
        {
            ["baseUrl"] = "https://x.example", ["password"] = "p", ["cacheUpdateSeconds"] = "60",
        });
        var message = Assert.Single(errors["cacheUpdateSeconds"]);
        Assert.Contains("between 3600 and 432000 seconds", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MissingRequiredAndUnknown_ReportsBoth()
    {
        var errors = SettingsValidator.Validate(Schema, new Dictionary<string, string?> { ["baseUrl"] = "ftp://nope", ["colour"] = "red" });
        Assert.Contains("password", errors.Keys);
        Assert.Contains("colour", errors.Keys);
        Assert.Contains("http or https", errors["baseUrl"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BadSecret_NeverEchoesTheValue()
    {
        var schema = new[] { new SettingDefinition("pin", "PIN", SettingType.Integer, "A number.") { Secret = true } };
        var errors = SettingsValidator.Validate(schema, new Dictionary<string, string?> { ["pin"] = "hunter2" });
        Assert.DoesNotContain("hunter2", errors["pin"][0], StringComparison.Ordinal);
    }
}
