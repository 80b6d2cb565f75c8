using Satmon.Core.Objects;
using Satmon.Core.Tables;

namespace Satmon.Core.Tests.Tables;

public class QueryParserTests
{
    private static readonly TableDefinition Terminals = new("terminals", "Terminals", "Object Name",
    [
        new ColumnDefinition("latency", ColumnType.Number, "ms", Trended: true),
        new ColumnDefinition("terminalStatus", ColumnType.Enum),
        new ColumnDefinition("lastReportTime", ColumnType.Timestamp),
        new ColumnDefinition("online", ColumnType.Bool),
    ]);

    [Fact]
    public void Parse_ClausesJoinedAndRepeated_TypedValues()
    {
        var q = QueryParser.Parse(Terminals, ["latency gt 600 and terminalStatus eq 'ONLINE'", "lastReportTime lt 2026-11-01T00:00:00Z"], "-latency", 100, 50);

        Assert.Equal(3, q.Filters.Count);
        Assert.Equal(new FilterClause("latency", FilterOperator.Gt, 600.0), q.Filters[0]);
        Assert.Equal(new FilterClause("terminalStatus", FilterOperator.Eq, "ONLINE"), q.Filters[1]);
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), q.Filters[2].Value);
        Assert.Equal(("latency", true, 100, 50), (q.SortColumn, q.Descending, q.Offset, q.Limit));
    }

    [Theory]
    [InlineData("speed gt 3", "has no column 'speed'")]
    [InlineData("latency above 3", "operator 'above' is unknown")]
    [InlineData("latency gt fast", "'fast' is not a number")]
    [InlineData("latency contains 3", "'contains' works on text columns only")]
    [InlineData("latency", "is not 'column op value'")]
    [InlineData("online eq maybe", "true/false column")]
    public void Parse_BadFilter_MessageSaysWhatToFix(string filter, string expected)
    {
        var error = Assert.Throws<QueryParseException>(() => QueryParser.Parse(Terminals, [filter], null, null, null));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1, 10, "offset")]
    [InlineData(0, 0, "limit")]
    [InlineData(0, 10_001, "limit")]
    public void Parse_BadPaging_Refused(int offset, int limit, string expected) =>
        Assert.Contains(expected, Assert.Throws<QueryParseException>(() => QueryParser.Parse(Terminals, [], null, offset, limit)).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("key desc", "key", true)]
    [InlineData("LATENCY asc", "latency", false)]
    [InlineData("terminalStatus", "terminalStatus", false)]
    public void Parse_Sort_Forms(string sort, string column, bool descending)
    {
        var q = QueryParser.Parse(Terminals, [], sort, null, null);
        Assert.Equal((column, descending), (q.SortColumn, q.Descending));
    }

    [Fact]
    public void ParseObjects_FieldsAndId_Typed()
    {
        var services = new ObjectDefinition("services", "Services", [new FieldDefinition("status", FieldType.String), new FieldDefinition("bandwidth", FieldType.Number)]);

        var q = QueryParser.ParseObjects(services, "inv-1", ["id contains SVC and bandwidth gt 10"], "-status", null, null);

        Assert.Equal("inv-1", q.ElementId);
        Assert.Equal(new FilterClause("id", FilterOperator.Contains, "SVC"), q.Filters[0]);
        Assert.Equal(10.0, q.Filters[1].Value);
        Assert.Equal(("status", true), (q.SortField, q.Descending));
    }
}
