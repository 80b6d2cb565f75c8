using Satmon.Core.Storage;
using Satmon.Storage.Tests.Contracts;

namespace Satmon.Storage.Tests.Postgres;

// The contract suite on PostgreSQL: each class only says how to open a store on a fresh database. Skipped, with
// the reason shown, when SATMON_TEST_POSTGRES is not set.

public sealed class PostgresMigrationTests : MigrationContract
{
    private readonly PostgresTestDatabase _db = new();

    protected override Task<ISatmonStore> CreateStoreAsync() => _db.OpenAsync();

    protected override ValueTask DeleteDatabaseAsync() => _db.DisposeAsync();
}

public sealed class PostgresElementStoreTests : ElementStoreContract
{
    private readonly PostgresTestDatabase _db = new();

    protected override Task<ISatmonStore> CreateStoreAsync() => _db.OpenAsync();

    protected override ValueTask DeleteDatabaseAsync() => _db.DisposeAsync();
}

public sealed class PostgresTableStoreTests : TableStoreContract
{
    private readonly PostgresTestDatabase _db = new();

    protected override Task<ISatmonStore> CreateStoreAsync() => _db.OpenAsync();

    protected override ValueTask DeleteDatabaseAsync() => _db.DisposeAsync();
}

public sealed class PostgresHistoryStoreTests : HistoryStoreContract
{
    private readonly PostgresTestDatabase _db = new();

    protected override Task<ISatmonStore> CreateStoreAsync() => _db.OpenAsync();

    protected override ValueTask DeleteDatabaseAsync() => _db.DisposeAsync();
}

public sealed class PostgresObjectStoreTests : ObjectStoreContract
{
    private readonly PostgresTestDatabase _db = new();

    protected override Task<ISatmonStore> CreateStoreAsync() => _db.OpenAsync();

    protected override ValueTask DeleteDatabaseAsync() => _db.DisposeAsync();
}

public sealed class PostgresClusterStoreTests : ClusterStoreContract
{
    private readonly PostgresTestDatabase _db = new();

    protected override Task<ISatmonStore> CreateStoreAsync() => _db.OpenAsync();

    protected override ValueTask DeleteDatabaseAsync() => _db.DisposeAsync();
}
