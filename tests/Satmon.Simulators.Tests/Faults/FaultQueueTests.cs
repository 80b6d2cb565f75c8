using Satmon.Simulators.Faults;

namespace Satmon.Simulators.Tests.Faults;

public sealed class FaultQueueTests
{
    private static bool Any(FaultRule rule) => true;

    [Fact]
    public void TryTake_RulesInOrder_AreUsedUpByCount()
    {
        var queue = new FaultQueue();
        queue.Add(FaultRule.Status(429, count: 2));
        queue.Add(FaultRule.Status(500));

        var codes = new List<int>();
        while (queue.TryTake("/api/x", Any, out var rule))
        {
            codes.Add(rule.StatusCode);
        }

        Assert.Equal([429, 429, 500], codes);
        Assert.Empty(queue.Pending);
    }

    [Fact]
    public void TryTake_PathPrefix_MatchesWholeSegmentsOnly()
    {
        var queue = new FaultQueue();
        queue.Add(FaultRule.Status(503, pathPrefix: "/api/pm"));

        Assert.False(queue.TryTake("/api/pm-reports/1", Any, out _));
        Assert.True(queue.TryTake("/API/pm/1", Any, out _));
    }

    [Fact]
    public void TryTake_RuleWithoutPrefix_AppliesOnlyInTheDefaultScope()
    {
        var queue = new FaultQueue("/api");
        queue.Add(FaultRule.Status(500));

        Assert.False(queue.TryTake("/token", Any, out _));
        Assert.True(queue.TryTake("/api/topic", Any, out _));
    }

    [Fact]
    public void TryTake_KindFilter_LeavesOtherRulesQueued()
    {
        var queue = new FaultQueue();
        queue.Add(FaultRule.Duplicate());
        queue.Add(FaultRule.Status(500));

        Assert.True(queue.TryTake("/x", r => r.Kind == FaultKind.Status, out var taken));
        Assert.Equal(FaultKind.Status, taken.Kind);
        Assert.Equal(FaultKind.Duplicate, Assert.Single(queue.Pending).Rule.Kind);
    }

    [Fact]
    public void Add_InvalidRule_ThrowsNamingTheProperty()
    {
        var queue = new FaultQueue();

        Assert.Equal("Count", Assert.Throws<ArgumentException>(() => queue.Add(FaultRule.Status(500, count: 0))).ParamName);
        Assert.Equal("StatusCode", Assert.Throws<ArgumentException>(() => queue.Add(FaultRule.Status(200))).ParamName);
        Assert.Equal("Delay", Assert.Throws<ArgumentException>(() => queue.Add(FaultRule.Slow(TimeSpan.Zero))).ParamName);
    }
}
