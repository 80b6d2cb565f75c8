using System.Globalization;
using Satmon.Simulators.SesInventory.Wire;

namespace Satmon.Simulators.SesInventory.Model;

/// <summary>Builds the TMF638 records of services and carriers from their slot and the current snapshot.</summary>
internal sealed class ServiceRecords(InventoryGenerator generator, InventoryDirectory directory, long initialResourceCount)
{
    private const string Number = "number";
    private const string Text = "string";
    private readonly int seed = generator.Seed;

    public ServiceWire Service(long slot, Snapshot snapshot, string hrefBase, string resourceHrefBase)
    {
        const InventoryEntity entity = InventoryEntity.Services;
        var key = InventoryGenerator.SaltOf(entity) | slot;
        var id = generator.IdOf(entity, slot);
        var status = snapshot.Status[slot];
        var lifecycle = generator.LifecycleOf(entity);
        var created = Utc(lifecycle.CreatedTicks(slot));
        var serviceType = InventoryNames.ServiceTypes[Pick(InventoryNames.ServiceTypes.Length, key, 1)];
        var customer = directory.Customer(Salt.Party, key);
        var site = directory.Site(Salt.Place, key);
        var bandwidth = 10 * (1 + Pick(100, key, 2));
        return new ServiceWire
        {
            Id = id,
            Href = $"{hrefBase}/{id}",
            ExternalId = generator.ExternalIdOf(entity, slot),
            Name = generator.NameOf(entity, slot, snapshot),
            Description = $"{serviceType} service for {customer.Name}",
            Status = InventoryStatusText.Of(status),
            AtType = "CFS",
            Category = "CFS",
            ServiceType = serviceType,
            State = StateOf(status),
            CreationDate = created,
            StartDate = created,
            EndDate = EndDate(lifecycle, slot, status, created, Pick(5, key, 17) == 0),
            ServiceDate = created.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            LastUpdate = Utc(snapshot.LastUpdateTicks[slot]),
            HasStarted = true,
            IsServiceEnabled = status == InventoryStatus.Operational,
            IsStateful = true,
            IsBundle = false,
            StartMode = "1",
            ServiceSpecification = new SpecificationRefWire
            {
                Id = $"spec-{serviceType.Replace(' ', '-').ToLowerInvariant()}",
                Name = serviceType,
                Version = "1.0",
                ReferredType = "ServiceSpecification",
            },
            ServiceCharacteristic =
            [
                new("bandwidthMbps", Number, bandwidth.ToString(CultureInfo.InvariantCulture)),
                new("committedInformationRateMbps", Number, (bandwidth / 2).ToString(CultureInfo.InvariantCulture)),
                new("slaTier", Text, InventoryNames.SlaTiers[Pick(InventoryNames.SlaTiers.Length, key, 3)]),
                new("contractId", Text, string.Create(CultureInfo.InvariantCulture, $"CTR-{Pick(90_000, key, 4) + 10_000}")),
            ],
            SupportingResource = SupportingModems(key, resourceHrefBase),
            RelatedParty = Parties(customer, key),
            Place = Pick(10, key, 5) < 3
                ? [Place(site, "Site"), Place(directory.Gateway(Salt.Place, key), "Gateway")]
                : [Place(site, "Site")],
            ServiceRelationship = slot > 0 && Pick(100, key, 6) < 15 ? [Relies(slot, key, hrefBase)] : null,
        };
    }

