using Npgsql;

namespace Satmon.Storage.Postgres;

/// <summary>
/// Settings of the PostgreSQL store. The connection string is read from <c>Storage:ConnectionString</c>, the
/// tuning settings from the section <c>Storage:Postgres</c>.
/// </summary>
public sealed class PostgresStoreOptions
{
    /// <summary>Configuration section of the tuning settings.</summary>
    public const string SectionName = "Storage:Postgres";

    /// <summary>Configuration key of <see cref="ConnectionString"/>.</summary>
    public const string ConnectionStringKey = "Storage:ConnectionString";

    /// <summary>
    /// Npgsql connection string (required), e.g. <c>Host=db.example;Port=5432;Database=satmon;Username=satmon;Password=…</c>.
    /// The database must exist; the store creates and migrates its tables. Several Satmon nodes may share it.
    /// </summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>
    /// How long one SQL command may run before it is cancelled by the server. Default 30 s; whole seconds from
    /// 1 s to 1 h. Caller cancellation (shutdown, an HTTP request going away) is separate and always honoured.
    /// </summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Most connections this process keeps open to the server, or null (default) to keep the connection string's
    /// <c>Maximum Pool Size</c> (Npgsql's default is 100). Size it so that every node together stays below the
    /// server's <c>max_connections</c>.
    /// </summary>
    public int? MaxPoolSize { get; set; }

    /// <summary>
    /// Whether number, timestamp and enum columns of current-value tables get an index (default true), so that
    /// sorted and filtered pages stay fast on large tables. Only affects columns created afterwards.
    /// </summary>
    public bool IndexTableColumns { get; set; } = true;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the setting to fix when a value is missing or out of range.</summary>
    public void Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            errors.Add($"{ConnectionStringKey} is required when Storage:Provider is postgres, " +
                "e.g. \"Host=127.0.0.1;Port=5432;Database=satmon;Username=satmon;Password=...\".");
        }
        else
        {
            try
            {
                var builder = new NpgsqlConnectionStringBuilder(ConnectionString);
                if (string.IsNullOrWhiteSpace(builder.Host))
                {
                    errors.Add($"{ConnectionStringKey} names no server: add Host=<name or address>.");
                }
            }
            catch (ArgumentException ex)
            {
                // The parser's message may quote a piece of the string: an unquoted ';' inside a password makes the
                // rest of the password look like a keyword. So only a keyword Npgsql knows is named.
                var known = ex.ParamName is { } name && new NpgsqlConnectionStringBuilder().ContainsKey(name);
                errors.Add($"{ConnectionStringKey} is not a valid PostgreSQL connection string: " + (known
                    ? $"the value of {ex.ParamName} is not valid."
                    : "it has an unknown keyword or unbalanced quotes (a value containing ';' or quotes must be quoted)."));
            }
        }

        if (CommandTimeout < TimeSpan.FromSeconds(1) || CommandTimeout > TimeSpan.FromHours(1))
        {
            errors.Add($"{SectionName}:{nameof(CommandTimeout)} must be between 1 second and 1 hour; got {CommandTimeout}.");
        }

        if (MaxPoolSize is < 1 or > 1000)
        {
            errors.Add($"{SectionName}:{nameof(MaxPoolSize)} must be between 1 and 1000; got {MaxPoolSize}.");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors));
        }
    }
}
