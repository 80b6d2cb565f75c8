namespace Satmon.Simulators.SesInventory;

/// <summary>
/// Faults in the data rather than in the HTTP exchange; each share is a percentage of items, picked
/// deterministically per item so that the same settings always hit the same items.
/// </summary>
/// <param name="DuplicateExternalIdPercent">Services/carriers whose externalId repeats the one of an item 1 to 60 places before (same or earlier page).</param>
/// <param name="NullExternalIdPercent">Services/carriers with <c>"externalId": null</c>.</param>
/// <param name="EmptyExternalIdPercent">Services/carriers with <c>"externalId": ""</c>.</param>
/// <param name="ExcludedTypePercent">Resources of the excluded types (Card, BandwidthSegment, LogicalPort, Multicast, Slot, Port, Circuit).</param>
public sealed record InventoryDataFaults(
    double DuplicateExternalIdPercent = 0,
    double NullExternalIdPercent = 0,
    double EmptyExternalIdPercent = 0,
    double ExcludedTypePercent = 20)
{
    /// <summary>Throws <see cref="ArgumentException"/> naming the first share out of range.</summary>
    public void Validate()
    {
        Check(DuplicateExternalIdPercent, nameof(DuplicateExternalIdPercent));
        Check(NullExternalIdPercent, nameof(NullExternalIdPercent));
        Check(EmptyExternalIdPercent, nameof(EmptyExternalIdPercent));
        Check(ExcludedTypePercent, nameof(ExcludedTypePercent));
        if (DuplicateExternalIdPercent + NullExternalIdPercent + EmptyExternalIdPercent > 100.0)
        {
            throw new ArgumentException("The duplicate, null and empty externalId shares must not add up to more than 100 %.");
        }
    }

    internal static InventoryDataFaults From(SesInventorySimulatorOptions options) => new(
        options.DuplicateExternalIdPercent, options.NullExternalIdPercent, options.EmptyExternalIdPercent, options.ExcludedTypePercent);

    private static void Check(double percent, string name)
    {
        if (double.IsNaN(percent) || percent is < 0 or > 100)
        {
            throw new ArgumentException($"{name} must be between 0 and 100 (was {percent}).", name);
        }
    }
}