    public ServiceWire Carrier(long slot, Snapshot snapshot, string hrefBase)
    {
        const InventoryEntity entity = InventoryEntity.Carriers;
        var key = InventoryGenerator.SaltOf(entity) | slot;
        var id = generator.IdOf(entity, slot);
        var status = snapshot.Status[slot];
        var created = Utc(generator.LifecycleOf(entity).CreatedTicks(slot));
        var name = InventoryGenerator.BaseExternalId(entity, slot);
        var gateway = directory.Gateway(Salt.Place, key);
        var terminal = string.Create(CultureInfo.InvariantCulture, $"TERM-{Pick(99_999, key, 1) + 1:D5}");
        var satelliteIndex = directory.SatelliteIndex(key);
        var (satellite, band) = InventoryNames.Satellites[satelliteIndex];
        var transponder = 1 + Pick(24, key, 2);
        var forward = Pick(2, key, 3) == 0;
        var (uplink, downlink) = Frequencies(band, key);
        return new ServiceWire
        {
            Id = id,
            Href = $"{hrefBase}/{id}",
            ExternalId = generator.ExternalIdOf(entity, slot),
            Name = name,
            Description = $"{(forward ? "Forward" : "Return")} carrier {gateway.Name} - {terminal} on {satellite}",
            Status = InventoryStatusText.Of(status),
            AtType = "element",
            Category = "RFS",
            ServiceType = "Carrier",
            State = StateOf(status),
            CreationDate = created,
            StartDate = created,
            LastUpdate = Utc(snapshot.LastUpdateTicks[slot]),
            ServiceSpecification = new SpecificationRefWire { Id = "spec-carrier", Name = "Carrier", Version = "1.0", ReferredType = "ServiceSpecification" },
            Place =
            [
                new PlaceWire { Id = gateway.Id, Name = gateway.Name, Role = "Gateway", ReferredType = "GeographicSite" },
                new PlaceWire { Id = terminal.ToLowerInvariant(), Name = terminal, Role = "Terminal", ReferredType = "GeographicSite" },
            ],
            ServiceCharacteristic =
            [
                new("ElementType", Text, "Carrier"),
                new("type", Text, forward ? "Forward" : "Return"),
                new("uplinkAlias", Text, $"UL-{name}"),
                new("downlinkAlias", Text, $"DL-{name}"),
                new("uplinkRfCenterFrequency", Number, uplink),
                new("downlinkRfCenterFrequency", Number, downlink),
                new("modulation", Text, InventoryNames.Modulations[Pick(InventoryNames.Modulations.Length, key, 4)]),
                new("symbolRateMsps", Number, (1 + Pick(60, key, 5)).ToString(CultureInfo.InvariantCulture)),
            ],
            SupportingResource =
            [
                new EntityRefWire { Id = string.Create(CultureInfo.InvariantCulture, $"sat-{satelliteIndex + 1:D3}"), Name = satellite, ReferredType = "Satellite" },
                new EntityRefWire
                {
                    Id = string.Create(CultureInfo.InvariantCulture, $"tp-{satelliteIndex + 1:D3}-{transponder:D2}"),
                    Name = string.Create(CultureInfo.InvariantCulture, $"{satellite} TP {transponder}{(transponder % 2 == 0 ? "H" : "V")}"),
                    ReferredType = "Transponder",
                },
            ],
            SupportingService = BandwidthSegments(slot, key, hrefBase),
        };
    }

    internal static string StateOf(InventoryStatus status) => status switch
    {
        InventoryStatus.Operational => "active",
        InventoryStatus.Retired => "terminated",
        _ => "inactive",
    };

    internal static DateTime Utc(long ticks) => new(ticks, DateTimeKind.Utc);

    private int Pick(int count, long key, long part) => InventoryHash.Pick(count, seed, Salt.Detail, key, part);

    private static DateTime? EndDate(Lifecycle lifecycle, long slot, InventoryStatus status, DateTime created, bool fixedTerm)
    {
        if (status != InventoryStatus.Operational)
        {
            var retire = lifecycle.RetireEpoch(slot);
            return Utc(lifecycle.RetiredTicks(slot, retire));
        }

        // A fifth of the services have a contractual end three years after their start.
        return fixedTerm ? created.AddYears(3) : null;
    }

    private IReadOnlyList<EntityRefWire>? SupportingModems(long key, string resourceHrefBase)
    {
        if (initialResourceCount == 0)
        {
            return null;
        }

        var modems = new List<EntityRefWire>(2);
        var wanted = 1 + Pick(2, key, 7);
        for (var n = 0; n < wanted; n++)
        {
            var start = InventoryHash.Pick((int)Math.Min(initialResourceCount, int.MaxValue), seed, Salt.SupportingResource, key, n);
            for (long probe = start, steps = 0; steps < 64; steps++, probe = (probe + 1) % initialResourceCount)
            {
                if (generator.ResourceTypeOf(probe) == ResourceCatalog.ModemIndex)
                {
                    var id = generator.IdOf(InventoryEntity.Resources, probe);
                    modems.Add(new EntityRefWire
                    {
                        Id = id,
                        Href = $"{resourceHrefBase}/{id}",
                        Name = string.Create(CultureInfo.InvariantCulture, $"MODEM-{probe + 1:D6}"),
                        ReferredType = ResourceCatalog.Modem,
                    });
                    break;
                }
            }
        }

        return modems.Count == 0 ? null : modems;
    }

