namespace AgentKit.Training.Tokenization;

/// <summary>Settings of <see cref="BpeTrainer"/>.</summary>
public sealed record BpeTrainerOptions
{
    /// <summary>Vocabulary size to reach, counting the 256 byte tokens and the special tokens (default 1024).</summary>
    public int VocabSize { get; init; } = 1024;

    /// <summary>Special tokens appended after the learned tokens (default: the ChatML tokens).</summary>
    public IReadOnlyList<string> SpecialTokens { get; init; } = ChatFormat.SpecialTokens;

    /// <summary>A pair must occur at least this often to be merged (default 2); training stops earlier otherwise.</summary>
    public int MinFrequency { get; init; } = 2;

    /// <summary>Throws <see cref="ArgumentException"/> explaining an invalid setting.</summary>
    public BpeTrainerOptions Validate()
    {
        var floor = 256 + SpecialTokens.Count;
        if (VocabSize < floor)
            throw new ArgumentException($"VocabSize must be at least {floor} (256 bytes + {SpecialTokens.Count} special tokens), got {VocabSize}.");
        if (MinFrequency < 1)
            throw new ArgumentException($"MinFrequency must be >= 1, got {MinFrequency}.");
        if (SpecialTokens.Any(string.IsNullOrEmpty) || SpecialTokens.Distinct().Count() != SpecialTokens.Count)
            throw new ArgumentException("Special tokens must be non-empty and distinct.");
        return this;
    }
}
