using Satmon.Core.History.Packing;

namespace Satmon.Core.Tests.History;

public sealed class PackedRollupSpansTests
{
    /// <summary>A span record with one bucket per (index, column, values).</summary>
    private static byte[] Span(params (int Index, int Column, double[] Values)[] buckets)
    {
        using var stream = new MemoryStream();
        foreach (var (index, column, values) in buckets)
        {
            var aggregate = values.Skip(1).Aggregate(Aggregate.Of(values[0]), (a, v) => a.Add(v));
            var entry = new byte[PackedRollups.EntryBytes(aggregate)];
            PackedRollups.Write(entry, column, aggregate);
            var header = new byte[PackedRollupSpans.HeaderBytes];
            PackedRollupSpans.WriteHeader(header, index, entry.Length);
            stream.Write(header);
            stream.Write(entry);
        }

        return stream.ToArray();
    }

    private static Dictionary<(int Index, int Column), Aggregate> Read(byte[] data)
    {
        var result = new Dictionary<(int, int), Aggregate>();
        for (var offset = 0; offset < data.Length;)
        {
            offset = PackedRollupSpans.Read(data, offset, out var index, out var start, out var length);
            for (var at = start; at < start + length;)
            {
                at = PackedRollups.Read(data, at, out var column, out var aggregate);
                result[(index, column)] = aggregate;
            }
        }

        return result;
    }

    [Fact]
    public void Merge_OverlappingAndDisjointBuckets_CombinesPerBucketAndColumn()
    {
        var stored = Span((0, 0, [1]), (3, 0, [2, 4]));
        var added = Span((1, 0, [5]), (3, 0, [6]));

        var merged = Read(PackedRollupSpans.Merge(stored, added));

        Assert.Equal([0, 1, 3], merged.Keys.Select(k => k.Index).Order());
        Assert.Equal(new Aggregate(2, 6, 12, 3), merged[(3, 0)]);
        Assert.Equal(Aggregate.Of(5), merged[(1, 0)]);
        Assert.Equal(3, PackedRollupSpans.Count(PackedRollupSpans.Merge(stored, added)));
    }

    [Fact]
    public void RemoveBefore_CutoffInsideTheSpan_KeepsLaterBucketsAndCountsTheRest()
    {
        var data = Span((0, 0, [1]), (2, 1, [2]), (5, 0, [3]));

        var kept = PackedRollupSpans.RemoveBefore(data, 3, out var removed);

        Assert.Equal(2, removed);
        Assert.Equal([(5, 0)], Read(kept).Keys);
        Assert.Empty(PackedRollupSpans.RemoveBefore(data, 6, out removed));
        Assert.Equal(3, removed);
    }
}
