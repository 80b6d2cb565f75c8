using Npgsql;

namespace Satmon.Tests.Support;

/// <summary>
/// A fresh PostgreSQL database for one test on the server named by <c>SATMON_TEST_POSTGRES</c> (an admin connection
/// string), dropped at the end. Without the variable the test is skipped, visibly.
/// </summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    public const string Variable = "SATMON_TEST_POSTGRES";

    private readonly string _admin;

    private PostgresDatabase(string admin) => _admin = admin;

    public string Name { get; } = "satmon_n_" + Guid.NewGuid().ToString("N");

    public string ConnectionString => new NpgsqlConnectionStringBuilder(_admin) { Database = Name, Pooling = false }.ConnectionString;

    public static async Task<PostgresDatabase> CreateAsync(CancellationToken ct)
    {
        var admin = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(admin))
        {
            Assert.Skip($"Multi-node tests need {Variable} (an admin connection string to a PostgreSQL server); none is configured.");
        }

        var database = new PostgresDatabase(admin);
        await database.AdminAsync($"CREATE DATABASE {database.Name}", ct);
        return database;
    }

    /// <summary>Runs a query on this test's database and reads the first column of every row.</summary>
    public async Task<List<T>> QueryAsync<T>(string sql, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var values = new List<T>();
        while (await reader.ReadAsync(ct))
        {
            values.Add(reader.GetFieldValue<T>(0));
        }

        return values;
    }

    public async ValueTask DisposeAsync() => await AdminAsync($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", CancellationToken.None);

    private async Task AdminAsync(string sql, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(_admin);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }
}
