namespace AgentKit.Hosting.Evaluation;

/// <summary>How a benchmark is answered.</summary>
public enum BenchmarkMode
{
    /// <summary>The hosted agent with its tools (code, retrieval), N candidate actions per step (self-consistent actions).</summary>
    Agent,

    /// <summary>Chain of thought without tools: one plain generation per question, N samples voted (self-consistency).</summary>
    Cot,
}

/// <summary>What <see cref="BenchmarkEvaluation.RunAsync"/> runs. Validated when the run starts.</summary>
public sealed record BenchmarkEvalOptions
{
    /// <summary>Agent (default) or chain of thought.</summary>
    public BenchmarkMode Mode { get; init; } = BenchmarkMode.Agent;

    /// <summary>The values of N to run every set with (default 1): candidate actions per step, or chain-of-thought samples.</summary>
    public IReadOnlyList<int> CandidateCounts { get; init; } = [1];

    /// <summary>Run only the first this many questions of each set (null: all).</summary>
    public int? Limit { get; init; }

    /// <summary>Tokens a chain-of-thought reply may take (default 1024).</summary>
    public int CotMaxTokens { get; init; } = 1024;

    /// <summary>
    /// Agent mode: before each run, ask the hosted model itself for a chain of thought and force its first paragraph as
    /// the start of the first step (the paper's first-thought prefix at inference, <see cref="Core.Distillation.FirstThought"/>).
    /// </summary>
    public bool FirstThought { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> when a value is out of range.</summary>
    public BenchmarkEvalOptions Validate()
    {
        if (!Enum.IsDefined(Mode))
            throw new ArgumentException($"unknown benchmark mode {Mode}.");
        if (CandidateCounts is null || CandidateCounts.Count == 0)
            throw new ArgumentException("give at least one candidate count N.");
        if (CandidateCounts.Any(n => n is < 1 or > 64))
            throw new ArgumentException($"each candidate count N must be between 1 and 64, got {string.Join(",", CandidateCounts)}.");
        if (CandidateCounts.Distinct().Count() != CandidateCounts.Count)
            throw new ArgumentException($"candidate counts repeat: {string.Join(",", CandidateCounts)}.");
        if (Limit is < 1)
            throw new ArgumentException($"the question limit must be at least 1, got {Limit}.");
        if (FirstThought && Mode != BenchmarkMode.Agent)
            throw new ArgumentException("the first-thought prefix starts an agent run; it has no use in chain-of-thought mode.");
        if (CotMaxTokens < 1)
            throw new ArgumentException($"the chain-of-thought token limit must be at least 1, got {CotMaxTokens}.");
        return this;
    }
}
