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
/// added more coverage, cover more cells, are small, and have been picked less (so new finds get attention first). Not thread-safe.
/// </summary>
internal sealed class Corpus
{
    private readonly List<CorpusEntry> _entries = [];
    private readonly HashSet<string> _hashes = new(StringComparer.Ordinal);

    public int Count => _entries.Count;

    public IReadOnlyList<CorpusEntry> Entries => _entries;

    /// <summary>Adds an entry unless identical bytes are already kept.</summary>
    public bool Add(CorpusEntry entry)
    {
        if (!_hashes.Add(ContentHash.Of(entry.Data)))
            return false;
        _entries.Add(entry);
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
    public static int Mutants(CorpusEntry entry) => Math.Clamp((int)(16 * Energy(entry)), 8, 256);

    private static double Energy(CorpusEntry entry) =>
        (1 + Math.Log2(1 + entry.NewBits)) * (1 + Math.Log2(1 + entry.Cells) / 4) / (1 + entry.TimesPicked / 8.0) / (1 + entry.Data.Length / 2048.0);
}
