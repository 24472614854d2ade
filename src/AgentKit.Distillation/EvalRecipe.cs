using AgentKit.Core.Scoring.Benchmarks;
using AgentKit.Hosting.Evaluation;

namespace AgentKit.Distillation;

/// <summary>
/// The benchmark evaluation of the exported GGUF (<c>"eval": {"benchmarks": [ … ], "mode": "agent", "n": [1, 8]}</c>),
/// as <c>agentkit eval --benchmark</c> runs it (<see cref="BenchmarkEvaluation"/>): the recipe's agent with the student
/// as its model, every set at every N, optionally judged by an LLM at an OpenAI-compatible endpoint. Paths are relative
/// to the recipe's folder.
/// </summary>
public sealed record EvalRecipe
{
    /// <summary>Benchmark files in the paper's JSON shape <c>{"metadata":…, "examples":[…]}</c>.</summary>
    public required IReadOnlyList<string> Benchmarks { get; init; }

    /// <summary><c>agent</c> (default: the agent with its tools) or <c>cot</c> (chain of thought, no tools).</summary>
    public string Mode { get; init; } = "agent";

    /// <summary>The values of N to run every set with (default [1]).</summary>
    public IReadOnlyList<int> N { get; init; } = [1];

    /// <summary>Agent mode: force the student's own first chain-of-thought paragraph as the start of each run (default false).</summary>
    public bool FirstThought { get; init; }

    /// <summary>Only the first this many questions of each set (default: all).</summary>
    public int? Limit { get; init; }

    /// <summary>Score every set as <c>qa</c> or <c>math</c> instead of by its name (default: by name).</summary>
    public string? Kind { get; init; }

    /// <summary>OpenAI-compatible endpoint of an LLM judge (with <see cref="JudgeModel"/>).</summary>
    public string? JudgeEndpoint { get; init; }

    /// <summary>The judge's model name.</summary>
    public string? JudgeModel { get; init; }

    /// <summary>Context window of the student in tokens (default 4096).</summary>
    public int Context { get; init; } = 4096;

    /// <summary>Layers of the student offloaded to a GPU (default 0, -1 for all; needs the CUDA build).</summary>
    public int GpuLayers { get; init; }

    /// <summary>The benchmark mode.</summary>
    public BenchmarkMode ResolvedMode => Mode == "cot" ? BenchmarkMode.Cot : BenchmarkMode.Agent;

    /// <summary>The kind every set is scored as, or null to tell by the set's name.</summary>
    public BenchmarkKind? ResolvedKind => Kind is null ? null : BenchmarkKinds.TryParse(Kind, out var kind) ? kind : null;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (Benchmarks is null || Benchmarks.Count == 0 || Benchmarks.Any(string.IsNullOrWhiteSpace))
            throw new ArgumentException("eval.benchmarks must list one or more benchmark files.");
        if (Mode is not ("agent" or "cot"))
            throw new ArgumentException($"eval.mode must be \"agent\" or \"cot\", got \"{Mode}\".");
        if (Kind is not null && !BenchmarkKinds.TryParse(Kind, out _))
            throw new ArgumentException($"eval.kind must be \"qa\" or \"math\", got \"{Kind}\".");
        if ((JudgeEndpoint is null) != (JudgeModel is null))
            throw new ArgumentException("eval.judge_endpoint and eval.judge_model go together: give both for an LLM judge, or neither.");
        if (JudgeEndpoint is not null && (!Uri.TryCreate(JudgeEndpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
            throw new ArgumentException($"eval.judge_endpoint must be an http(s) URL, got \"{JudgeEndpoint}\".");
        if (Context < 64)
            throw new ArgumentException($"eval.context must be at least 64 tokens, got {Context}.");
        if (GpuLayers < -1)
            throw new ArgumentException($"eval.gpu_layers must be >= 0, or -1 for all, got {GpuLayers}.");
        try
        {
            ToOptions();
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException("eval: " + ex.Message
                .Replace("the question limit", "eval.limit").Replace("candidate count", "eval.n count").Replace("the first-thought prefix", "eval.first_thought"), ex);
        }
    }

    /// <summary>The evaluation's options.</summary>
    public BenchmarkEvalOptions ToOptions() =>
        new BenchmarkEvalOptions { Mode = ResolvedMode, CandidateCounts = N, Limit = Limit, FirstThought = FirstThought }.Validate();
}
