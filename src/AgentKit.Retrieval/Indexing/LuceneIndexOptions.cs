namespace AgentKit.Retrieval.Indexing;

/// <summary>How <see cref="LuceneIndexBuilder"/> builds an index. Validated at construction of the builder.</summary>
public sealed record LuceneIndexOptions
{
    /// <summary>Memory the writer buffers before flushing a segment, in MiB (default 64; 1 to 2048).</summary>
    public double RamBufferSizeMb { get; init; } = 64;

    /// <summary>Documents between two progress reports (default 1000; at least 1).</summary>
    public int ProgressInterval { get; init; } = 1000;

    /// <summary>Merge the index into one segment at the end, for faster searches (default true).</summary>
    public bool ForceMergeToOneSegment { get; init; } = true;

    /// <summary>Throws <see cref="ArgumentException"/> explaining the first invalid setting.</summary>
    public LuceneIndexOptions Validate()
    {
        if (double.IsNaN(RamBufferSizeMb) || RamBufferSizeMb is < 1 or > 2048)
            throw new ArgumentException($"RamBufferSizeMb must be between 1 and 2048 MiB, got {RamBufferSizeMb}.");
        if (ProgressInterval < 1)
            throw new ArgumentException($"ProgressInterval must be at least 1 document, got {ProgressInterval}.");
        return this;
    }
}
