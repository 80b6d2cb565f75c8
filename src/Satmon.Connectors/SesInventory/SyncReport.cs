using System.Globalization;
using Satmon.Core.Objects;

namespace Satmon.Connectors.SesInventory;

/// <summary>One entity type as the sync sees it: what it is called, which API serves it, and its special rules.</summary>
/// <param name="Definition">Object definition (and poll task) name.</param>
/// <param name="Api">TMF638 (services, carriers) or TMF639 (resources).</param>
/// <param name="CleanupAfterBuildUp">Carriers and resources not seen in a complete build-up are removed.</param>
/// <param name="CleanupNonOperational">Services: after each update poll, stored services not Operational are removed.</param>
/// <param name="PreserveModemStatus">Resources: a stored modem keeps its status when updated.</param>
/// <param name="FetchAsync">Reads one page: (zero-based page, updates only, cancellation).</param>
internal sealed record InventoryKind(
    string Definition,
    InventoryApi Api,
    bool CleanupAfterBuildUp,
    bool CleanupNonOperational,
    bool PreserveModemStatus,
    Func<int, bool, CancellationToken, Task<PageFetch>> FetchAsync);

/// <summary>The counts of one poll of one entity type: logged, and shown in the status table.</summary>
internal sealed class SyncReport(bool buildUp)
{
    public bool BuildUp { get; } = buildUp;

    public int PagesRead { get; set; }

    public int PagesSkipped { get; set; }

    public int Received { get; set; }

    public int Created { get; set; }

    public int Updated { get; set; }

    public int Unchanged { get; set; }

    public int Failed { get; set; }

    public int Dropped { get; set; }

    public int Deleted { get; set; }

    /// <summary>Next page of an unfinished build-up (zero-based), or null.</summary>
    public int? NextBuildUpPage { get; set; }

    /// <summary>Whether the build-up finished in this poll.</summary>
    public bool BuildUpCompleted { get; set; }

    /// <summary>Why cleanup did not run although the build-up finished; null when it ran or does not apply.</summary>
    public string? CleanupWithheld { get; set; }

    /// <summary>Objects written (created, updated or unchanged): the seed's success count.</summary>
    public int Succeeded => Created + Updated + Unchanged;

    public void Add(ObjectWriteResult result)
    {
        Created += result.Created;
        Updated += result.Updated;
        Unchanged += result.Unchanged;
    }

    /// <summary>One line for the log and the status table.</summary>
    public string Describe(string outcome) => string.Create(
        CultureInfo.InvariantCulture,
        $"{outcome}: {PagesRead} pages read, {PagesSkipped} skipped; {Received} received, {Succeeded} written ({Created} created, {Updated} updated), {Failed} failed, {Dropped} dropped, {Deleted} deleted.")
        + (CleanupWithheld is { } why ? " " + why : "");
}
