using Satmon.Core.Storage;

namespace Satmon.Storage.Tests.Contracts;

/// <summary>
/// Base of the storage contract suite. A provider's test class says how to open a migrated store on a database
/// that belongs to the test alone; every behaviour test lives in the contract classes, so a new provider gets
/// the whole suite by adding one subclass per contract.
/// </summary>
public abstract class StoreContract : IAsyncLifetime
{
    private readonly List<ISatmonStore> _open = [];

    /// <summary>The store under test, migrated.</summary>
    protected ISatmonStore Store { get; private set; } = null!;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Opens and migrates a store on this test's database; every call opens the same database.</summary>
    protected abstract Task<ISatmonStore> CreateStoreAsync();

    /// <summary>Removes this test's database once every store on it is closed.</summary>
    protected abstract ValueTask DeleteDatabaseAsync();

    public async ValueTask InitializeAsync() => Store = await OpenAsync();

    /// <summary>Opens one more store on the same database.</summary>
    protected async Task<ISatmonStore> OpenAsync()
    {
        var store = await CreateStoreAsync();
        _open.Add(store);
        return store;
    }

    /// <summary>Closes <see cref="Store"/> and opens the database again, as a restart would.</summary>
    protected async Task ReopenAsync()
    {
        await Store.DisposeAsync();
        _open.Remove(Store);
        Store = await OpenAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var store in _open)
        {
            await store.DisposeAsync();
        }

        await DeleteDatabaseAsync();
        GC.SuppressFinalize(this);
    }
}
