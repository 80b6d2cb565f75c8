using Microsoft.Extensions.Options;
using Satmon.Core.Cluster;
using Satmon.Core.History;
using Satmon.Storage.Postgres;
using Satmon.Storage.Sqlite;

namespace Satmon.Hosting;

// Each validator names the configuration key to fix, so a bad satmon.json fails at start with an actionable message.

internal sealed class SatmonOptionsValidator : IValidateOptions<SatmonOptions>
{
    public ValidateOptionsResult Validate(string? name, SatmonOptions options) =>
        string.IsNullOrWhiteSpace(options.DataDirectory)
            ? ValidateOptionsResult.Fail("DataDirectory must name a folder (default ./satmon-data).")
            : ValidateOptionsResult.Success;
}

internal sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        if (!StorageOptions.KnownProviders.Contains(options.Provider, StringComparer.OrdinalIgnoreCase))
        {
            return ValidateOptionsResult.Fail(
                $"Storage:Provider '{options.Provider}' is not known. Known providers: {string.Join(", ", StorageOptions.KnownProviders)}.");
        }

        return ValidateOptionsResult.Success;
    }
}

internal sealed class SqliteStoreOptionsValidator : IValidateOptions<SqliteStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, SqliteStoreOptions options)
    {
        try
        {
            // The provider's own checks name each Storage:Sqlite:* key.
            options.Validate();
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException ex)
        {
            return ValidateOptionsResult.Fail(ex.Message);
        }
    }
}

/// <summary>Checks the PostgreSQL settings only when PostgreSQL is the provider.</summary>
internal sealed class PostgresStoreOptionsValidator(IOptions<StorageOptions> storage) : IValidateOptions<PostgresStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, PostgresStoreOptions options)
    {
        if (!storage.Value.IsPostgres)
        {
            return ValidateOptionsResult.Success;
        }

        try
        {
            options.Validate();
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException ex)
        {
            return ValidateOptionsResult.Fail(ex.Message);
        }
    }
}

/// <summary>Cluster timings, and no lease sharing on SQLite: each process keeps its own caches of the file.</summary>
internal sealed class ClusterOptionsValidator(IOptions<StorageOptions> storage) : IValidateOptions<ClusterOptions>
{
    public ValidateOptionsResult Validate(string? name, ClusterOptions options)
    {
        var errors = options.Validate().ToList();
        if (options.Enabled == true && !storage.Value.IsPostgres)
        {
            errors.Add($"{ClusterOptions.SectionName}:Enabled=true needs a shared database server (Storage:Provider=postgres); " +
                $"a SQLite file is served by one node. Provider now: '{storage.Value.Provider}'.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

internal sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options) =>
        options.KeyCacheDuration < TimeSpan.Zero
            ? ValidateOptionsResult.Fail($"Auth:KeyCacheDuration must be zero or more; got {options.KeyCacheDuration}.")
            : ValidateOptionsResult.Success;
}

internal sealed class RetentionOptionsValidator : IValidateOptions<RetentionOptions>
{
    public ValidateOptionsResult Validate(string? name, RetentionOptions options)
    {
        var errors = new List<string>();
        CheckDays(errors, nameof(RetentionOptions.RawDays), options.RawDays);
        CheckDays(errors, nameof(RetentionOptions.FiveMinuteDays), options.FiveMinuteDays);
        CheckDays(errors, nameof(RetentionOptions.OneHourDays), options.OneHourDays);
        CheckDays(errors, nameof(RetentionOptions.OneDayDays), options.OneDayDays);
        if (options.Interval < TimeSpan.FromSeconds(1))
        {
            errors.Add($"{RetentionOptions.SectionName}:Interval must be at least 00:00:01; got {options.Interval}.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void CheckDays(List<string> errors, string key, int days)
    {
        if (days < 1)
        {
            errors.Add($"{RetentionOptions.SectionName}:{key} must be at least 1 day; got {days}.");
        }
    }
}
