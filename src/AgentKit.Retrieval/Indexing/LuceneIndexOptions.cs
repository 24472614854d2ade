namespace AgentKit.Retrieval.Indexing;

/// <summary>How <see cref="LuceneIndexBuilder"/> builds an index. Validated at construction of the builder.</summary>
public sealed record LuceneIndexOptions
{
    /// <summary>
    /// Memory the writer buffers, all threads together, before flushing segments, in MiB (default 64; 1 to 2048).
    /// With the documents in flight between reader and threads, this bounds the build's memory whatever the corpus size.
    /// </summary>
    public double RamBufferSizeMb { get; init; } = 64;

    /// <summary>Documents between two progress reports (default 1000; at least 1).</summary>
    public int ProgressInterval { get; init; } = 1000;

    /// <summary>Merge the index into one segment at the end, for faster searches (default true).</summary>
    public bool ForceMergeToOneSegment { get; init; } = true;

    /// <summary>Threads analysing and adding documents, besides the one reading the corpus (default: one per core; 1 to 64).</summary>
    public int Threads { get; init; } = Math.Clamp(Environment.ProcessorCount, 1, 64);

    /// <summary>
    /// Passages between two checkpoints of a build from a file (default 200,000; at least 1). A checkpoint commits the
    /// index with the corpus position, so a build that is killed or cancelled resumes from its last checkpoint.
    /// </summary>
    public int CommitInterval { get; init; } = 200_000;

    /// <summary>
    /// Continue an interrupted build of the same corpus file found in the output directory (default true); when false,
    /// such a build is started over.
    /// </summary>
    public bool Resume { get; init; } = true;

    /// <summary>Throws <see cref="ArgumentException"/> explaining the first invalid setting.</summary>
    public LuceneIndexOptions Validate()
    {
        if (double.IsNaN(RamBufferSizeMb) || RamBufferSizeMb is < 1 or > 2048)
            throw new ArgumentException($"RamBufferSizeMb must be between 1 and 2048 MiB, got {RamBufferSizeMb}.");
        if (ProgressInterval < 1)
            throw new ArgumentException($"ProgressInterval must be at least 1 document, got {ProgressInterval}.");
        if (Threads is < 1 or > 64)
            throw new ArgumentException($"Threads must be between 1 and 64, got {Threads}.");
        if (CommitInterval < 1)
            throw new ArgumentException($"CommitInterval must be at least 1 passage, got {CommitInterval}.");
        return this;
    }
}
