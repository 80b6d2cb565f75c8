using System.Collections.Concurrent;
using Satmon.Core.History.Packing;

namespace Satmon.Storage.Postgres.History;

/// <summary>
/// What a node remembers of the elements it writes: table, column and row ids and each row's latest stored time, so
/// that the usual batch (only points newer than anything stored) needs no read. An element's cache is only used by a
/// writer that holds the element's lock, and it is trusted only while the element's batch number in
/// <c>history_writers</c> is the one this node wrote last: any other writer (a node after a takeover, a delete)
/// changes it, and the cache is then dropped.
/// </summary>
internal sealed class HistoryCache
{
    private readonly ConcurrentDictionary<string, ElementHistory> _elements = new(StringComparer.Ordinal);

    public ElementHistory Element(string elementId) => _elements.GetOrAdd(elementId, static _ => new ElementHistory());

    /// <summary>Drops everything cached for an element (it starts on this node, or was deleted).</summary>
    public void Forget(string elementId) => _elements.TryRemove(elementId, out _);
}

/// <summary>The cached ids and latest times of one element; see <see cref="HistoryCache"/>.</summary>
internal sealed class ElementHistory
{
    /// <summary>The batch number this node wrote last; null when nothing was written or known.</summary>
    public long? Batch { get; set; }

    public Dictionary<string, TableHistory> Tables { get; } = new(StringComparer.Ordinal);

    /// <summary>Row id to the latest time stored for it (long.MinValue: none); a missing row must be read.</summary>
    public Dictionary<long, long> Latest { get; } = [];

    /// <summary>
    /// Rollup spans this node wrote, with how many records each holds as far as this node knows (those it wrote since
    /// it last compacted the span): the writer compacts a span when its count gets large. Only a row's newest spans
    /// are kept (<see cref="NewestSpans"/>); older ones see at most a late value now and then.
    /// </summary>
    public Dictionary<(long Row, short Resolution, long SpanStart), int> Spans { get; } = [];

    /// <summary>The newest span start written per row and resolution code.</summary>
    public Dictionary<(long Row, short Resolution), long> NewestSpans { get; } = [];

    /// <summary>What this node wrote since the element's last fold, when it wrote everything since (null otherwise).</summary>
    public PendingRollups? Pending { get; set; }

    public void Clear()
    {
        Batch = null;
        Pending = null;
        Tables.Clear();
        Latest.Clear();
        Spans.Clear();
        NewestSpans.Clear();
    }
}

/// <summary>
/// The 5-minute aggregates of the values written since the fold that left the watermark <see cref="Folded"/>, by row:
/// exactly what the element's raw records not folded yet hold, so that its next fold needs not read them back (min,
/// max, sum and count of a bucket fold into an hour or a day as exactly as its values would).
/// </summary>
internal sealed class PendingRollups(long folded)
{
    /// <summary>
    /// Aggregates held at most (about 14 MB): beyond, the writer drops them and its fold reads the raw records back.
    /// </summary>
    public const int MaxItems = 250_000;

    private static readonly long BucketMs = HistorySchema.Rollup(Core.History.Resolution.FiveMinutes).BucketMs;

    private readonly List<(int Column, Aggregate Aggregate)> _columns = [];
    private int _count;

    public long Folded { get; } = folded;

    /// <summary>Per row, one item per bucket and column (two when a late write reaches back to an older bucket).</summary>
    public Dictionary<long, List<HistoryRecords.Item>> Rows { get; } = [];

    /// <summary>Adds a write's values, ordered by row and time; false when that makes more than <see cref="MaxItems"/>.</summary>
    public bool Add(ReadOnlySpan<PointEntry> entries)
    {
        for (int start = 0, end; start < entries.Length; start = end)
        {
            var row = entries[start].RowId;
            var bucket = HistorySchema.Floor(entries[start].Time, BucketMs);
            for (end = start; end < entries.Length && entries[end].RowId == row && entries[end].Time < bucket + BucketMs; end++)
            {
                HistoryRecords.AddTo(_columns, entries[end].Column, Aggregate.Of(entries[end].Value));
            }

            if (!Rows.TryGetValue(row, out var items))
            {
                Rows[row] = items = [];
            }

            foreach (var (column, aggregate) in _columns)
            {
                // A poll a minute reaches each bucket five times: the bucket's items are the row's last ones.
                var at = items.Count - 1;
                while (at >= 0 && items[at].Time == bucket && items[at].Column != column)
                {
                    at--;
                }

                if (at >= 0 && items[at].Time == bucket)
                {
                    items[at] = items[at] with { Aggregate = items[at].Aggregate.Add(aggregate) };
                }
                else
                {
                    items.Add(new HistoryRecords.Item(bucket, column, aggregate));
                    _count++;
                }
            }

            _columns.Clear();
        }

        return _count <= MaxItems;
    }
}

/// <summary>The ids of one history table: all its columns (loaded whole, numbers are assigned here) and the rows used.</summary>
internal sealed class TableHistory(long id)
{
    public long Id { get; } = id;

    public Dictionary<string, int> Columns { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, long> Rows { get; } = new(StringComparer.Ordinal);
}
