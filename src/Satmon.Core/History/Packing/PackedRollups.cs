using System.Buffers.Binary;

namespace Satmon.Core.History.Packing;

/// <summary>
/// The aggregates of one row in one bucket: per column, in ascending column order, a 2-byte column number whose top bit
/// marks a bucket of a single point, followed by its value (8 bytes), or else by count (8), min, max and sum (8 each).
/// Most buckets of new series hold one point, so the short form keeps a fresh terminal's rollups a third of the size.
/// </summary>
public static class PackedRollups
{
    private const ushort Single = 0x8000;

    /// <summary>Most bytes one column entry can take.</summary>
    public static int MaxEntryBytes => 2 + 32;

    /// <summary>Bytes the entry of <paramref name="aggregate"/> takes.</summary>
    public static int EntryBytes(in Aggregate aggregate) => aggregate.Count == 1 ? 10 : 34;

    /// <summary>Writes one column entry; returns the bytes written.</summary>
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

    /// <summary>Finds the aggregate of one column.</summary>
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

    /// <summary>How many column entries a blob holds.</summary>
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
