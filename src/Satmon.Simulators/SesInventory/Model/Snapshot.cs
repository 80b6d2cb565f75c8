namespace Satmon.Simulators.SesInventory.Model;

/// <summary>
/// Status and lastUpdate of every slot of one entity type during one epoch. Computing an item's state takes a few
/// hashes; doing it once per epoch rather than per page keeps a build-up of 200 000 resources linear.
/// </summary>
internal sealed class Snapshot
{
    private Snapshot(long epoch, int dataVersion, InventoryStatus[] status, long[] lastUpdateTicks, byte[]? resourceTypes)
    {
        Epoch = epoch;
        DataVersion = dataVersion;
        Status = status;
        LastUpdateTicks = lastUpdateTicks;
        ResourceTypes = resourceTypes;
    }

    public long Epoch { get; }

    public int DataVersion { get; }

    public int SlotCount => Status.Length;

    public InventoryStatus[] Status { get; }

    public long[] LastUpdateTicks { get; }

    /// <summary>Index into <see cref="ResourceCatalog"/> per slot (resources only).</summary>
    public byte[]? ResourceTypes { get; }

    public bool IsModem(long slot) => ResourceTypes is { } types && types[slot] == ResourceCatalog.ModemIndex;

    public static Snapshot Build(Lifecycle lifecycle, long epoch, int dataVersion, Func<long, int>? resourceType)
    {
        var count = checked((int)lifecycle.SlotCount(epoch));
        var status = new InventoryStatus[count];
        var lastUpdate = new long[count];
        var types = resourceType is null ? null : new byte[count];
        for (long slot = 0; slot < count; slot++)
        {
            var isModem = false;
            if (types is not null)
            {
                var type = resourceType!(slot);
                types[slot] = (byte)type;
                isModem = type == ResourceCatalog.ModemIndex;
            }

            (status[slot], lastUpdate[slot]) = StateOf(lifecycle, slot, epoch, isModem);
        }

        return new Snapshot(epoch, dataVersion, status, lastUpdate, types);
    }

    private static (InventoryStatus Status, long LastUpdateTicks) StateOf(Lifecycle lifecycle, long slot, long epoch, bool isModem)
    {
        var created = lifecycle.CreatedTicks(slot);
        var retire = lifecycle.RetireEpoch(slot);
        if (retire <= epoch)
        {
            // Retired before the origin: still listed (the origin holds exactly the configured counts).
            if (retire != long.MinValue && lifecycle.IsGoneWhenRetired(slot))
            {
                return (InventoryStatus.Absent, 0);
            }

            return (lifecycle.RetiredStatus(slot), Math.Max(created, lifecycle.RetiredTicks(slot, retire)));
        }

        var last = Math.Max(created, lifecycle.LastRegularUpdateTicks(slot, epoch));
        if (!isModem)
        {
            return (InventoryStatus.Operational, last);
        }

        var (down, changed) = lifecycle.ModemState(slot, epoch);
        return (down ? InventoryStatus.NonOperational : InventoryStatus.Operational, Math.Max(last, changed));
    }
}
