using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Satmon.Core.Cluster;
using Satmon.Core.Elements;
using Satmon.Core.History;
using Satmon.Core.Storage;
using Satmon.Storage.Postgres;
using Satmon.Storage.Sqlite;

namespace Satmon.Hosting;

/// <summary>Options, storage, secrets, the element manager and the background services.</summary>
internal static class SatmonServices
{
    public static IServiceCollection AddSatmonCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptionsWithValidateOnStart<SatmonOptions>().Bind(configuration);
        services.AddOptionsWithValidateOnStart<StorageOptions>().Bind(configuration.GetSection(StorageOptions.SectionName));
        services.AddOptionsWithValidateOnStart<SqliteStoreOptions>()
            .Bind(configuration.GetSection(SqliteStoreOptions.SectionName))
            .PostConfigure<IOptions<SatmonOptions>>((sqlite, satmon) =>
            {
                // Default: <DataDirectory>/satmon.db. Relative paths are taken from the current directory.
                sqlite.DatabasePath = Path.GetFullPath(string.IsNullOrWhiteSpace(sqlite.DatabasePath)
                    ? Path.Combine(satmon.Value.DataDirectory, "satmon.db")
                    : sqlite.DatabasePath);
            });
        services.AddOptionsWithValidateOnStart<PostgresStoreOptions>()
            .Bind(configuration.GetSection(PostgresStoreOptions.SectionName))
            .PostConfigure<IOptions<StorageOptions>>((postgres, storage) =>
            {
                if (!string.IsNullOrWhiteSpace(storage.Value.ConnectionString))
                {
                    postgres.ConnectionString = storage.Value.ConnectionString;
                }
            });
        services.AddOptionsWithValidateOnStart<ClusterOptions>().Bind(configuration.GetSection(ClusterOptions.SectionName));
        services.AddOptionsWithValidateOnStart<AuthOptions>().Bind(configuration.GetSection(AuthOptions.SectionName));
        services.AddOptionsWithValidateOnStart<SecretsOptions>().Bind(configuration.GetSection(SecretsOptions.SectionName));
        services.AddOptionsWithValidateOnStart<RetentionOptions>().Bind(configuration.GetSection(RetentionOptions.SectionName));
        services.AddSingleton<IValidateOptions<SatmonOptions>, SatmonOptionsValidator>();
        services.AddSingleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>();
        services.AddSingleton<IValidateOptions<SqliteStoreOptions>, SqliteStoreOptionsValidator>();
        services.AddSingleton<IValidateOptions<PostgresStoreOptions>, PostgresStoreOptionsValidator>();
        services.AddSingleton<IValidateOptions<ClusterOptions>, ClusterOptionsValidator>();
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();
        services.AddSingleton<IValidateOptions<RetentionOptions>, RetentionOptionsValidator>();

        // TryAdd: tests put a FakeTimeProvider in first or replace it afterwards.
        services.TryAddSingleton(TimeProvider.System);
        // Connectors register their own named clients; this only makes sure the factory exists.
        services.AddHttpClient();

        services.AddDataProtection().SetApplicationName("satmon");
        // The key folder depends on DataDirectory, so it is resolved from options when Data Protection first needs it.
        services.AddOptions<KeyManagementOptions>()
            .Configure<IOptions<SatmonOptions>, IOptions<SecretsOptions>, ILoggerFactory>((keys, satmon, secrets, loggers) =>
            {
                var folder = Directory.CreateDirectory(secrets.Value.ResolveKeyDirectory(satmon.Value));
                keys.XmlRepository = new FileSystemXmlRepository(folder, loggers);
            });
        services.AddSingleton<ISecretProtector, DataProtectionSecretProtector>();

        services.AddSingleton(CreateStore);
        // Registered once, as the interface: a second registration of the same instance would be disposed twice.
        services.AddSingleton<IElementManager, ElementManager>();

        // Order matters: the store is migrated and elements started before the server takes requests.
        services.AddHostedService<ElementHostService>();
        services.AddHostedService<RetentionService>();
        return services;
    }

    private static ISatmonStore CreateStore(IServiceProvider services)
    {
        var storage = services.GetRequiredService<IOptions<StorageOptions>>().Value;
        var loggers = services.GetRequiredService<ILoggerFactory>();
        switch (storage.Provider.ToLowerInvariant())
        {
            case "sqlite":
                var sqlite = services.GetRequiredService<IOptions<SqliteStoreOptions>>().Value;
                Directory.CreateDirectory(Path.GetDirectoryName(sqlite.DatabasePath)!);
                return new SqliteSatmonStore(sqlite, loggers, services.GetRequiredService<TimeProvider>());
            case "postgres":
                var postgres = services.GetRequiredService<IOptions<PostgresStoreOptions>>().Value;
                return new PostgresSatmonStore(postgres, loggers, services.GetRequiredService<TimeProvider>());
            default:
                // Unreachable: reading StorageOptions above runs StorageOptionsValidator, which refuses unknown providers.
                throw new InvalidOperationException($"Storage provider '{storage.Provider}' has no factory.");
        }
    }
}
