using AgentKit.Core.Scoring.Benchmarks;

namespace AgentKit.Hosting.Evaluation;

/// <summary>How <see cref="TrajectoryRecording.RunAsync"/> and <see cref="TrajectoryRecorder"/> record. Checked by <see cref="Validate"/>.</summary>
public sealed record RecordOptions
{
    /// <summary>
    /// The JSONL file the kept trajectories are appended to. A file that exists is resumed: its tasks (and the tasks its
    /// <see cref="RecordingLedger"/> lists as done) are not run again.
    /// </summary>
    public required string Out { get; init; }

    /// <summary>Agent runs (default) or plain chain-of-thought answers (<see cref="RecordMode.Cot"/>).</summary>
    public RecordMode Mode { get; init; } = RecordMode.Agent;

    /// <summary>CoT mode: the answer form asked for and extracted (math: boxed, the default; factual: "Final answer:"), as in <c>eval --mode cot</c>.</summary>
    public BenchmarkKind CotKind { get; init; } = BenchmarkKind.Math;

    /// <summary>CoT mode: tokens the reply may take (default 1024, as eval's).</summary>
    public int CotMaxTokens { get; init; } = 1024;

    /// <summary>Force the first paragraph of a chain-of-thought answer as the start of the first step.</summary>
    public bool FirstThought { get; init; }

    /// <summary>Keep only runs scored correct (every task then needs a reference answer).</summary>
    public bool FilterCorrect { get; init; }

    /// <summary>Drop runs in which the action taken at some step did not parse.</summary>
    public bool FilterParseErrors { get; init; }

    /// <summary>Tasks run at once (1-64, default 1). Lines may then come in another order than the task file's.</summary>
    public int Concurrency { get; init; } = 1;

    /// <summary>On resume, run again the tasks an earlier recording dropped (default: they count as done).</summary>
    public bool RedoDropped { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first unusable setting; returns this otherwise.</summary>
    public RecordOptions Validate()
    {
        if (string.IsNullOrWhiteSpace(Out))
            throw new ArgumentException("the trajectory output path must not be empty.");
        if (Concurrency is < 1 or > 64)
            throw new ArgumentException($"concurrency must be between 1 and 64, got {Concurrency}.");
        if (CotMaxTokens < 1)
            throw new ArgumentException($"the chain-of-thought token limit must be at least 1, got {CotMaxTokens}.");
        if (FirstThought && Mode == RecordMode.Cot)
            throw new ArgumentException("the first-thought prefix starts an agent run; it has no use in chain-of-thought mode.");
        return this;
    }
}
