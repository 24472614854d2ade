namespace AgentKit.Retrieval.Corpus;

/// <summary>A point between two records of a corpus file, where a reader can start again.</summary>
/// <param name="ByteOffset">Bytes of the file before the point (exact, including line ends and a byte-order mark).</param>
/// <param name="LineNumber">Lines before the point, so error messages after a restart still name the right line.</param>
public readonly record struct CorpusPosition(long ByteOffset, long LineNumber)
{
    /// <summary>The start of the file.</summary>
    public static CorpusPosition Start => default;
}
