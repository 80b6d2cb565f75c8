using Satmon.Core.Storage;
using Satmon.Storage.Tests.Contracts;

namespace Satmon.Storage.Tests.Sqlite;

// The contract suite on SQLite: each class only says how to open a store on a fresh database file.

public sealed class SqliteMigrationTests : MigrationContract
{
    private readonly SqliteTestDatabase _db = new();

    protected override Task<ISatmonStore> CreateStoreAsync() => _db.OpenAsync();

    protected override ValueTask DeleteDatabaseAsync() => _db.DisposeAsync();
}

public sealed class SqliteElementStoreTests : ElementStoreContract
{
    private readonly SqliteTestDatabase _db = new();

    protected override Task<ISatmonStore> CreateStoreAsync() => _db.OpenAsync();

    protected override ValueTask DeleteDatabaseAsync() => _db.DisposeAsync();
}

public sealed class SqliteTableStoreTests : TableStoreContract
{
    private readonly SqliteTestDatabase _db = new();

    protected override Task<ISatmonStore> CreateStoreAsync() => _db.OpenAsync();

    protected override ValueTask DeleteDatabaseAsync() => _db.DisposeAsync();
}

public sealed class SqliteHistoryStoreTests : HistoryStoreContract
{
    private readonly SqliteTestDatabase _db = new();

    protected override Task<ISatmonStore> CreateStoreAsync() => _db.OpenAsync();

    protected override ValueTask DeleteDatabaseAsync() => _db.DisposeAsync();
}

public sealed class SqliteObjectStoreTests : ObjectStoreContract
{
    private readonly SqliteTestDatabase _db = new();

    protected override Task<ISatmonStore> CreateStoreAsync() => _db.OpenAsync();

    protected override ValueTask DeleteDatabaseAsync() => _db.DisposeAsync();
}

public sealed class SqliteClusterStoreTests : ClusterStoreContract
{
    private readonly SqliteTestDatabase _db = new();

    protected override Task<ISatmonStore> CreateStoreAsync() => _db.OpenAsync();

    protected override ValueTask DeleteDatabaseAsync() => _db.DisposeAsync();
}
