namespace AgentKit.Retrieval.Corpus;

/// <summary>How a corpus file stores its passages.</summary>
public enum CorpusFormat
{
    /// <summary>One <c>{"id","title","text"}</c> JSON object per line.</summary>
    Jsonl,

    /// <summary>
    /// Tab-separated values with a header naming the columns <c>id</c>, <c>text</c> and <c>title</c> in any order, as in
    /// wiki-18's <c>psgs_w100.tsv</c>; a field in double quotes may hold tabs, newlines and doubled quotes.
    /// </summary>
    Tsv,
}

/// <summary>Picks the <see cref="CorpusFormat"/> of a corpus file.</summary>
public static class CorpusFormats
{
    /// <summary>
    /// <see cref="CorpusFormat.Tsv"/> for a <c>.tsv</c> file, <see cref="CorpusFormat.Jsonl"/> for anything else
    /// (the format the rest of AgentKit writes).
    /// </summary>
    public static CorpusFormat FromPath(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return Path.GetExtension(path).Equals(".tsv", StringComparison.OrdinalIgnoreCase) ? CorpusFormat.Tsv : CorpusFormat.Jsonl;
    }
}
