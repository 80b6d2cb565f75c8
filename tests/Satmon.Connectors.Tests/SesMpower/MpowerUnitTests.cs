using Microsoft.Extensions.Time.Testing;
using Satmon.Connectors.Http;
using Satmon.Connectors.SesMpower;
using Satmon.Core.Settings;

namespace Satmon.Connectors.Tests.SesMpower;

/// <summary>The pure parts: window splitting, mapping, error bodies, settings validation, the pausable timeout.</summary>
public sealed class MpowerUnitTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Windows_TenDaysWithSevenDayRange_TwoWindowsJoinedBySeamNoneLongerThanRange()
    {
        var windows = MpowerPuller.Windows(T0, T0.AddDays(10), TimeSpan.FromDays(7)).ToList();

        Assert.Equal(2, windows.Count);
        Assert.Equal(T0, windows[0].From);
        Assert.Equal(T0.AddDays(10), windows[^1].To);
        Assert.All(windows, w => Assert.True(w.To - w.From <= TimeSpan.FromDays(7)));
        // Both bounds are exclusive: the next window starts before the previous end so nothing at the seam is lost.
        Assert.True(windows[1].From < windows[0].To);
    }

    [Fact]
    public void Windows_EmptyRange_NoWindow()
    {
        Assert.Empty(MpowerPuller.Windows(T0, T0, TimeSpan.FromDays(7)));
    }

    [Fact]
    public void ToRow_FullMessage_RowHasEveryColumnAndUtcReportTime()
    {
        var message = new PmMessage
        {
            EventId = "e1",
            EventTime = new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.FromHours(2)),
            Event = new PmEvent
            {
                Key = new PmKey { ObjectName = "TERM-000001", SiteName = "Vessel Aurora", VnoId = "VNO-1" },
                Metrics = new PmMetrics { Latency = 142.5, ForwardEsNo = double.NaN, TerminalStatus = "online" },
            },
        };

        Assert.True(MpowerMapper.TryMap(message, out var sample));
        var row = MpowerMapper.ToRow(sample);

        Assert.Equal("TERM-000001", sample.Key);
        Assert.Equal("TERM-000001", row.Key);
        Assert.True(sample.Online);
        Assert.Equal(TimeSpan.Zero, sample.Time.Offset);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero), row.Values["lastReportTime"]);
        Assert.Equal(142.5, row.Values["latency"]);
        Assert.Equal("Vessel Aurora", row.Values["siteName"]);
        Assert.Null(row.Values["forwardEsNo"]);
        Assert.Equal(MpowerTables.TerminalsTable.Columns.Select(c => c.Name).Order(), row.Values.Keys.Order());
    }

    [Fact]
    public void TryMap_NoObjectName_Refused()
    {
        Assert.False(MpowerMapper.TryMap(new PmMessage { EventTime = T0, Event = new PmEvent { Key = new PmKey() } }, out _));
    }

    [Fact]
    public void AddHistoryPoints_TwoTimes_OnePointPerPresentMetricAtEachEventTime()
    {
        var samples = new[] { T0, T0, T0.AddMinutes(1) }
            .Select((t, i) => MpowerMapper.TryMap(
                new PmMessage
                {
                    EventTime = t,
                    Event = new PmEvent { Key = new PmKey { ObjectName = $"T{i}" }, Metrics = new PmMetrics { Latency = i, Heading = 90 } },
                },
                out var s) ? s : throw new InvalidOperationException())
            .ToList();
        var points = new List<Core.History.HistoryPoint>();

        samples.ForEach(s => MpowerMapper.AddHistoryPoints(points, s));

        Assert.Equal(6, points.Count);
        Assert.Equal([T0, T0, T0, T0, T0.AddMinutes(1), T0.AddMinutes(1)], points.Select(p => p.Time));
        Assert.Contains(points, p => p is { Table: "terminals", Key: "T2", Column: "latency", Value: 2 });
    }

    [Fact]
    public void LatestPerTerminal_LateAndRepeatedSamples_NewestOfEachTerminal()
    {
        var samples = new[] { ("A", 2), ("B", 1), ("A", 5), ("A", 3) }
            .Select(x => new TerminalSample(x.Item1, T0.AddMinutes(x.Item2), new PmKey(), new PmMetrics()))
            .ToList();

        var latest = MpowerTerminalIndex.LatestPerTerminal(samples);

        Assert.Equal([("A", T0.AddMinutes(5)), ("B", T0.AddMinutes(1))], latest.Select(s => (s.Key, s.Time)).Order());
    }

    [Theory]
    [InlineData("""{"code":"internalError","reason":"Boom","message":"Try later"}""", "internalError", "Boom Try later")]
    [InlineData("""{"error":"invalid_grant","error_description":"Invalid user credentials"}""", "invalid_grant", "Invalid user credentials")]
    [InlineData("""[{"code":"tooLargeDataset","reason":"Range over 7 days","propertyPath":"/eventTime.lt"}]""", "tooLargeDataset",
        "tooLargeDataset: Range over 7 days at /eventTime.lt")]
    [InlineData("<html>\n<body>Bad gateway</body></html>", null, "<html> <body>Bad gateway</body></html>")]
    public void VendorErrorBody_KnownConventions_CodeAndDetail(string body, string? code, string detail)
    {
        var parsed = VendorErrorBody.Parse(body);

        Assert.Equal(code, parsed.Code);
        Assert.Equal(detail, parsed.Detail);
    }

    [Theory]
    [InlineData(SesMpowerSettingKeys.MaxHistoryRange, "10", "between 60 and 2592000 seconds")]
    [InlineData(SesMpowerSettingKeys.PageSize, "0", "between 1 and 100000")]
    [InlineData(SesMpowerSettingKeys.TokenUrl, "not a url", "absolute http or https URL")]
    [InlineData(SesMpowerSettingKeys.AutoRemoval, "maybe", "true or false")]
    public void Settings_OutOfRange_RefusedNamingTheKey(string key, string value, string expected)
    {
        var values = new Dictionary<string, string?>
        {
            [SesMpowerSettingKeys.ClientId] = "c",
            [SesMpowerSettingKeys.Username] = "u",
            [SesMpowerSettingKeys.Password] = "p",
            [key] = value,
        };

        var errors = SettingsValidator.Validate(MpowerOptions.Definitions, values);

        var error = Assert.Single(Assert.Single(errors).Value);
        Assert.Contains(key, error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_Defaults_ValidAndReadBackTyped()
    {
        var values = new Dictionary<string, string?>
        {
            [SesMpowerSettingKeys.ClientId] = "c", [SesMpowerSettingKeys.Username] = "u", [SesMpowerSettingKeys.Password] = "Zq9-secret",
        };

        Assert.Empty(SettingsValidator.Validate(MpowerOptions.Definitions, values));
        var options = MpowerOptions.From(new ElementSettings(MpowerOptions.Definitions, values));

        Assert.Equal(TimeSpan.FromDays(7), options.MaxHistoryRange);
        Assert.Equal("eventTime.gt", options.RangeFromParameter);
        Assert.Equal(new Uri("https://ses-n-brace.com/nbrace/backend/nbrace-performance/api/pm-reports/x"), options.ApiUrl("pm-reports/x"));
        Assert.DoesNotContain("Zq9-secret", options.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void RequestTimeout_PausedWhileCallerWorks_OnlyVendorTimeCounts()
    {
        var time = new FakeTimeProvider(T0);
        using var timeout = new RequestTimeout(TimeSpan.FromSeconds(30), time, TestContext.Current.CancellationToken);

        time.Advance(TimeSpan.FromSeconds(20));
        timeout.Pause();
        time.Advance(TimeSpan.FromMinutes(5));
        Assert.False(timeout.Token.IsCancellationRequested);

        timeout.Restart();
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(timeout.HasExpired);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(timeout.HasExpired);
        Assert.True(timeout.Token.IsCancellationRequested);
    }
}
