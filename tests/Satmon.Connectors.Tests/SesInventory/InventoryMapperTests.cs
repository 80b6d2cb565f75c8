using System.Text.Json;
using Satmon.Connectors.SesInventory;
using D = Satmon.Connectors.SesInventory.SesInventoryDefinitions;

namespace Satmon.Connectors.Tests.SesInventory;

/// <summary>The wire reading and field mapping, on the payload shapes of reference §8.3–§8.6.</summary>
public sealed class InventoryMapperTests
{
    // Reference §8.3 (SES-flavoured service), with a second place and the v5 party shape mixed in.
    private const string ServiceJson = """
        [{
          "id": "0f1e2d3c4b5a69788796a5b4c3d2e1f0", "externalId": "CFS-000123", "name": "SES-CFS-000123",
          "description": "Managed connectivity service", "status": "Operational", "@type": "CFS", "category": "CFS",
          "startDate": "2024-01-15T12:26:11Z", "endDate": null, "lastUpdate": "2025-06-01T08:00:00Z",
          "relatedParty": [{"id": "acct-0", "name": "SES Ops", "role": "Owner"},
                           {"role": "Customer", "partyOrPartyRole": {"id": "acct-1", "name": "ACME Maritime"}}],
          "place": [{"id": "gw-1", "name": "GW-BETZDORF", "role": "Gateway"}, {"id": "site-9", "name": "Betzdorf", "role": "Site"}],
          "serviceCharacteristic": [{"name": "bandwidthMbps", "valueType": "string", "value": "200"}],
          "supportingResource": [{"id": "res-777", "name": "MODEM-0042", "@referredType": "Modem"}]
        }]
        """;

    // Reference §8.4 (carrier), wrapped the ServiceNow way, characteristic names in another style, a non-CFS service.
    private const string CarrierJson = """
        {"result": [{
          "id": "7c6b5a4938271605f4e3d2c1b0a99887", "externalId": "CAR-0815", "name": "CAR-0815", "status": 1,
          "@type": "element", "lastUpdate": "2025-06-01T08:00:00Z",
          "place": [{"name": "GW-BETZDORF", "role": "Gateway"}, {"name": "TERM-0042", "role": "Terminal"}],
          "serviceCharacteristic": [
            {"name": "ElementType", "value": "Carrier"}, {"name": "type", "value": "Forward"},
            {"name": "Uplink Alias", "value": "UL-CAR-0815"}, {"name": "downlink_alias", "value": "DL-CAR-0815"},
            {"name": "uplinkRfCenterFrequency", "valueType": "number", "value": "14250.5"},
            {"name": "downlinkRfCenterFrequency", "valueType": "number", "value": 11450.5}],
          "supportingResource": [{"id": "sat-1", "name": "SES-17", "@referredType": "Satellite"},
                                 {"id": "tp-1", "name": "SES-17 TP 3K", "@referredType": "Transponder"}],
          "supportingService": [{"id": "bws-1", "name": "BWS-0001", "category": "CFS", "status": "Operational"},
                                {"id": "bws-2", "name": "BWS-0002", "category": "CFS", "status": "Retired"},
                                {"id": "rfs-1", "name": "RFS-0001", "category": "RFS", "status": "Operational"}]
        }], "meta": {"ignored": true}}
        """;

    // Reference §8.5 (v4 resource: place is one object) and §8.6 (ServiceNow: type only in @type), plus an excluded type.
    private const string ResourcesJson = """
        [
          {"id": "res-777", "name": "MODEM-0042", "category": "modem", "operationalState": "enable",
           "resourceSpecification": {"id": "rs-modem", "name": "Modem"},
           "resourceCharacteristic": [{"name": "serialNumber", "valueType": "string", "value": "SN123"}],
           "resourceRelationship": [{"relationshipType": "contains", "resource": {"id": "res-778"}}],
           "relatedParty": [{"id": "acct-1", "role": "Owner"}],
           "place": {"id": "site-9", "role": "InstallationAddress"}, "@type": "PhysicalResource"},
          {"id": "915da8e140ddc910f8772175cacd72de", "name": "IOM-01", "@type": "cmdb_ci_ni_interface", "status": "Operational"},
          {"id": "res-900", "name": "CARD-1", "resourceSpecification": {"name": "Card"}},
          {"id": null, "name": "no id", "category": "Antenna"}
        ]
        """;