    private IReadOnlyList<RelatedPartyWire> Parties(RelatedPartyRef customer, long key)
    {
        var customerParty = new RelatedPartyWire { Id = customer.Id, Name = customer.Name, Role = "Customer", ReferredType = "Organization" };
        if (Pick(2, key, 8) == 0)
        {
            return [customerParty];
        }

        // Another party, sometimes first: a client must pick the customer by role, not by position.
        var role = InventoryNames.PartyRoles[Pick(InventoryNames.PartyRoles.Length, key, 9)];
        var other = new RelatedPartyWire
        {
            Id = string.Create(CultureInfo.InvariantCulture, $"party-{Pick(9_000, key, 10) + 1_000}"),
            Name = role == "Reseller" ? directory.Customer(Salt.Relationship, key).Name : $"{role} {Pick(900, key, 11) + 100}",
            Role = role,
            ReferredType = role == "Reseller" ? "Organization" : "Individual",
        };
        return Pick(2, key, 12) == 0 ? [other, customerParty] : [customerParty, other];
    }

    private static PlaceWire Place(RelatedPartyRef place, string role) =>
        new() { Id = place.Id, Name = place.Name, Role = role, ReferredType = "GeographicSite" };

    private ServiceRelationshipWire Relies(long slot, long key, string hrefBase)
    {
        var other = Pick((int)Math.Min(slot, int.MaxValue), key, 13);
        var id = generator.IdOf(InventoryEntity.Services, other);
        return new ServiceRelationshipWire
        {
            RelationshipType = "reliesOn",
            Service = new EntityRefWire
            {
                Id = id,
                Href = $"{hrefBase}/{id}",
                Name = string.Create(CultureInfo.InvariantCulture, $"SES-CFS-{other + 1:D6}"),
                ReferredType = "Service",
            },
        };
    }

    private IReadOnlyList<SupportingServiceWire> BandwidthSegments(long slot, long key, string hrefBase)
    {
        var count = 1 + Pick(3, key, 14);
        var segments = new SupportingServiceWire[count];
        for (var n = 0; n < count; n++)
        {
            var high = InventoryHash.Of(seed, Salt.SupportingService, key, n);
            var low = InventoryHash.Of(seed, Salt.SupportingService, key, n + 100);
            var idText = string.Create(CultureInfo.InvariantCulture, $"{high:x16}{low:x16}");

            // Some segments are not Operational CFS: the connector keeps only those that are.
            var cfs = Pick(100, key, 15 + (2 * n)) < 80;
            var operational = Pick(100, key, 16 + (2 * n)) < 85;
            segments[n] = new SupportingServiceWire
            {
                Id = idText,
                Href = $"{hrefBase}/{idText}",
                Name = string.Create(CultureInfo.InvariantCulture, $"BWS-{slot + 1:D6}-{n + 1}"),
                Category = cfs ? "CFS" : "RFS",
                ServiceType = "BandwidthSegment",
                Status = operational ? "Operational" : "Non-Operational",
                State = operational ? "active" : "inactive",
                AtType = cfs ? "CFS" : "RFS",
                ReferredType = "Service",
            };
        }

        return segments;
    }

    private (string Uplink, string Downlink) Frequencies(string band, long key)
    {
        var (upLow, upHigh, downLow, downHigh) = band switch
        {
            "Ka" => (27_500.0, 30_000.0, 17_700.0, 20_200.0),
            "C" => (5_925.0, 6_425.0, 3_700.0, 4_200.0),
            _ => (14_000.0, 14_500.0, 10_950.0, 12_750.0),
        };
        var u = InventoryHash.Unit(seed, Salt.Characteristic, key);
        var up = Math.Round(upLow + ((upHigh - upLow) * u), 1);
        var down = Math.Round(downLow + ((downHigh - downLow) * u), 1);
        return (up.ToString("0.0", CultureInfo.InvariantCulture), down.ToString("0.0", CultureInfo.InvariantCulture));
    }
}
