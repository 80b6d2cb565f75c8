using System.Buffers.Binary;

namespace Satmon.Core.History.Packing;

/// <summary>
/// Raw values of one row within one hour, as groups by time: the time as ms after the start of the hour (4 bytes), the
/// number of values (2 bytes), then per value its column number (2 bytes) and the value (8-byte double); little-endian,
/// times ascending, columns ascending within a time. One blob holds what one batch brought for the row in that hour, so
/// a batch of many minutes per row writes one record per row and hour instead of one per value.
/// </summary>
public static class PackedPoints
{
    /// <summary>Milliseconds in an hour: raw records are per row and hour.</summary>
    public const long HourMs = 3_600_000;

    /// <summary>Floor of Unix ms to the hour number, also before 1970.</summary>
    public static long Hour(long time) => Math.DivRem(time, HourMs, out var remainder) - (remainder < 0 ? 1 : 0);

    /// <summary>Bytes of a group header (time offset and count).</summary>
    public const int GroupBytes = 6;
    /// <summary>Bytes of one value (column number and double).</summary>
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
        var hourStart = hour * HourMs;
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

    /// <summary>Receives one value of a blob.</summary>
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
