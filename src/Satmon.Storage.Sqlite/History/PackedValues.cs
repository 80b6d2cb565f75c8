using System.Buffers.Binary;

namespace Satmon.Storage.Sqlite.History;

/// <summary>
/// Raw values of one row within one hour, as groups by time: the time as ms after the start of the hour (4 bytes), the
/// number of values (2 bytes), then per value its column number (2 bytes) and the value (8-byte double); little-endian,
/// times ascending, columns ascending within a time. One blob holds what one batch brought for the row in that hour, so
/// a batch of many minutes per row writes one record per row and hour instead of one per value.
/// </summary>
internal static class PackedPoints
{
    public const int GroupBytes = 6;
    public const int ValueBytes = 10;

    /// <summary>Bytes needed for <paramref name="entries"/>, sorted by time then column.</summary>
    public static int Size(ReadOnlySpan<PointEntry> entries)
    {
        var size = 0;
        for (var i = 0; i < entries.Length; i++)
        {
            size += ValueBytes + (i == 0 || entries[i].Time != entries[i - 1].Time ? GroupBytes : 0);
        }

        return size;
    }

    /// <summary>Packs entries of one row and hour, sorted by time then column; returns the bytes written.</summary>
    public static int Write(Span<byte> destination, long hour, ReadOnlySpan<PointEntry> entries)
    {
        var hourStart = hour * HistorySchema.HourMs;
        var length = 0;
        var countAt = 0;
        for (var i = 0; i < entries.Length; i++)
        {
            if (i == 0 || entries[i].Time != entries[i - 1].Time)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(destination[length..], (uint)(entries[i].Time - hourStart));
                countAt = length + 4;
                BinaryPrimitives.WriteUInt16LittleEndian(destination[countAt..], 0);
                length += GroupBytes;
            }

            BinaryPrimitives.WriteUInt16LittleEndian(destination[countAt..], (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(destination[countAt..]) + 1));
            BinaryPrimitives.WriteUInt16LittleEndian(destination[length..], (ushort)entries[i].Column);
            BinaryPrimitives.WriteDoubleLittleEndian(destination[(length + 2)..], entries[i].Value);
            length += ValueBytes;
        }

        return length;
    }

    /// <summary>How many values a blob holds.</summary>
    public static int Count(ReadOnlySpan<byte> data)
    {
        var n = 0;
        for (var offset = 0; offset < data.Length;)
        {
            var count = BinaryPrimitives.ReadUInt16LittleEndian(data[(offset + 4)..]);
            n += count;
            offset += GroupBytes + count * ValueBytes;
        }

        return n;
    }

    /// <summary>Calls <paramref name="visit"/> with (ms after the hour's start, column, value) for every value, in order.</summary>
    public static void ForEach<TState>(ReadOnlySpan<byte> data, ref TState state, Visitor<TState> visit)
        where TState : allows ref struct
    {
        for (var offset = 0; offset < data.Length;)
        {
            var at = BinaryPrimitives.ReadUInt32LittleEndian(data[offset..]);
            var count = BinaryPrimitives.ReadUInt16LittleEndian(data[(offset + 4)..]);
            offset += GroupBytes;
            for (var v = 0; v < count; v++, offset += ValueBytes)
            {
                visit(ref state, at, BinaryPrimitives.ReadUInt16LittleEndian(data[offset..]), BinaryPrimitives.ReadDoubleLittleEndian(data[(offset + 2)..]));
            }
        }
    }

    public delegate void Visitor<TState>(ref TState state, uint offsetMs, int column, double value)
        where TState : allows ref struct;

    /// <summary>The union of two blobs of the same row and hour; where both hold a (time, column), the stored value wins.</summary>
    public static byte[] Merge(byte[] stored, byte[] added)
    {
        var values = new List<(uint At, int Column, double Value, int Order)>(Count(stored) + Count(added));
        var order = 0;
        foreach (var data in new[] { stored, added })
        {
            ForEach(data, ref values, (ref List<(uint, int, double, int)> list, uint at, int column, double value) => list.Add((at, column, value, order++)));
        }

        values.Sort(static (x, y) => (x.At, x.Column, x.Order).CompareTo((y.At, y.Column, y.Order)));
        var merged = new List<PointEntry>(values.Count);
        for (var i = 0; i < values.Count; i++)
        {
            if (i == 0 || values[i].At != values[i - 1].At || values[i].Column != values[i - 1].Column)
            {
                merged.Add(new PointEntry(0, values[i].At, values[i].Value, values[i].Column, 0, 0));
            }
        }

        var entries = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(merged);
        var result = new byte[Size(entries)];
        Write(result, 0, entries);
        return result;
    }
}

/// <summary>
/// The aggregates of one row in one bucket: per column, in ascending column order, a 2-byte column number whose top bit
/// marks a bucket of a single point, followed by its value (8 bytes), or else by count (8), min, max and sum (8 each).
/// Most buckets of new series hold one point, so the short form keeps a fresh terminal's rollups a third of the size.
/// </summary>
internal static class PackedRollups
{
    private const ushort Single = 0x8000;

