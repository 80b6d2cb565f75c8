using System.Text;
using System.Text.Json;
using Satmon.Connectors.OneWeb.Client;

namespace Satmon.Connectors.Tests.OneWeb;

public sealed class OneWebReportBodyReaderTests
{
    private const string Body = """
        { "creationDate": "2026-06-01T06:20:00Z",
          "extra": { "nested": [1, 2, {"reportContent": "not this one"}], "text": "a \"quoted\" } value" },
          "reportContent": [
            { "measurementTime": { "measurementStartDate": "2026-06-01T00:00:00Z", "measurementEndDate": "2026-06-01T00:15:00Z" },
              "measurementDataPoints": [ { "@type": "UserTerminalLinkAvailability", "userTerminalId": "355866000264312", "linkAvailabilityPercent": 99.72 } ] },
            { "measurementTime": { "measurementStartDate": "2026-06-01T00:15:00Z", "measurementEndDate": "2026-06-01T00:30:00Z" },
              "measurementDataPoints": [ { "userTerminalId": "355866000264312", "linkAvailabilityPercent": 12.5 },
                                         { "userTerminalId": "355866000264313", "linkAvailabilityPercent": 100 } ] }
          ],
          "id": "PR-1", "state": "completed" }
        """;

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(100_000)]
    public async Task ReportBodyReader_BodyInChunksOfAnySize_YieldsEveryIntervalAndTheHeader(int chunkBytes)
    {
        var header = new ReportHeader();
        var items = new List<WireReportContent>();

        await foreach (var item in ReportBodyReader.ReadAsync(new ChunkedStream(Body, chunkBytes), header, OneWebJsonContext.Default.WireReportContent,
            TestContext.Current.CancellationToken))
        {
            items.Add(item);
        }

        Assert.Equal("PR-1", header.Id);
        Assert.Equal("completed", header.State);
        Assert.True(header.HasContent);
        Assert.Equal(2, items.Count);
        Assert.Equal(new DateTimeOffset(2026, 6, 1, 0, 15, 0, TimeSpan.Zero), items[1].MeasurementTime!.MeasurementStartDate);
        Assert.Equal([12.5, 100], items[1].MeasurementDataPoints!.Select(p => p.LinkAvailabilityPercent!.Value));
        Assert.Equal("UserTerminalLinkAvailability", items[0].MeasurementDataPoints![0].Type);
    }

    [Fact]
    public async Task ReportBodyReader_CutOffBody_ThrowsJsonException()
    {
        var cut = Body[..(Body.Length / 2)];

        await Assert.ThrowsAnyAsync<JsonException>(async () =>
        {
            await foreach (var _ in ReportBodyReader.ReadAsync(new ChunkedStream(cut, 13), new ReportHeader(), OneWebJsonContext.Default.WireReportContent,
                TestContext.Current.CancellationToken))
            {
            }
        });
    }

    /// <summary>A stream that hands out at most a few bytes per read, like a slow network.</summary>
    private sealed class ChunkedStream(string text, int chunkBytes) : MemoryStream(Encoding.UTF8.GetBytes(text))
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunkBytes));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunkBytes)], cancellationToken);
    }
}
