namespace AgentKit.Retrieval.Bench;

/// <summary>What <see cref="IndexBenchmark"/> measures. Validated before it runs.</summary>
public sealed record IndexBenchmarkOptions
{
    /// <summary>Passages of the generated corpus indexed by the main run (default 2,000,000; at least 1,000).</summary>
    public long Passages { get; init; } = 2_000_000;

    /// <summary>Indexing threads of the main run and of the N-thread peer (default 2; 1 to 64).</summary>
    public int Threads { get; init; } = 2;

    /// <summary>Passages of the peer runs, one thread against <see cref="Threads"/> on the same corpus prefix (default 200,000; at least 1,000, at most <see cref="Passages"/>).</summary>
    public long PeerPassages { get; init; } = 200_000;

    /// <summary>Timed searches, k=3 as the paper's agent asks, after 100 untimed ones (default 1,000; at least 10).</summary>
    public int Queries { get; init; } = 1000;

    /// <summary>Seed of the generated corpus and queries (default 18).</summary>
    public int Seed { get; init; } = 18;

    /// <summary>Folder for the corpus and the indexes (required; created when missing).</summary>
    public string OutputDirectory { get; init; } = "";

    /// <summary>Throws <see cref="ArgumentException"/> explaining the first invalid setting.</summary>
    public IndexBenchmarkOptions Validate()
    {
        if (Passages < 1000)
            throw new ArgumentException($"Passages must be at least 1000, got {Passages}.");
        if (Threads is < 1 or > 64)
            throw new ArgumentException($"Threads must be between 1 and 64, got {Threads}.");
        if (PeerPassages < 1000 || PeerPassages > Passages)
            throw new ArgumentException($"PeerPassages must be between 1000 and Passages ({Passages}), got {PeerPassages}.");
        if (Queries < 10)
            throw new ArgumentException($"Queries must be at least 10, got {Queries}.");
        if (string.IsNullOrWhiteSpace(OutputDirectory))
            throw new ArgumentException("OutputDirectory is required.");
        return this;
    }
}