    public static int MaxEntryBytes => 2 + 32;

    public static int EntryBytes(in Aggregate aggregate) => aggregate.Count == 1 ? 10 : 34;

    public static int Write(Span<byte> destination, int columnNo, in Aggregate aggregate)
    {
        if (aggregate.Count == 1)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(destination, (ushort)(columnNo | Single));
            BinaryPrimitives.WriteDoubleLittleEndian(destination[2..], aggregate.Sum);
            return 10;
        }

        BinaryPrimitives.WriteUInt16LittleEndian(destination, (ushort)columnNo);
        BinaryPrimitives.WriteInt64LittleEndian(destination[2..], aggregate.Count);
        BinaryPrimitives.WriteDoubleLittleEndian(destination[10..], aggregate.Min);
        BinaryPrimitives.WriteDoubleLittleEndian(destination[18..], aggregate.Max);
        BinaryPrimitives.WriteDoubleLittleEndian(destination[26..], aggregate.Sum);
        return 34;
    }

    /// <summary>Reads the entry at <paramref name="offset"/>; returns the offset of the next one.</summary>
    public static int Read(ReadOnlySpan<byte> data, int offset, out int columnNo, out Aggregate aggregate)
    {
        var head = BinaryPrimitives.ReadUInt16LittleEndian(data[offset..]);
        columnNo = head & ~Single;
        if ((head & Single) != 0)
        {
            var value = BinaryPrimitives.ReadDoubleLittleEndian(data[(offset + 2)..]);
            aggregate = new Aggregate(value, value, value, 1);
            return offset + 10;
        }

        aggregate = new Aggregate(
            BinaryPrimitives.ReadDoubleLittleEndian(data[(offset + 10)..]),
            BinaryPrimitives.ReadDoubleLittleEndian(data[(offset + 18)..]),
            BinaryPrimitives.ReadDoubleLittleEndian(data[(offset + 26)..]),
            BinaryPrimitives.ReadInt64LittleEndian(data[(offset + 2)..]));
        return offset + 34;
    }

    public static bool TryGet(ReadOnlySpan<byte> data, int columnNo, out Aggregate aggregate)
    {
        for (var offset = 0; offset < data.Length;)
        {
            offset = Read(data, offset, out var column, out aggregate);
            if (column == columnNo)
            {
                return true;
            }

            if (column > columnNo)
            {
                break;
            }
        }

        aggregate = default;
        return false;
    }

    public static int Count(ReadOnlySpan<byte> data)
    {
        var n = 0;
        for (var offset = 0; offset < data.Length; n++)
        {
            offset = Read(data, offset, out _, out _);
        }

        return n;
    }

    /// <summary>
    /// Combines a stored blob with new aggregates of the same row and bucket (the upsert's conflict branch). Both list
    /// columns in ascending order, so one merge walk suffices.
    /// </summary>
    public static byte[] Merge(byte[] stored, byte[] added)
    {
        // Every entry takes at least 10 bytes and at most 34: enough room whatever merges into the long form.
        var result = new byte[(stored.Length + added.Length) / 10 * 34];
        int a = 0, b = 0, length = 0;
        int columnA = 0, columnB = 0, nextA = 0, nextB = 0;
        Aggregate aggregateA = default, aggregateB = default;
        if (a < stored.Length)
        {
            nextA = Read(stored, a, out columnA, out aggregateA);
        }

        if (b < added.Length)
        {
            nextB = Read(added, b, out columnB, out aggregateB);
        }

        while (a < stored.Length || b < added.Length)
        {
            var takeA = a < stored.Length && (b >= added.Length || columnA <= columnB);
            var takeB = b < added.Length && (a >= stored.Length || columnB <= columnA);
            var merged = takeA && takeB ? aggregateA.Add(aggregateB) : takeA ? aggregateA : aggregateB;
            length += Write(result.AsSpan(length), takeA ? columnA : columnB, merged);
            if (takeA && (a = nextA) < stored.Length)
            {
                nextA = Read(stored, a, out columnA, out aggregateA);
            }

            if (takeB && (b = nextB) < added.Length)
            {
                nextB = Read(added, b, out columnB, out aggregateB);
            }
        }

        return result.AsSpan(0, length).ToArray();
    }
}

/// <summary>Min, max, sum and count of the points of one series in one bucket.</summary>
internal readonly record struct Aggregate(double Min, double Max, double Sum, long Count)
{
    public static Aggregate Of(double value) => new(value, value, value, 1);

    public Aggregate Add(in Aggregate other) =>
        new(Math.Min(Min, other.Min), Math.Max(Max, other.Max), Sum + other.Sum, Count + other.Count);

    public Aggregate Add(double value) => new(Math.Min(Min, value), Math.Max(Max, value), Sum + value, Count + 1);
}
