namespace AgentKit.Retrieval.Corpus;

/// <summary>Shape of a <see cref="SyntheticCorpus"/>. Validated when the corpus is created.</summary>
public sealed record SyntheticCorpusOptions
{
    /// <summary>Passages to generate (default 10,000; at least 1).</summary>
    public long Passages { get; init; } = 10_000;

    /// <summary>Seed; the same seed and options give the same corpus and queries, byte for byte (default 18).</summary>
    public int Seed { get; init; } = 18;

    /// <summary>Distinct words (default 100,000; 100 to 2,000,000).</summary>
    public int VocabularySize { get; init; } = 100_000;

    /// <summary>Words per passage, as in wiki-18's 100-word passages (default 100; 1 to 10,000).</summary>
    public int WordsPerPassage { get; init; } = 100;

    /// <summary>Exponent s of the Zipf law: the word of rank r has frequency ∝ 1/r^s (default 1.0; 0.5 to 3).</summary>
    public double ZipfExponent { get; init; } = 1.0;

    /// <summary>Most passages one article (title) is split into (default 12; 1 to 1,000).</summary>
    public int MaxPassagesPerArticle { get; init; } = 12;

    /// <summary>Throws <see cref="ArgumentException"/> explaining the first invalid setting.</summary>
    public SyntheticCorpusOptions Validate()
    {
        if (Passages < 1)
            throw new ArgumentException($"Passages must be at least 1, got {Passages}.");
        if (VocabularySize is < 100 or > 2_000_000)
            throw new ArgumentException($"VocabularySize must be between 100 and 2,000,000, got {VocabularySize}.");
        if (WordsPerPassage is < 1 or > 10_000)
            throw new ArgumentException($"WordsPerPassage must be between 1 and 10,000, got {WordsPerPassage}.");
        if (double.IsNaN(ZipfExponent) || ZipfExponent is < 0.5 or > 3)
            throw new ArgumentException($"ZipfExponent must be between 0.5 and 3, got {ZipfExponent}.");
        if (MaxPassagesPerArticle is < 1 or > 1000)
            throw new ArgumentException($"MaxPassagesPerArticle must be between 1 and 1,000, got {MaxPassagesPerArticle}.");
        return this;
    }
}
