namespace Satmon.Core.History.Packing;

/// <summary>
/// A value ready to store: row id, Unix ms, value, column number, its row group in the batch and its arrival position
/// (the tie-break: the first arrival wins). Shared by the providers so that both pack the same way.
/// </summary>
public readonly record struct PointEntry(long RowId, long Time, double Value, int Column, int Group, int Arrival)
{
    /// <summary>Orders by time, then column, then arrival: the order values are packed in.</summary>
    public static IComparer<PointEntry> ByTimeColumnArrival { get; } = Comparer<PointEntry>.Create(static (x, y) =>
    {
        var c = x.Time.CompareTo(y.Time);
        if (c == 0)
        {
            c = x.Column.CompareTo(y.Column);
        }

        return c != 0 ? c : x.Arrival.CompareTo(y.Arrival);
    });
}
