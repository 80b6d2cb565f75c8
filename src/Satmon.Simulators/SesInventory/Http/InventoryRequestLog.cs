using System.Collections.Concurrent;

namespace Satmon.Simulators.SesInventory.Http;

/// <summary>One inventory call the simulator answered.</summary>
/// <param name="Time">When it arrived, on the simulator's clock.</param>
/// <param name="Entity">Which list (for a get-by-id on the service path: Services).</param>
/// <param name="Path">Request path.</param>
/// <param name="Query">Raw query string, including the leading '?', or empty.</param>
/// <param name="Page">0-based page ordinal of a list call; null for get-by-id or an unparsable query.</param>
/// <param name="StatusCode">Status code that was sent.</param>
public sealed record InventoryRequest(DateTimeOffset Time, InventoryEntity Entity, string Path, string Query, int? Page, int StatusCode);

/// <summary>Counts inventory calls per entity type and keeps the most recent ones (services and carriers share a path).</summary>
internal sealed class InventoryRequestLog(int capacity = 20_000)
{
    private readonly int[] counts = new int[3];
    private readonly ConcurrentQueue<InventoryRequest> recent = new();

    public IReadOnlyList<InventoryRequest> Recent => [.. recent];

    public int CountFor(InventoryEntity entity) => Volatile.Read(ref counts[(int)entity]);

    public void Add(InventoryRequest request)
    {
        Interlocked.Increment(ref counts[(int)request.Entity]);
        recent.Enqueue(request);
        while (recent.Count > capacity && recent.TryDequeue(out _))
        {
        }
    }

    public void Reset()
    {
        for (var i = 0; i < counts.Length; i++)
        {
            Volatile.Write(ref counts[i], 0);
        }

        recent.Clear();
    }
}
