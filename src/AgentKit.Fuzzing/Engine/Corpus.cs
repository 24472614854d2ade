namespace AgentKit.Fuzzing.Engine;

/// <summary>One kept input: found new coverage when it was first run.</summary>
internal sealed class CorpusEntry(byte[] data, int cells, int newBits, double foundAtSeconds)
{
    public byte[] Data { get; } = data;
    public int Cells { get; } = cells;
    public int NewBits { get; } = newBits;
    public double FoundAtSeconds { get; } = foundAtSeconds;
    public int TimesPicked { get; set; }
}

/// <summary>
/// The inputs that found new coverage, and the scheduler that picks the next one to mutate. Energy favours entries that
/// added more coverage, cover more cells, are small next to the rest of the corpus, and have been picked less (so new
/// finds get attention first). Not thread-safe.
/// </summary>
internal sealed class Corpus
{
    private readonly List<CorpusEntry> _entries = [];
    private readonly HashSet<string> _hashes = new(StringComparer.Ordinal);
    private long _bytes;

    public int Count => _entries.Count;

    public IReadOnlyList<CorpusEntry> Entries => _entries;

    /// <summary>Adds an entry unless identical bytes are already kept.</summary>
    public bool Add(CorpusEntry entry)
    {
        if (!_hashes.Add(ContentHash.Of(entry.Data)))
            return false;
        _entries.Add(entry);
        _bytes += entry.Data.Length;
        return true;
    }

    public CorpusEntry Pick(Random random)
    {
        if (_entries.Count == 0)
            throw new InvalidOperationException("the corpus is empty");
        // Weighted choice over a small sample keeps picking O(1) as the corpus grows.
        CorpusEntry? best = null;
        var bestScore = double.MinValue;
        for (var i = 0; i < 4; i++)
        {
            var candidate = _entries[random.Next(_entries.Count)];
            var score = Energy(candidate) * random.NextDouble();
            if (score > bestScore)
                (best, bestScore) = (candidate, score);
        }
        best!.TimesPicked++;
        return best;
    }

    /// <summary>How many mutants to derive from <paramref name="entry"/> this round.</summary>
    public int Mutants(CorpusEntry entry) => Math.Clamp((int)(16 * Energy(entry)), 8, 256);

    private double Energy(CorpusEntry entry) =>
        (1 + Math.Log2(1 + entry.NewBits)) * (1 + Math.Log2(1 + entry.Cells) / 4) / (1 + entry.TimesPicked / 8.0) * SizeFactor(entry.Data.Length);

    /// <summary>
    /// A parser's time per input grows with the input, and every mutant of a long entry is long: without a pull
    /// towards small entries the corpus drifts to kilobytes and throughput falls with it (an earlier scheduler that
    /// only divided by 1 + length/2 KiB kept inputs 6 to 12 times afl's size on the markup and script harnesses, at half
    /// afl's execs/s). The steps are afl's performance score for exec time relative to the queue's average, applied
    /// to length relative to the corpus mean.
    /// </summary>
    internal double SizeFactor(int length)
    {
        if (_entries.Count == 0)
            return 1;
        var mean = Math.Max(1.0, (double)_bytes / _entries.Count);
        var relative = Math.Max(1, length) / mean;
        return relative switch
        {
            > 10 => 0.1,
            > 4 => 0.25,
            > 2 => 0.5,
            > 4.0 / 3 => 0.75,
            < 0.25 => 3,
            < 1.0 / 3 => 2,
            < 0.5 => 1.5,
            _ => 1,
        };
    }
}
