using System.Buffers.Binary;

namespace Satmon.Core.History.Packing;

/// <summary>
/// Several consecutive rollup buckets of one row in one record: the twelve 5-minute buckets of an hour, the 24 hours of
/// a day, the days of a 30-day span. A row then writes one rollup record per span instead of one per bucket, which
/// keeps the number of indexed records a batch writes an order of magnitude below its number of values. Layout, in
/// ascending bucket order: the bucket's index in the span (2 bytes), the length of its entry (4 bytes), then the
/// bucket's <see cref="PackedRollups"/> entry; little-endian.
/// </summary>
public static class PackedRollupSpans
{
    /// <summary>Bytes of a bucket header (index and length).</summary>
    public const int HeaderBytes = 6;

    /// <summary>Writes a bucket header; the entry of <paramref name="length"/> bytes follows it.</summary>
    public static void WriteHeader(Span<byte> destination, int index, int length)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(destination, (ushort)index);
        BinaryPrimitives.WriteInt32LittleEndian(destination[2..], length);
    }

    /// <summary>Reads the bucket at <paramref name="offset"/>: its index and where its entry lies; returns the next offset.</summary>
    public static int Read(ReadOnlySpan<byte> data, int offset, out int index, out int entryStart, out int entryLength)
    {
        index = BinaryPrimitives.ReadUInt16LittleEndian(data[offset..]);
        entryLength = BinaryPrimitives.ReadInt32LittleEndian(data[(offset + 2)..]);
        entryStart = offset + HeaderBytes;
        return entryStart + entryLength;
    }

    /// <summary>How many (bucket, column) aggregates a record holds.</summary>
    public static int Count(ReadOnlySpan<byte> data)
    {
        var n = 0;
        for (var offset = 0; offset < data.Length;)
        {
            offset = Read(data, offset, out _, out var start, out var length);
            n += PackedRollups.Count(data.Slice(start, length));
        }

        return n;
    }

    /// <summary>Combines a stored record with new aggregates of the same row and span; buckets of both are merged.</summary>
    public static byte[] Merge(byte[] stored, byte[] added)
    {
        using var result = new MemoryStream(stored.Length + added.Length);
        var header = new byte[HeaderBytes];
        int a = 0, b = 0;
        while (a < stored.Length || b < added.Length)
        {
            int indexA = int.MaxValue, indexB = int.MaxValue, startA = 0, startB = 0, lengthA = 0, lengthB = 0, nextA = a, nextB = b;
            if (a < stored.Length)
            {
                nextA = Read(stored, a, out indexA, out startA, out lengthA);
            }

            if (b < added.Length)
            {
                nextB = Read(added, b, out indexB, out startB, out lengthB);
            }

            byte[] entry;
            int index;
            if (indexA == indexB)
            {
                entry = PackedRollups.Merge(stored.AsSpan(startA, lengthA).ToArray(), added.AsSpan(startB, lengthB).ToArray());
                index = indexA;
                (a, b) = (nextA, nextB);
            }
            else if (indexA < indexB)
            {
                entry = stored.AsSpan(startA, lengthA).ToArray();
                index = indexA;
                a = nextA;
            }
            else
            {
                entry = added.AsSpan(startB, lengthB).ToArray();
                index = indexB;
                b = nextB;
            }

            WriteHeader(header, index, entry.Length);
            result.Write(header);
            result.Write(entry);
        }

        return result.ToArray();
    }

    /// <summary>
    /// Drops the buckets whose index is below <paramref name="firstKept"/> (retention); returns the rest, empty when
    /// nothing is left, and how many (bucket, column) aggregates went.
    /// </summary>
    public static byte[] RemoveBefore(byte[] data, int firstKept, out int removed)
    {
        removed = 0;
        for (var offset = 0; offset < data.Length;)
        {
            var next = Read(data, offset, out var index, out var start, out var length);
            if (index >= firstKept)
            {
                return data.AsSpan(offset).ToArray();
            }

            removed += PackedRollups.Count(data.AsSpan(start, length));
            offset = next;
        }

        return [];
    }
}
