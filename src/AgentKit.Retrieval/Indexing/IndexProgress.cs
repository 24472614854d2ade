namespace AgentKit.Retrieval.Indexing;

/// <summary>Where an index build stands.</summary>
/// <param name="Documents">Documents added so far.</param>
/// <param name="BytesRead">Corpus bytes consumed so far, when reading from a file (else 0).</param>
/// <param name="TotalBytes">Corpus size in bytes, when known.</param>
public sealed record IndexProgress(long Documents, long BytesRead, long? TotalBytes)
{
    /// <summary>Fraction done in [0, 1], when the corpus size is known.</summary>
    public double? Fraction => TotalBytes is > 0 ? Math.Clamp((double)BytesRead / TotalBytes.Value, 0, 1) : null;
}