    [Fact]
    public void MapService_ReferenceShape_MapsSeedFields()
    {
        var page = JsonSerializer.Deserialize(ServiceJson, SesInventoryJsonContext.Default.ServicePage)!;

        var item = SesInventoryMapper.MapService(page.Items.Single());

        Assert.Equal("CFS-000123", item.Id);
        var f = item.Record!.Fields;
        Assert.Equal("SES-CFS-000123", f[D.Name]);
        Assert.Equal("Operational", f[D.Status]);
        Assert.Equal("CFS", f[D.Type]);
        Assert.Equal(new DateTimeOffset(2024, 1, 15, 12, 26, 11, TimeSpan.Zero), f[D.StartDate]);
        Assert.Null(f[D.EndDate]);
        Assert.Equal("ACME Maritime", f[D.Customer]);
        Assert.Equal("Betzdorf", f[D.Site]);
        Assert.Contains("bandwidthMbps", (string)f[D.Characteristics]!, StringComparison.Ordinal);
        Assert.Contains("res-777", (string)f[D.SupportingResources]!, StringComparison.Ordinal);
    }

    [Fact]
    public void MapCarrier_ResultWrapperAndOtherNameStyles_MapsCharacteristicsAndOperationalCfsOnly()
    {
        var page = JsonSerializer.Deserialize(CarrierJson, SesInventoryJsonContext.Default.ServicePage)!;

        var item = SesInventoryMapper.MapCarrier(page.Items.Single());

        var f = item.Record!.Fields;
        Assert.Equal("CAR-0815", item.Id);
        Assert.Equal("1", f[D.OperationalStatus]);
        Assert.Equal("GW-BETZDORF", f[D.Gateway]);
        Assert.Equal("TERM-0042", f[D.Terminal]);
        Assert.Equal("Carrier", f[D.ElementType]);
        Assert.Equal("Forward", f[D.Type]);
        Assert.Equal("UL-CAR-0815", f[D.UplinkAlias]);
        Assert.Equal("DL-CAR-0815", f[D.DownlinkAlias]);
        Assert.Equal(14250.5, f[D.UplinkRfCenterFrequency]);
        Assert.Equal(11450.5, f[D.DownlinkRfCenterFrequency]);
        Assert.Equal("SES-17", f[D.Satellite]);
        Assert.Equal("SES-17 TP 3K", f[D.Transponder]);
        var segments = JsonDocument.Parse((string)f[D.BandwidthSegments]!).RootElement.EnumerateArray().Select(e => e.GetProperty("id").GetString()).ToList();
        Assert.Equal(["bws-1"], segments);
    }

    [Fact]
    public void MapService_CarrierOrNoId_Dropped()
    {
        var page = JsonSerializer.Deserialize("""[{"externalId": "CAR-1", "@type": "element"}, {"externalId": " ", "name": "x"}, {"name": "y"}]""",
            SesInventoryJsonContext.Default.ServicePage)!;

        var items = page.Items.Select(SesInventoryMapper.MapService).ToList();

        Assert.Equal([DropReason.NotAService, DropReason.NoId, DropReason.NoId], items.Select(i => i.Drop));
        Assert.All(items, i => Assert.Null(i.Record));
    }

    [Fact]
    public void MapResource_TypeInAnyField_ModemNormalisedExcludedDroppedNullIdDropped()
    {
        var page = JsonSerializer.Deserialize(ResourcesJson, SesInventoryJsonContext.Default.ResourcePage)!;

        var items = page.Items.Select(SesInventoryMapper.MapResource).ToList();

        var modem = items[0];
        Assert.True(modem.IsModem);
        Assert.Equal("Modem", modem.Record!.Fields[D.Type]);
        Assert.Equal("enable", modem.Record.Fields[D.Status]);
        Assert.StartsWith("{", (string)modem.Record.Fields[D.Places]!, StringComparison.Ordinal);
        Assert.Contains("res-778", (string)modem.Record.Fields[D.Relationships]!, StringComparison.Ordinal);
        Assert.Equal("cmdb_ci_ni_interface", items[1].Record!.Fields[D.Type]);
        Assert.False(items[1].IsModem);
        Assert.Equal(DropReason.ExcludedType, items[2].Drop);
        Assert.Equal(DropReason.NoId, items[3].Drop);
    }

    [Theory]
    [InlineData("""{"error": {"message": "x"}, "status": "failure"}""")]
    [InlineData("""{"id": "not a list"}""")]
    [InlineData("42")]
    public void ReadPage_NoArrayAnywhere_Refused(string json) =>
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(json, SesInventoryJsonContext.Default.ResourcePage));
}
