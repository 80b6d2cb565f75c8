using System.Collections.Concurrent;

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

    public void Clear()
    {
        Batch = null;
        Tables.Clear();
        Latest.Clear();
        Spans.Clear();
        NewestSpans.Clear();
    }
}

/// <summary>The ids of one history table: all its columns (loaded whole, numbers are assigned here) and the rows used.</summary>
internal sealed class TableHistory(long id)
{
    public long Id { get; } = id;

    public Dictionary<string, int> Columns { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, long> Rows { get; } = new(StringComparer.Ordinal);
}
