namespace AgentKit.Core.Definitions;

/// <summary>How an agent samples its actions. Defaults suit a small local model.</summary>
public sealed record AgentSamplingOptions
{
    /// <summary>Candidate actions per step (default 1). Above 1, self-consistency picks the most common execution outcome. 1-64.</summary>
    public int Candidates { get; init; } = 1;

    /// <summary>Sampling temperature (default 0.7). 0 is greedy, which makes all candidates alike.</summary>
    public float Temperature { get; init; } = 0.7f;

    /// <summary>Nucleus sampling threshold in (0, 1] (default 0.95).</summary>
    public float TopP { get; init; } = 0.95f;

    /// <summary>Seed of the first request; later requests use seed + request number. Null = random.</summary>
    public int? Seed { get; init; }

    /// <summary>Tokens per candidate action (default 512).</summary>
    public int MaxTokensPerStep { get; init; } = 512;

    /// <summary>Throws <see cref="ArgumentException"/> explaining what is wrong.</summary>
    public AgentSamplingOptions Validate()
    {
        if (Candidates is < 1 or > 64)
            throw new ArgumentException($"sampling.candidates must be between 1 and 64, got {Candidates}.");
        if (Temperature < 0 || float.IsNaN(Temperature))
            throw new ArgumentException($"sampling.temperature must be >= 0, got {Temperature}.");
        if (TopP is <= 0 or > 1 || float.IsNaN(TopP))
            throw new ArgumentException($"sampling.top_p must be in (0, 1], got {TopP}.");
        if (MaxTokensPerStep < 8)
            throw new ArgumentException($"sampling.max_tokens_per_step must be at least 8 (an action needs a thought and a code block), got {MaxTokensPerStep}.");
        return this;
    }
}
