using System.Text;
using Satmon.Core.Tables;

namespace Satmon.Core.Tests.Tables;

public class TableCursorTests
{
    private static readonly TableDefinition Terminals = new("terminals", "Terminals", "Object Name",
    [
        new ColumnDefinition("latency", ColumnType.Number, "ms", Trended: true),
        new ColumnDefinition("terminalStatus", ColumnType.Enum),
        new ColumnDefinition("lastReportTime", ColumnType.Timestamp),
        new ColumnDefinition("online", ColumnType.Bool),
    ]);

    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 8, 0, 0, 123, TimeSpan.Zero);

    public static TheoryData<string, bool, object?> Positions => new()
    {
        { "latency", false, 0.1 + 0.2 },
        { "latency", true, null },
        { "terminalStatus", false, "on\"line / é" },
        { "lastReportTime", true, T0 },
        { "online", false, true },
        { "key", true, null },
    };

    [Theory]
    [MemberData(nameof(Positions))]
    public void Parse_TokenOfEncode_GivesBackTheSamePositionTyped(string column, bool descending, object? value)
    {
        var cursor = new TableCursor(column, descending, value, "obj/1 ü");
        var token = cursor.Encode();

        var query = QueryParser.Parse(Terminals, [], (descending ? "-" : "") + column, null, 50, token);

        Assert.Equal(cursor, query.After);
        Assert.DoesNotContain(token, c => c is '+' or '/' or '=' or '&');
    }

    [Fact]
    public void After_RowAndSortSpelledInAnotherCase_TakesTheRowsValue()
    {
        var row = new TableRow("k1", new Dictionary<string, object?> { ["latency"] = 12.5 });

        Assert.Equal(new TableCursor("LATENCY", true, 12.5, "k1"), TableCursor.After(row, "LATENCY", true));
        Assert.Equal(new TableCursor("key", false, null, "k1"), TableCursor.After(row, null, false));
    }

    [Theory]
    [InlineData("not base64 !")]
    [InlineData("bm90IGpzb24")]
    [InlineData("e30")]
    public void Parse_MalformedCursor_400NamingCursor(string token)
    {
        var error = Assert.Throws<QueryParseException>(() => QueryParser.Parse(Terminals, [], "latency", null, null, token));
        Assert.StartsWith("cursor is not a page cursor", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_CursorOfAnotherSort_RefusedSayingWhichSortItNeeds()
    {
        var token = new TableCursor("latency", true, 3.0, "k").Encode();

        var error = Assert.Throws<QueryParseException>(() => QueryParser.Parse(Terminals, [], "latency", null, null, token));

        Assert.Contains("sort '-latency'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_CursorWithOffset_Refused() =>
        Assert.Contains("cursor and offset", Assert.Throws<QueryParseException>(() =>
            QueryParser.Parse(Terminals, [], null, 10, null, new TableCursor("key", false, null, "k").Encode())).Message, StringComparison.Ordinal);

    [Fact]
    public void Parse_CursorValueOfWrongType_Refused()
    {
        var token = Convert.ToBase64String(Encoding.UTF8.GetBytes("""{"s":"latency","d":false,"k":"k","v":"fast"}""")).TrimEnd('=');

        var error = Assert.Throws<QueryParseException>(() => QueryParser.Parse(Terminals, [], "latency", null, null, token));

        Assert.Contains("does not fit column 'latency'", error.Message, StringComparison.Ordinal);
    }
}
