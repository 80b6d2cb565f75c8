using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Satmon.Core.Storage;
using Satmon.Storage.Postgres;

namespace Satmon.Storage.Tests.Postgres;

/// <summary>
/// A fresh database for one test on the server named by <c>SATMON_TEST_POSTGRES</c> (an admin connection string),
/// created on first use and dropped at the end. Without the variable the test is skipped, visibly.
/// </summary>
internal sealed class PostgresTestDatabase : IAsyncDisposable
{
    public const string Variable = "SATMON_TEST_POSTGRES";
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _created;

    /// <summary>The admin connection string, or a skip of the running test when none is configured.</summary>
    public static string Admin
    {
        get
        {
            var admin = Environment.GetEnvironmentVariable(Variable);
            if (string.IsNullOrWhiteSpace(admin))
            {
                Assert.Skip($"PostgreSQL tests need {Variable} (an admin connection string); none is configured.");
            }

            return admin;
        }
    }

    public string Name { get; } = "satmon_t_" + Guid.NewGuid().ToString("N");

    /// <summary>Connection string of this test's database (created by then).</summary>
    public string ConnectionString => new NpgsqlConnectionStringBuilder(Admin) { Database = Name }.ConnectionString;

    /// <summary>Creates the database unless done already.</summary>
    public async Task CreateAsync()
    {
        var admin = Admin;
        await _gate.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            if (!_created)
            {
                await AdminExecuteAsync(admin, $"CREATE DATABASE {Name}");
                _created = true;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>A store on this test's database, not yet migrated.</summary>
    public async Task<PostgresSatmonStore> NewStoreAsync(ILoggerFactory? loggerFactory = null, Action<PostgresStoreOptions>? configure = null)
    {
        await CreateAsync();
        var options = new PostgresStoreOptions { ConnectionString = ConnectionString, MaxPoolSize = 10 };
        configure?.Invoke(options);
        return new PostgresSatmonStore(options, loggerFactory ?? NullLoggerFactory.Instance);
    }

    /// <summary>A migrated store on this test's database.</summary>
    public async Task<ISatmonStore> OpenAsync()
    {
        var store = await NewStoreAsync();
        try
        {
            await store.MigrateAsync(TestContext.Current.CancellationToken);
            return store;
        }
        catch
        {
            await store.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs one statement on this test's database through a connection of its own.</summary>
    public async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_created)
        {
            // FORCE ends connections a failed test may have left open.
            await AdminExecuteAsync(Admin, $"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");
        }

        _gate.Dispose();
    }

    public static async Task AdminExecuteAsync(string admin, string sql)
    {
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync(CancellationToken.None);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(CancellationToken.None);
    }
}
