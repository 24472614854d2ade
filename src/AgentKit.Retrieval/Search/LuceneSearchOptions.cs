namespace AgentKit.Retrieval.Search;

/// <summary>How <see cref="LuceneSearcher"/> scores queries. Validated when the searcher opens.</summary>
public sealed record LuceneSearchOptions
{
    /// <summary>Weight of a title match relative to a text match (default 2.0; 0.01 to 100).</summary>
    public float TitleBoost { get; init; } = 2.0f;

    /// <summary>
    /// Distinct query words used, in order of appearance (default 64; 1 to 500). Longer queries are cut,
    /// which keeps a pasted page from turning into a slow query or exceeding Lucene's clause limit.
    /// </summary>
    public int MaxQueryTerms { get; init; } = 64;

    /// <summary>Most passages one search returns (default 1000; at least 1); a larger <c>k</c> is cut to this.</summary>
    public int MaxK { get; init; } = 1000;

    /// <summary>Throws <see cref="ArgumentException"/> explaining the first invalid setting.</summary>
    public LuceneSearchOptions Validate()
    {
        if (float.IsNaN(TitleBoost) || TitleBoost is < 0.01f or > 100f)
            throw new ArgumentException($"TitleBoost must be between 0.01 and 100, got {TitleBoost}.");
        if (MaxQueryTerms is < 1 or > 500)
            throw new ArgumentException($"MaxQueryTerms must be between 1 and 500, got {MaxQueryTerms}.");
        if (MaxK < 1)
            throw new ArgumentException($"MaxK must be at least 1, got {MaxK}.");
        return this;
    }
}
