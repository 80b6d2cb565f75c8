namespace Satmon.Hosting;

/// <summary>Top-level settings of the process (configuration root, e.g. <c>DataDirectory</c> or <c>SATMON_DataDirectory</c>).</summary>
public sealed class SatmonOptions
{
    /// <summary>Folder for the SQLite database, the Data Protection key ring and demo files. Default <c>./satmon-data</c>.</summary>
    public string DataDirectory { get; set; } = "./satmon-data";

    /// <summary>The data folder as an absolute path.</summary>
    public string DataDirectoryFullPath => Path.GetFullPath(DataDirectory);
}

/// <summary>Storage provider selection (section <c>Storage</c>; the SQLite provider's own settings are <c>Storage:Sqlite:*</c>).</summary>
public sealed class StorageOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Storage";

    /// <summary>Providers this build knows.</summary>
    public static IReadOnlyList<string> KnownProviders { get; } = ["sqlite", "postgres"];

    /// <summary>Provider name; one of <see cref="KnownProviders"/>. Default <c>sqlite</c>.</summary>
    public string Provider { get; set; } = "sqlite";

    /// <summary>Connection string of a server provider (PostgreSQL); unused by SQLite, which takes <c>Storage:Sqlite:DatabasePath</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Whether the provider is PostgreSQL.</summary>
    public bool IsPostgres => string.Equals(Provider, "postgres", StringComparison.OrdinalIgnoreCase);
}

/// <summary>API authentication (section <c>Auth</c>).</summary>
public sealed class AuthOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Auth";

    /// <summary>Whether <c>GET /api/health</c> answers without an API key. Default true.</summary>
    public bool AllowAnonymousHealth { get; set; } = true;

    /// <summary>Whether <c>GET /metrics</c> answers without an API key (Prometheus scrapers). Default true.</summary>
    public bool AllowAnonymousMetrics { get; set; } = true;

    /// <summary>How long a verified key is remembered before it is looked up again. Default 30 s; zero disables the cache.</summary>
    public TimeSpan KeyCacheDuration { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>Where secrets' encryption keys live (section <c>DataProtection</c>).</summary>
public sealed class SecretsOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "DataProtection";

    /// <summary>Key ring folder; null or empty means <c>&lt;DataDirectory&gt;/keys</c>.</summary>
    public string? KeyDirectory { get; set; }

    /// <summary>The key ring folder with the data-folder default applied.</summary>
    public string ResolveKeyDirectory(SatmonOptions satmon) =>
        Path.GetFullPath(string.IsNullOrWhiteSpace(KeyDirectory) ? Path.Combine(satmon.DataDirectory, "keys") : KeyDirectory);
}
