namespace AgentKit.Retrieval.Indexing;

/// <summary>Where an index build stands.</summary>
/// <param name="Documents">Documents in the index so far, including those of a resumed earlier run.</param>
/// <param name="BytesRead">Corpus bytes consumed so far, when reading from a file (else 0).</param>
/// <param name="TotalBytes">Corpus size in bytes, when known.</param>
/// <param name="Elapsed">Time since this run started.</param>
/// <param name="ResumedFrom">Documents an earlier, interrupted run had committed (0 for a fresh build).</param>
public sealed record IndexProgress(long Documents, long BytesRead, long? TotalBytes, TimeSpan Elapsed = default, long ResumedFrom = 0)
{
    /// <summary>Fraction done in [0, 1], when the corpus size is known.</summary>
    public double? Fraction => TotalBytes is > 0 ? Math.Clamp((double)BytesRead / TotalBytes.Value, 0, 1) : null;

    /// <summary>Documents this run added per second of <see cref="Elapsed"/> (0 before any time passed).</summary>
    public double PassagesPerSecond => Elapsed > TimeSpan.Zero ? (Documents - ResumedFrom) / Elapsed.TotalSeconds : 0;
}
