using System.Runtime.InteropServices;

namespace AgentKit.Fuzzing.Engine;

/// <summary>
/// The campaign's global coverage: for every map cell, which AFL hit-count buckets (1, 2, 3, 4-7, 8-15, 16-31, 32-127, 128+)
/// have been seen. An input is interesting when it sets a bucket bit no earlier input set. Not thread-safe.
/// </summary>
internal sealed class CoverageMap
{
    private readonly byte[] _seen = new byte[Shared.WorkerProtocol.MapSize];

    /// <summary>Cells ever hit (the "edges" figure).</summary>
    public int Edges { get; private set; }

    /// <summary>Merges <paramref name="hits"/>; returns how many new cells or buckets they add.</summary>
    public int Merge(ReadOnlySpan<(ushort Index, byte Count)> hits)
    {
        var added = 0;
        foreach (var (index, count) in hits)
        {
            var bucket = Bucket(count);
            var old = _seen[index];
            if ((old & bucket) != 0)
                continue;
            if (old == 0)
                Edges++;
            _seen[index] = (byte)(old | bucket);
            added++;
        }
        return added;
    }

    /// <summary>
    /// Whether a raw map of hit counts (the whole 64 KiB) sets a cell or bucket this map has not seen, without listing
    /// its cells: afl's <c>has_new_bits</c>, eight cells per step. Most inputs add nothing, and listing their thousands
    /// of cells only to find that out cost more than running a fast parser.
    /// </summary>
    public bool HasNew(ReadOnlySpan<byte> map)
    {
        var words = MemoryMarshal.Cast<byte, ulong>(map);
        var seen = MemoryMarshal.Cast<byte, ulong>(_seen);
        for (var i = 0; i < words.Length; i++)
        {
            var word = words[i];
            if (word != 0 && (Classify(word) & ~seen[i]) != 0)
                return true;
        }
        return false;
    }

    // Bucket bits of two adjacent cells at once (afl's count_class_lookup16).
    private static readonly ushort[] s_buckets16 = BuildBuckets16();

    private static ushort[] BuildBuckets16()
    {
        var table = new ushort[65536];
        for (var i = 0; i < table.Length; i++)
            table[i] = (ushort)(Bucket((byte)i) | Bucket((byte)(i >> 8)) << 8);
        return table;
    }

    private static ulong Classify(ulong word) =>
        s_buckets16[(ushort)word] | (ulong)s_buckets16[(ushort)(word >> 16)] << 16
        | (ulong)s_buckets16[(ushort)(word >> 32)] << 32 | (ulong)s_buckets16[(ushort)(word >> 48)] << 48;

    internal static byte Bucket(byte count) => count switch
    {
        0 => 0,
        1 => 1,
        2 => 2,
        3 => 4,
        <= 7 => 8,
        <= 15 => 16,
        <= 31 => 32,
        <= 127 => 64,
        _ => 128,
    };
}
