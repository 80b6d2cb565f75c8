using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Satmon.Simulators.SesMpower;

/// <summary>
/// Pure, platform-independent pseudo-random numbers: every value is a hash of (seed, terminal, salt, time), so any
/// sample can be regenerated on its own without replaying a random sequence.
/// </summary>
internal static class FleetHash
{
    // Namespace of the name-based event ids, so they cannot collide with other simulators' ids.
    private static readonly Guid EventIdNamespace = new("5d1b9c3e-7a42-4f0e-9b61-2c8e4a7d3f10");

    public static ulong Of(int seed, int terminal, Salt salt, long value) =>
        Mix(Mix(Mix(((ulong)(uint)seed << 32) | (uint)salt) ^ (ulong)(uint)terminal) ^ (ulong)value);

    /// <summary>Uniform in [0, 1).</summary>
    public static double Unit(int seed, int terminal, Salt salt, long value = 0) =>
        (Of(seed, terminal, salt, value) >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [-1, 1).</summary>
    public static double Signed(int seed, int terminal, Salt salt, long value) => (2 * Unit(seed, terminal, salt, value)) - 1;

    /// <summary>Uniform in [min, max).</summary>
    public static double Between(int seed, int terminal, Salt salt, double min, double max) =>
        min + ((max - min) * Unit(seed, terminal, salt));

    /// <summary>Index in [0, count).</summary>
    public static int Pick(int seed, int terminal, Salt salt, int count) => (int)(Of(seed, terminal, salt, 0) % (ulong)count);

    /// <summary>
    /// Noise in [-1, 1] that changes smoothly: random knots every <paramref name="periodSeconds"/>, cosine-blended
    /// between them, so metrics drift instead of jumping from one sample to the next.
    /// </summary>
    public static double Smooth(int seed, int terminal, Salt salt, long unixSeconds, long periodSeconds)
    {
        var knot = Math.DivRem(unixSeconds, periodSeconds, out var into);
        if (into < 0)
        {
            knot--;
            into += periodSeconds;
        }

        var a = Signed(seed, terminal, salt, knot);
        var b = Signed(seed, terminal, salt, knot + 1);
        var weight = (1 - Math.Cos(Math.PI * into / periodSeconds)) / 2;
        return a + ((b - a) * weight);
    }

    /// <summary>RFC 9562 version-8 name-based UUID (SHA-256, as in its appendix B.2) of one sample.</summary>
    public static string EventId(int seed, int terminal, long unixSeconds)
    {
        Span<byte> name = stackalloc byte[32];
        EventIdNamespace.TryWriteBytes(name, bigEndian: true, out _);
        BinaryPrimitives.WriteInt32BigEndian(name[16..], seed);
        BinaryPrimitives.WriteInt32BigEndian(name[20..], terminal);
        BinaryPrimitives.WriteInt64BigEndian(name[24..], unixSeconds);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(name, hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true).ToString();
    }

    // SplitMix64 finalizer: cheap and well distributed.
    private static ulong Mix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}

/// <summary>Independent random streams per purpose; never renumber (that would change every generated fleet).</summary>
internal enum Salt
{
    Platform = 1,
    Region = 2,
    RegionLatitude = 3,
    RegionLongitude = 4,
    NameA = 5,
    NameB = 6,
    Vno = 7,
    Customer = 8,
    Contract = 9,
    ContractYear = 10,
    Mir = 11,
    CirShare = 12,
    ReturnShare = 13,
    Speed = 14,
    Radius = 15,
    Phase = 16,
    Direction = 17,
    Altitude = 18,
    Latency = 19,
    ForwardEsNo = 20,
    ReturnEsNo = 21,
    TxPower = 22,
    Load = 23,
    OfflinePropensity = 24,
    Silent = 25,
    SilentTime = 26,
    OfflineEpisode = 27,
    OfflineStart = 28,
    OfflineLength = 29,
    Suspended = 30,
    ForwardLoadNoise = 31,
    ReturnLoadNoise = 32,
    WhiteNoise = 33,
    EsNoDrift = 34,
    WetDay = 35,
    AltitudeDrift = 36,
    ReturnEsNoDrift = 37,
    LossNoise = 38,
}
