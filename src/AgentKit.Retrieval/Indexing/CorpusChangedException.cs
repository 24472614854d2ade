namespace AgentKit.Retrieval.Indexing;

/// <summary>
/// An interrupted build cannot be resumed because its corpus file is not the one it started from (size or first MiB
/// differ). The message says which and how to start over.
/// </summary>
public sealed class CorpusChangedException : IOException
{
    /// <summary>Creates the exception with its explanation.</summary>
    public CorpusChangedException(string message) : base(message)
    {
    }
}
