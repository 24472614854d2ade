namespace AgentKit.Training.Generation;

/// <summary>How <see cref="TokenSampler"/> picks tokens.</summary>
public sealed record SamplingOptions
{
    /// <summary>Softmax temperature (default 0.7); 0 is greedy.</summary>
    public float Temperature { get; init; } = 0.7f;

    /// <summary>Nucleus threshold in (0, 1] (default 0.95).</summary>
    public float TopP { get; init; } = 0.95f;

    /// <summary>Seed of the sampling generator; null draws one.</summary>
    public long? Seed { get; init; }

    /// <summary>Most tokens generated per sequence (default 64).</summary>
    public int MaxNewTokens { get; init; } = 64;

    /// <summary>Token ids that end a sequence (not included in the output).</summary>
    public IReadOnlyList<int> StopTokenIds { get; init; } = [];

    /// <summary>Throws <see cref="ArgumentException"/> explaining an invalid setting.</summary>
    public SamplingOptions Validate()
    {
        if (Temperature < 0 || float.IsNaN(Temperature))
            throw new ArgumentException($"Temperature must be >= 0, got {Temperature}.");
        if (TopP is <= 0 or > 1 || float.IsNaN(TopP))
            throw new ArgumentException($"TopP must be in (0, 1], got {TopP}.");
        if (MaxNewTokens < 1)
            throw new ArgumentException($"MaxNewTokens must be >= 1, got {MaxNewTokens}.");
        return this;
    }
}
