namespace AgentKit.Retrieval.Corpus;

/// <summary>
/// A corpus line that is not a valid document; the message names the source and the 1-based line.
/// A <see cref="FormatException"/>, so callers that report bad input files catch it with the rest.
/// </summary>
public sealed class CorpusFormatException : FormatException
{
    /// <summary>Creates the exception for <paramref name="line"/> of <paramref name="source"/>.</summary>
    public CorpusFormatException(string source, long line, string problem, Exception? innerException = null)
        : base($"{source}, line {line}: {problem}", innerException)
    {
        CorpusName = source;
        Line = line;
        Problem = problem;
    }

    /// <summary>Name of the corpus (usually its file path).</summary>
    public string CorpusName { get; }

    /// <summary>1-based line number of the bad line.</summary>
    public long Line { get; }

    /// <summary>What is wrong with the line, without the location.</summary>
    public string Problem { get; }
}
