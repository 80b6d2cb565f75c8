using System.Globalization;

namespace Satmon.Simulators.SesInventory.Model;

/// <summary>Customers, sites, gateways and satellites that services, carriers and resources refer to.</summary>
internal sealed class InventoryDirectory(int seed, int serviceCount)
{
    private readonly int customerCount = Math.Clamp(serviceCount / 40, 5, InventoryNames.CustomerPrefixes.Length * InventoryNames.CustomerIndustries.Length);
    private readonly int siteCount = Math.Clamp(serviceCount / 10, 10, InventoryNames.Places.Length * InventoryNames.SiteKinds.Length);

    public RelatedPartyRef Customer(Salt salt, long key)
    {
        var index = InventoryHash.Pick(customerCount, seed, Salt.Customer, (long)salt << 48 | key);
        var prefix = InventoryNames.CustomerPrefixes[index % InventoryNames.CustomerPrefixes.Length];
        var industry = InventoryNames.CustomerIndustries[index / InventoryNames.CustomerPrefixes.Length % InventoryNames.CustomerIndustries.Length];
        return new RelatedPartyRef(string.Create(CultureInfo.InvariantCulture, $"acct-{index + 1:D5}"), $"{prefix} {industry}");
    }

    public RelatedPartyRef Site(Salt salt, long key)
    {
        var index = InventoryHash.Pick(siteCount, seed, Salt.Site, (long)salt << 48 | key);
        var place = InventoryNames.Places[index % InventoryNames.Places.Length];
        var kind = InventoryNames.SiteKinds[index / InventoryNames.Places.Length % InventoryNames.SiteKinds.Length];
        return new RelatedPartyRef(string.Create(CultureInfo.InvariantCulture, $"site-{index + 1:D5}"), $"{place} {kind}");
    }

    public RelatedPartyRef Gateway(Salt salt, long key)
    {
        var index = InventoryHash.Pick(InventoryNames.Gateways.Length, seed, Salt.Gateway, (long)salt << 48 | key);
        return new RelatedPartyRef(string.Create(CultureInfo.InvariantCulture, $"gw-{index + 1:D3}"), InventoryNames.Gateways[index]);
    }

    public int SatelliteIndex(long key) => InventoryHash.Pick(InventoryNames.Satellites.Length, seed, Salt.Satellite, key);
}

/// <summary>An id and a name of something an item refers to.</summary>
internal readonly record struct RelatedPartyRef(string Id, string Name);
