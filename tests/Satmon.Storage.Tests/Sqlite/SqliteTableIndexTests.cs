using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Satmon.Core.Tables;
using Satmon.Storage.Sqlite;

namespace Satmon.Storage.Tests.Sqlite;

/// <summary>SQLite only: column indexes are made when a query first sorts or filters by a column, and kept.</summary>
public sealed class SqliteTableIndexTests : IAsyncDisposable
{
    private readonly SqliteTestDatabase _db = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly TableDefinition Terminals = new("terminals", "Terminals", "IMEI",
    [
        new ColumnDefinition("name", ColumnType.String),
        new ColumnDefinition("status", ColumnType.Enum),
        new ColumnDefinition("latency", ColumnType.Number),
        new ColumnDefinition("lastSeen", ColumnType.Timestamp),
    ]);

    private async Task<SqliteSatmonStore> OpenAsync(bool indexColumns = true)
    {
        var store = new SqliteSatmonStore(new SqliteStoreOptions { DatabasePath = _db.Path, IndexTableColumns = indexColumns }, NullLoggerFactory.Instance);
        await store.MigrateAsync(Ct);
        return store;
    }

    /// <summary>Index name → indexed columns, for the element's one physical table.</summary>
    private Dictionary<string, string> ColumnIndexes()
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _db.Path, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT i.name, group_concat(c.name, ',') FROM sqlite_schema i JOIN pragma_index_info(i.name) c
            WHERE i.type = 'index' AND i.name NOT LIKE 'sqlite_autoindex%' AND i.tbl_name IN (SELECT physical_name FROM data_tables)
            GROUP BY i.name
            """;
        using var reader = command.ExecuteReader();
        var indexes = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.Read())
        {
            indexes[reader.GetString(0)] = reader.GetString(1);
        }

        return indexes;
    }

    private static async Task SeedAsync(SqliteSatmonStore store)
    {
        await store.Tables.EnsureTableAsync("e1", Terminals, Ct);
        await store.Tables.UpsertAsync("e1", "terminals", Enumerable.Range(0, 50).Select(i => new TableRow($"k{i:00}", new Dictionary<string, object?>
        {
            ["name"] = $"T{i}", ["status"] = i % 3 == 0 ? "offline" : "online", ["latency"] = (double)(i % 7), ["lastSeen"] = null,
        })).ToList(), Ct);
    }

    [Fact]
    public async Task QueryAsync_SortAndSeekableFilters_IndexThoseColumnsOnceAndKeepThem()
    {
        await using (var store = await OpenAsync())
        {
            await SeedAsync(store);
            Assert.Empty(ColumnIndexes());

            var query = new TableQuery(
                [new FilterClause("status", FilterOperator.Eq, "online"), new FilterClause("name", FilterOperator.Contains, "1"), new FilterClause("lastSeen", FilterOperator.Ne, DateTimeOffset.UnixEpoch)],
                "latency", true, 0, 3);
            var page = await store.Tables.QueryAsync("e1", "terminals", query, Ct);
            Assert.Equal(["k41", "k13", "k19"], page.Rows.Select(r => r.Key));

            // Columns filtered only with contains / ne cannot seek in an index, so they get none.
            Assert.Equal(["c_latency,row_key", "c_status,row_key"], ColumnIndexes().Values.Order(StringComparer.Ordinal));
            await store.Tables.QueryAsync("e1", "terminals", query, Ct);
            Assert.Equal(2, ColumnIndexes().Count);
        }

        await using (var reopened = await OpenAsync())
        {
            var page = await reopened.Tables.QueryAsync("e1", "terminals", new TableQuery([], "status", false, 0, 2), Ct);
            Assert.Equal(["k00", "k03"], page.Rows.Select(r => r.Key));
            Assert.Equal(2, ColumnIndexes().Count);
        }
    }

    [Fact]
    public async Task QueryAsync_IndexingOff_CreatesNoIndex()
    {
        await using var store = await OpenAsync(indexColumns: false);
        await SeedAsync(store);

        var page = await store.Tables.QueryAsync("e1", "terminals", new TableQuery([new FilterClause("status", FilterOperator.Eq, "offline")], "latency", false, 0, 3), Ct);

        Assert.Equal(["k00", "k21", "k42"], page.Rows.Select(r => r.Key));
        Assert.Empty(ColumnIndexes());
    }

    [Fact]
    public async Task MigrateAsync_SingleColumnIndexOfEarlierVersions_IsDropped()
    {
        string physical;
        await using (var store = await OpenAsync())
        {
            await SeedAsync(store);
        }

        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _db.Path, Pooling = false }.ToString()))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT physical_name FROM data_tables";
            physical = (string)command.ExecuteScalar()!;
            command.CommandText = $"CREATE INDEX \"ix_{physical}_c_latency\" ON \"{physical}\" (c_latency)";
            command.ExecuteNonQuery();
        }

        Assert.Single(ColumnIndexes());
        await using (var reopened = await OpenAsync())
        {
            Assert.Empty(ColumnIndexes());
            Assert.Equal(50, await reopened.Tables.CountAsync("e1", "terminals", Ct));
        }
    }

    public async ValueTask DisposeAsync() => await _db.DisposeAsync();
}
