using System.Globalization;
using Satmon.Simulators.SesInventory.Wire;

namespace Satmon.Simulators.SesInventory.Model;

/// <summary>Builds the TMF639 records of resources from their slot and the current snapshot.</summary>
internal sealed class ResourceRecords(InventoryGenerator generator, InventoryDirectory directory)
{
    private const string Text = "string";
    private readonly int seed = generator.Seed;

    public ResourceWire Resource(long slot, Snapshot snapshot, string hrefBase)
    {
        const InventoryEntity entity = InventoryEntity.Resources;
        var key = InventoryGenerator.SaltOf(entity) | slot;
        var id = generator.IdOf(entity, slot);
        var typeIndex = InventoryGenerator.ResourceTypeIndex(slot, snapshot);
        var type = ResourceCatalog.Name(typeIndex);
        var logical = ResourceCatalog.IsLogical(typeIndex);
        var status = snapshot.Status[slot];
        var operational = status == InventoryStatus.Operational;
        var lifecycle = generator.LifecycleOf(entity);
        var site = directory.Site(Salt.Place, key);
        var owner = directory.Customer(Salt.Party, key);
        var retired = lifecycle.RetireEpoch(slot) <= snapshot.Epoch;
        return new ResourceWire
        {
            Id = id,
            Href = $"{hrefBase}/{id}",
            ExternalId = generator.ExternalIdOf(entity, slot),
            Name = generator.NameOf(entity, slot, snapshot),
            Description = $"{type} at {site.Name}",
            Status = InventoryStatusText.Of(status),
            Category = type,
            AtType = logical ? "LogicalResource" : "PhysicalResource",
            BaseType = "Resource",
            ResourceVersion = (1 + Pick(5, key, 1)).ToString(CultureInfo.InvariantCulture),
            StartOperatingDate = ServiceRecords.Utc(lifecycle.CreatedTicks(slot)),
            EndOperatingDate = retired ? ServiceRecords.Utc(lifecycle.RetiredTicks(slot, lifecycle.RetireEpoch(slot))) : null,
            LastUpdate = ServiceRecords.Utc(snapshot.LastUpdateTicks[slot]),
            AdministrativeState = retired ? "locked" : "unlocked",
            OperationalState = operational ? "enable" : "disable",
            UsageState = operational ? "active" : "idle",
            ResourceStatus = operational ? "available" : retired ? "suspended" : "alarm",
            SerialNumber = logical ? null : SerialNumber(key),
            ResourceSpecification = new SpecificationRefWire
            {
                Id = $"rs-{type.ToLowerInvariant()}",
                Name = type,
                Version = "1.0",
                ReferredType = logical ? "LogicalResourceSpecification" : "PhysicalResourceSpecification",
            },
            ResourceCharacteristic = Characteristics(type, logical, operational, key),
            RelatedParty = [new RelatedPartyWire { Id = owner.Id, Name = owner.Name, Role = "Owner", ReferredType = "Organization" }],
            Place = new PlaceWire { Id = site.Id, Name = site.Name, Role = "InstallationSite", ReferredType = "GeographicSite" },
            ResourceRelationship = Relationships(type, slot, key, snapshot, hrefBase),
        };
    }

    private int Pick(int count, long key, long part) => InventoryHash.Pick(count, seed, Salt.Detail, key, part);

    private string SerialNumber(long key) => string.Create(CultureInfo.InvariantCulture, $"SN{InventoryHash.Of(seed, Salt.Characteristic, key) % 100_000_000:D8}");

    private IReadOnlyList<CharacteristicWire> Characteristics(string type, bool logical, bool operational, long key)
    {
        if (logical)
        {
            return
            [
                new("identifier", Text, string.Create(CultureInfo.InvariantCulture, $"{type.ToUpperInvariant()}-{Pick(100_000, key, 2):D5}")),
                new("install_status", "integer", "1"),
            ];
        }

        var manufacturer = InventoryNames.Manufacturers[Pick(InventoryNames.Manufacturers.Length, key, 3)];
        var characteristics = new List<CharacteristicWire>(7)
        {
            new("serialNumber", Text, SerialNumber(key)),
            new("manufacturer", Text, manufacturer),
            new("model", Text, string.Create(CultureInfo.InvariantCulture, $"{manufacturer[..3].ToUpperInvariant()}-{100 + Pick(900, key, 4)}")),
            new("firmwareVersion", Text, string.Create(CultureInfo.InvariantCulture, $"{1 + Pick(5, key, 5)}.{Pick(10, key, 6)}.{Pick(20, key, 7)}")),
            new("install_status", "integer", "1"),
        };
        if (type == ResourceCatalog.Modem)
        {
            characteristics.Add(new("modemState", Text, operational ? "online" : "offline"));
            characteristics.Add(new("ipAddress", Text, string.Create(CultureInfo.InvariantCulture, $"10.{Pick(256, key, 8)}.{Pick(256, key, 9)}.{1 + Pick(254, key, 10)}")));
        }

        return characteristics;
    }

    private IReadOnlyList<ResourceRelationshipWire>? Relationships(string type, long slot, long key, Snapshot snapshot, string hrefBase)
    {
        var (relationship, related) = type switch
        {
            "Card" or "Slot" or "Port" or "LogicalPort" => ("isContainedIn", new[] { "Router", "Switch", "Modem" }),
            "Modem" => ("reliesOn", ["Antenna"]),
            "Terminal" => ("contains", ["Modem"]),
            "Antenna" => ("contains", ["BUC", "LNB"]),
            "Circuit" or "Multicast" or "BandwidthSegment" => ("reliesOn", ["Transponder"]),
            _ => (null, []),
        };
        if (relationship is null || snapshot.SlotCount < 2)
        {
            return null;
        }

        var start = InventoryHash.Pick((int)Math.Min(snapshot.SlotCount, int.MaxValue), seed, Salt.Relationship, key);
        for (long probe = start, steps = 0; steps < 64; steps++, probe = (probe + 1) % snapshot.SlotCount)
        {
            var probeType = ResourceCatalog.Name(snapshot.ResourceTypes![probe]);
            if (probe == slot || Array.IndexOf(related, probeType) < 0)
            {
                continue;
            }

            var id = generator.IdOf(InventoryEntity.Resources, probe);
            var href = $"{hrefBase}/{id}";
            var name = string.Create(CultureInfo.InvariantCulture, $"{probeType.ToUpperInvariant()}-{probe + 1:D6}");
            return
            [
                new ResourceRelationshipWire
                {
                    RelationshipType = relationship,
                    Id = id,
                    Href = href,
                    Resource = new EntityRefWire { Id = id, Href = href, Name = name, ReferredType = probeType },
                },
            ];
        }

        return null;
    }
}
