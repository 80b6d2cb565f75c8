namespace Satmon.Core.History.Packing;

/// <summary>Min, max, sum and count of the points of one series in one bucket.</summary>
public readonly record struct Aggregate(double Min, double Max, double Sum, long Count)
{
    /// <summary>The aggregate of a single value.</summary>
    public static Aggregate Of(double value) => new(value, value, value, 1);

    /// <summary>Combines two aggregates of disjoint point sets.</summary>
    public Aggregate Add(in Aggregate other) =>
        new(Math.Min(Min, other.Min), Math.Max(Max, other.Max), Sum + other.Sum, Count + other.Count);

    /// <summary>Adds one value.</summary>
    public Aggregate Add(double value) => new(Math.Min(Min, value), Math.Max(Max, value), Sum + value, Count + 1);
}
