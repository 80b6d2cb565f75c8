using Satmon.Connectors.OneWeb.Client;
using Satmon.Core.History;
using Satmon.Core.Tables;

namespace Satmon.Connectors.OneWeb;

/// <summary>
/// Turns a TMF677 usage consumption report (reference §5.7) into the product's usage row and its trended points at the
/// report's effective date. The amounts are cumulative since the bill-cycle reference date and reset with the cycle.
/// </summary>
internal static class UsageMapper
{
    public static (TableRow Row, IEnumerable<HistoryPoint> Points) Usage(WireUsageReport report, WireCheck c)
    {
        var effective = c.Require(report.EffectiveDate, "effectiveDate");
        var buckets = c.Require(report.Bucket, "bucket");
        var bucket = buckets.FirstOrDefault(b => string.Equals(b.UsageType, "data", StringComparison.OrdinalIgnoreCase))
            ?? buckets.FirstOrDefault()
            ?? throw c.Missing("bucket[0]");
        var b = c with { Item = "usage bucket of report", Unmapped = bucket.Unmapped };
        var productId = b.RequireText(bucket.Product?.FirstOrDefault()?.Id, "bucket.product[0].id");
        var balance = b.Require(bucket.BucketBalance?.FirstOrDefault(), "bucket.bucketBalance[0]");
        var remaining = b.Require(balance.RemainingValue, "bucket.bucketBalance[0].remainingValue");
        var counters = b.Require(bucket.BucketCounter, "bucket.bucketCounter");
        double Counter(string type) =>
            b.Require(counters.FirstOrDefault(x => string.Equals(x.CounterType, type, StringComparison.OrdinalIgnoreCase))?.Value?.Amount,
                $"bucket.bucketCounter[counterType={type}].value.amount");

        var values = new Dictionary<string, object?>
        {
            ["product"] = productId,
            ["reportId"] = report.Id,
            ["billCycleStart"] = b.Require(balance.ValidFor?.StartDateTime, "bucket.bucketBalance[0].validFor.startDateTime"),
            ["billCycleEnd"] = balance.ValidFor?.EndDateTime,
            ["monthlyEntitlement"] = Counter("entitlement"),
            ["used"] = Counter("used"),
            ["remainingAllowance"] = b.Require(remaining.Amount, "bucket.bucketBalance[0].remainingValue.amount"),
            ["overageBlocksConsumed"] = Counter("overageBlocksConsumed"),
            ["currentBalance"] = Counter("balance"),
            ["units"] = remaining.Units,
            ["effectiveDate"] = effective,
        };
        var row = new TableRow(productId, values);
        return (row, HistoryPoints.FromRows(OneWebTables.UsageConsumptionTable, [row], effective));
    }
}
