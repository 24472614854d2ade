namespace AgentKit.Training.Grpo.Agents;

/// <summary>What counts as a truncated agent rollout (flags; the GRPO option <see cref="GrpoOptions.MaskTruncatedCompletions"/> then leaves those out of the loss).</summary>
[Flags]
public enum AgentTruncation
{
    /// <summary>No run counts as truncated.</summary>
    None = 0,

    /// <summary>A run in which some model call was cut at the per-step token limit (or by the context length).</summary>
    StepAtTokenLimit = 1,

    /// <summary>A run that reached the agent's step limit without code calling <c>FinalAnswer</c>, or that filled the policy's context.</summary>
    RunAtStepLimit = 2,

    /// <summary>Both.</summary>
    Both = StepAtTokenLimit | RunAtStepLimit,
}

/// <summary>Settings of <see cref="AgentRolloutSource"/>.</summary>
public sealed record AgentRolloutOptions
{
    /// <summary>Agent runs of a group executing at once (default 4); each has its own sandbox session. Model calls are serialised whatever this is.</summary>
    public int MaxParallelRuns { get; init; } = 4;

    /// <summary>
    /// Times a run that throws is tried in all (default 3). An exception means the machinery failed (e.g. a sandbox
    /// session that did not start within its limit on a loaded machine), not the policy; the same seed samples the same
    /// run again. The last failure ends the step (and the training run) as before.
    /// </summary>
    public int RunAttempts { get; init; } = 3;

    /// <summary>Told, in one line, of every retried run (e.g. to print a warning); null says nothing.</summary>
    public Action<string>? OnRetry { get; init; }

    /// <summary>Which runs are marked truncated (default <see cref="AgentTruncation.Both"/>).</summary>
    public AgentTruncation Truncation { get; init; } = AgentTruncation.Both;

    /// <summary>
    /// Trajectory JSONL file every scored rollout is appended to (the usual schema plus a <c>grpo</c> object with the
    /// rewards and the token sequence); null records nothing. Read it back with <see cref="RolloutTrajectoryFile"/>.
    /// </summary>
    public string? TrajectoryPath { get; init; }

    /// <summary>Name of the policy in recorded trajectories (default <c>grpo-policy</c>).</summary>
    public string ModelName { get; init; } = "grpo-policy";

    /// <summary>Token ids that end a model call besides the stop strings; default <c>&lt;|im_end|&gt;</c> and end-of-text where the tokenizer has them.</summary>
    public IReadOnlyList<int>? StopTokenIds { get; init; }

    /// <summary>Clock of the recorded durations (default: the system clock).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Throws <see cref="ArgumentException"/> explaining an invalid setting.</summary>
    public AgentRolloutOptions Validate()
    {
        if (MaxParallelRuns < 1)
            throw new ArgumentException($"MaxParallelRuns must be >= 1, got {MaxParallelRuns}.");
        if (RunAttempts < 1)
            throw new ArgumentException($"RunAttempts must be >= 1, got {RunAttempts}.");
        if ((Truncation & ~AgentTruncation.Both) != 0)
            throw new ArgumentException($"Unknown truncation flags: {Truncation}.");
        if (TrajectoryPath is not null && string.IsNullOrWhiteSpace(TrajectoryPath))
            throw new ArgumentException("TrajectoryPath is blank; give a file or null.");
        if (string.IsNullOrWhiteSpace(ModelName))
            throw new ArgumentException("ModelName must not be blank.");
        ArgumentNullException.ThrowIfNull(TimeProvider);
        return this;
    }
}
