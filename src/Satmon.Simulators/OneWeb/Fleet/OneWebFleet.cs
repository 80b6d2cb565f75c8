using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Satmon.Simulators.OneWeb.Fleet;

/// <summary>
/// The deterministic OneWeb fleet: distribution partners → end customers → sites → terminals, one product per
/// terminal. The same (seed, size, epoch) always gives the same fleet, and every relation resolves inside it.
/// Metrics and usage are pure functions of (seed, entity, time) (see the other parts of this class), so tests
/// recompute what the simulator serves.
/// </summary>
public sealed partial class OneWebFleet
{
    private readonly Dictionary<string, OneWebTerminal> _terminalsByImei;
    private readonly Dictionary<string, OneWebProduct> _productsById;
    private readonly Dictionary<string, OneWebOrganization> _organizationsById;
    private readonly Dictionary<string, OneWebSite> _sitesById;
    private readonly Dictionary<string, List<OneWebOrganization>> _customersByPartner;

    /// <summary>Builds the fleet of <paramref name="options"/> (seed, terminal count, granularity, bill cycle).</summary>
    /// <param name="options">Simulator settings.</param>
    /// <param name="epoch">The simulator's start; first-seen dates lie before it and samples exist from
    /// <see cref="OneWebSimulatorOptions.SampleHistory"/> before it.</param>
    public OneWebFleet(OneWebSimulatorOptions options, DateTimeOffset epoch)
    {
        ArgumentNullException.ThrowIfNull(options);
        Seed = options.Seed;
        Granularity = options.Granularity;
        BillCycleReferenceDay = options.BillCycleReferenceDay;
        Epoch = epoch.ToUniversalTime();
        HistoryStart = AlignToInterval(Epoch - options.SampleHistory);

        var count = options.TerminalCount;
        var partnerCount = Math.Max(1, (count + 49) / 50);
        var customerCount = Math.Max(partnerCount, (count + 4) / 5);
        var siteCount = Math.Min(count, Math.Max(customerCount, (int)Math.Ceiling(count * 0.7)));

        var partners = Enumerable.Range(0, partnerCount).Select(NewPartner).ToArray();
        var customers = Enumerable.Range(0, customerCount).Select(j => NewCustomer(j, partners)).ToArray();
        Organizations = [.. partners, .. customers];
        Sites = Enumerable.Range(0, siteCount).Select(s => NewSite(s, customers)).ToArray();

        var terminals = new OneWebTerminal[count];
        var products = new OneWebProduct[count];
        var customerById = customers.ToDictionary(c => c.Id, StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var site = Sites[i % siteCount];
            var customer = customerById[site.OwnerId];
            terminals[i] = NewTerminal(i, i / siteCount + 1, site, customer);
            products[i] = NewProduct(i, terminals[i]);
        }

        Terminals = terminals;
        Products = products;
        _terminalsByImei = terminals.ToDictionary(t => t.Imei, StringComparer.Ordinal);
        _productsById = products.ToDictionary(p => p.Id, StringComparer.Ordinal);
        _organizationsById = Organizations.ToDictionary(o => o.Id, StringComparer.Ordinal);
        _sitesById = Sites.ToDictionary(s => s.Id, StringComparer.Ordinal);
        _customersByPartner = customers.GroupBy(c => c.ParentId!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
    }

    /// <summary>Seed of names, places and metrics.</summary>
    public int Seed { get; }

    /// <summary>The simulator's start time the fleet is anchored to.</summary>
    public DateTimeOffset Epoch { get; }

    /// <summary>Start of the first interval that has performance samples.</summary>
    public DateTimeOffset HistoryStart { get; }

    /// <summary>Length of one performance interval.</summary>
    public TimeSpan Granularity { get; }

    /// <summary>Day of the month on which bill cycles start.</summary>
    public int BillCycleReferenceDay { get; }

    /// <summary>Distribution partners first, then end customers, each in id order.</summary>
    public IReadOnlyList<OneWebOrganization> Organizations { get; }

    /// <summary>Sites in id order.</summary>
    public IReadOnlyList<OneWebSite> Sites { get; }

    /// <summary>Terminals in index order.</summary>
    public IReadOnlyList<OneWebTerminal> Terminals { get; }

    /// <summary>Products in index order (product i is realised by terminal i).</summary>
    public IReadOnlyList<OneWebProduct> Products { get; }

    /// <summary>Looks a terminal up by IMEI.</summary>
    public bool TryGetTerminal(string imei, [NotNullWhen(true)] out OneWebTerminal? terminal) =>
        _terminalsByImei.TryGetValue(imei, out terminal);

    /// <summary>Looks a product up by id.</summary>
    public bool TryGetProduct(string id, [NotNullWhen(true)] out OneWebProduct? product) =>
        _productsById.TryGetValue(id, out product);

    /// <summary>Looks an organization up by id.</summary>
    public bool TryGetOrganization(string id, [NotNullWhen(true)] out OneWebOrganization? organization) =>
        _organizationsById.TryGetValue(id, out organization);

    /// <summary>Looks a site up by id.</summary>
    public bool TryGetSite(string id, [NotNullWhen(true)] out OneWebSite? site) =>
        _sitesById.TryGetValue(id, out site);

    /// <summary>End customers of one distribution partner (empty for anything else).</summary>
    public IReadOnlyList<OneWebOrganization> CustomersOf(string partnerId) =>
        _customersByPartner.TryGetValue(partnerId, out var list) ? list : [];

    /// <summary>Start of the interval holding <paramref name="time"/>; intervals are aligned to UTC midnight.</summary>
    public DateTimeOffset AlignToInterval(DateTimeOffset time)
    {
        var ticks = time.UtcTicks;
        return new DateTimeOffset(ticks - (ticks % Granularity.Ticks), TimeSpan.Zero);
    }

    private OneWebOrganization NewPartner(int j)
    {
        var names = FleetNames.PartnerNames;
        var offset = StableHash.Pick(names.Length, Seed, Salt.Name, -1);
        var trading = names[(j + offset) % names.Length] + (j >= names.Length ? $" {(j / names.Length) + 1}" : "");
        var suffix = FleetNames.PartnerSuffixes[StableHash.Pick(FleetNames.PartnerSuffixes.Length, Seed, Salt.Name, j)];
        return new OneWebOrganization(Id("DP-", j), $"{trading} {suffix}", trading, OneWebOrganizationType.DistributionPartner, null);
    }

    private OneWebOrganization NewCustomer(int j, OneWebOrganization[] partners)
    {
        var prefixes = FleetNames.CustomerPrefixes;
        var industries = FleetNames.CustomerIndustries;
        var combos = prefixes.Length * industries.Length;
        var n = (j + StableHash.Pick(combos, Seed, Salt.Name, -2)) % combos;
        var trading = $"{prefixes[n % prefixes.Length]} {industries[n / prefixes.Length]}" + (j >= combos ? $" {(j / combos) + 1}" : "");
        return new OneWebOrganization(Id("CUST-", j), trading, trading, OneWebOrganizationType.EndCustomer, partners[j % partners.Length].Id);
    }

    private OneWebSite NewSite(int s, OneWebOrganization[] customers)
    {
        var owner = customers[s % customers.Length];
        var place = FleetNames.Places[StableHash.Pick(FleetNames.Places.Length, Seed, Salt.Place, s)];
        var suffix = FleetNames.SiteSuffixes[(s / customers.Length) % FleetNames.SiteSuffixes.Length];
        var lat = Math.Round(place.Latitude + StableHash.Between(-0.05, 0.05, Seed, Salt.Jitter, s, 1), 4);
        var lon = Math.Round(place.Longitude + StableHash.Between(-0.05, 0.05, Seed, Salt.Jitter, s, 2), 4);
        return new OneWebSite(Id("SITE-", s), $"{owner.TradingName} {place.City} {suffix}", owner.Id, place.City, place.Country, lat, lon);
    }

    private OneWebTerminal NewTerminal(int i, int numberAtSite, OneWebSite site, OneWebOrganization customer)
    {
        var serial = (long)((StableHash.Of(Seed, Salt.Identity, 0) + (ulong)i) % 1_000_000UL);
        var body = "35586600" + serial.ToString("D6", CultureInfo.InvariantCulture);
        var imei = body + LuhnDigit(body);
        var imsi = "90118" + ((StableHash.Of(Seed, Salt.Identity, 1) + (ulong)i) % 10_000_000_000UL).ToString("D10", CultureInfo.InvariantCulture);
        var hw = FleetNames.Hardware[StableHash.Pick(FleetNames.Hardware.Length, Seed, Salt.Hardware, i)];
        var firmware = $"{hw.FirmwarePrefix}.{10 + StableHash.Pick(10, Seed, Salt.Hardware, i, 1)}";
        var firstSeen = Epoch.AddDays(-StableHash.Between(30, 700, Seed, Salt.FirstSeen, i));
        firstSeen = new DateTimeOffset(firstSeen.UtcTicks - (firstSeen.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        var components = FleetNames.ComponentCodes.Select((code, c) => new OneWebComponent(
            $"{imei}-{code}",
            code,
            $"{code}-{StableHash.Pick(100_000, Seed, Salt.Hardware, i, 10 + c):D5}",
            code == "MDM" ? firmware : $"{1 + c}.{StableHash.Pick(9, Seed, Salt.Hardware, i, 20 + c)}.0")).ToArray();
        var word = customer.TradingName.Split(' ')[0];
        return new OneWebTerminal(
            i,
            imei,
            imsi,
            $"{word}-{site.City.Replace(" ", "", StringComparison.Ordinal)}-UT{numberAtSite}",
            $"{hw.SerialPrefix}-{2200 + StableHash.Pick(300, Seed, Salt.Hardware, i, 2)}-{serial:D6}",
            hw.Manufacturer,
            hw.Model,
            firmware,
            firstSeen,
            site.Id,
            customer.ParentId!,
            customer.Id,
            "SC-" + (900_000_000_000UL + (StableHash.Of(Seed, Salt.Identity, 2) % 90_000_000_000UL) + (ulong)i).ToString(CultureInfo.InvariantCulture),
            Math.Round(site.Latitude + StableHash.Between(-0.002, 0.002, Seed, Salt.Jitter, i, 3), 5),
            Math.Round(site.Longitude + StableHash.Between(-0.002, 0.002, Seed, Salt.Jitter, i, 4), 5),
            components);
    }

    private OneWebProduct NewProduct(int i, OneWebTerminal terminal)
    {
        var plan = FleetNames.Plans[StableHash.Pick(FleetNames.Plans.Length, Seed, Salt.Plan, i)];
        var contract = 93_000_000_000_000UL + (StableHash.Of(Seed, Salt.Identity, 3) % 6_000_000_000_000UL) + (ulong)i;
        var start = new DateTimeOffset(terminal.FirstSeen.UtcDateTime.Date, TimeSpan.Zero);
        return new OneWebProduct(
            i, terminal.ProductId, plan.Name, plan.Id, "Site Connectivity", start,
            "SC-" + contract.ToString(CultureInfo.InvariantCulture), terminal.Imei, terminal.SiteId,
            terminal.DistributionPartnerId, terminal.EndCustomerId,
            plan.CirMbps, plan.MirMbps, plan.UplinkMirMbps, plan.EntitlementGb, plan.BlockGb);
    }

    private static string Id(string prefix, int index) =>
        prefix + (index + 1).ToString("D4", CultureInfo.InvariantCulture);

    // IMEIs end in a Luhn check digit, as real ones do; a connector may validate it.
    private static char LuhnDigit(string digits)
    {
        var sum = 0;
        for (var k = 0; k < digits.Length; k++)
        {
            var d = digits[digits.Length - 1 - k] - '0';
            if (k % 2 == 0)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
        }

        return (char)('0' + ((10 - (sum % 10)) % 10));
    }
}
