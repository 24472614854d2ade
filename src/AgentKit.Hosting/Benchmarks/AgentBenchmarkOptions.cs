namespace AgentKit.Hosting.Benchmarks;

/// <summary>Settings of <see cref="AgentBenchmark"/>; <see cref="Validate"/> names the first one out of range.</summary>
public sealed record AgentBenchmarkOptions
{
    /// <summary>Action steps per scripted run, the first (cold) one excluded from the means (2-100, default 12).</summary>
    public int Steps { get; init; } = 12;

    /// <summary>A GGUF to measure (default: a tiny random model written to a temporary folder).</summary>
    public string? ModelPath { get; init; }

    /// <summary>Action steps per model run (1-20, default 3).</summary>
    public int ModelSteps { get; init; } = 3;

    /// <summary>Tokens sampled per step (at least 16, default 64).</summary>
    public int MaxTokens { get; init; } = 64;

    /// <summary>
    /// Context window of the model (at least 256, default 4096: the random model's byte-level vocabulary spends a
    /// token per character of the ~2k-character system prompt).
    /// </summary>
    public int ContextSize { get; init; } = 4096;

    /// <summary>CPU threads of the model (null: all cores).</summary>
    public int? Threads { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting; returns this otherwise.</summary>
    public AgentBenchmarkOptions Validate()
    {
        if (Steps is < 2 or > 100)
            throw new ArgumentException($"Steps must be between 2 and 100, got {Steps}.");
        if (ModelSteps is < 1 or > 20)
            throw new ArgumentException($"ModelSteps must be between 1 and 20, got {ModelSteps}.");
        if (ModelPath is not null && !File.Exists(ModelPath))
            throw new ArgumentException($"model file not found: {ModelPath}");
        if (MaxTokens < 16)
            throw new ArgumentException($"MaxTokens must be at least 16, got {MaxTokens}.");
        if (ContextSize < 256)
            throw new ArgumentException($"ContextSize must be at least 256, got {ContextSize}.");
        return this;
    }
}
