using Microsoft.Extensions.Logging.Abstractions;
using Satmon.Core.Storage;
using Satmon.Storage.Sqlite;

namespace Satmon.Storage.Tests.Sqlite;

/// <summary>A database file in a fresh temp folder, deleted with the folder at the end.</summary>
internal sealed class SqliteTestDatabase : IAsyncDisposable
{
    public string Folder { get; } = Directory.CreateTempSubdirectory("satmon-storage-").FullName;

    public string Path => System.IO.Path.Combine(Folder, "satmon.db");

    public async Task<ISatmonStore> OpenAsync()
    {
        var store = new SqliteSatmonStore(new SqliteStoreOptions { DatabasePath = Path }, NullLoggerFactory.Instance);
        await store.MigrateAsync(TestContext.Current.CancellationToken);
        return store;
    }

    public ValueTask DisposeAsync()
    {
        Directory.Delete(Folder, recursive: true);
        return ValueTask.CompletedTask;
    }
}
