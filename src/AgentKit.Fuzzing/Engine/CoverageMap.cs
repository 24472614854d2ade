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
