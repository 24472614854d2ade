using AgentKit.Abstractions.Models;

namespace AgentKit.Abstractions.Trajectories;

/// <summary>How a run ended.</summary>
public enum RunOutcome
{
    /// <summary>Agent code gave a final answer.</summary>
    Answered,

    /// <summary>The step limit was reached; the answer came from a last plain request.</summary>
    StepLimit,

    /// <summary>The run failed with an error (recorded in <see cref="TrajectoryRecord.Error"/>).</summary>
    Failed,

    /// <summary>The run was cancelled.</summary>
    Cancelled,
}

/// <summary>The grade of a run's answer against the task's reference answer.</summary>
/// <param name="Correct">Whether the answer matches (see the scorer for the rules).</param>
/// <param name="Method">Which rule decided: <c>exact</c>, <c>numeric</c> or <c>none</c>.</param>
public sealed record TrajectoryScore(bool Correct, string Method);

/// <summary>One recorded agent run: one line of a trajectory JSONL file.</summary>
public sealed record TrajectoryRecord
{
    /// <summary>Layout version, <see cref="TrajectorySchema.Version"/> when written.</summary>
    public int SchemaVersion { get; init; } = TrajectorySchema.Version;

    /// <summary>Unique id of the run.</summary>
    public required string RunId { get; init; }

    /// <summary>When the run started.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>Wall time of the whole run in milliseconds.</summary>
    public double DurationMs { get; init; }

    /// <summary>The task.</summary>
    public required TrajectoryTask Task { get; init; }

    /// <summary>The agent configuration used.</summary>
    public required AgentSnapshot Agent { get; init; }

    /// <summary>The model that produced the actions.</summary>
    public required ModelIdentity Model { get; init; }

    /// <summary>How candidates were sampled.</summary>
    public required SamplingSettings Sampling { get; init; }

    /// <summary>The memory of the run in order: task, plans, actions, final answer.</summary>
    public required IReadOnlyList<AgentStep> Steps { get; init; }

    /// <summary>The final answer, when the run produced one.</summary>
    public string? FinalAnswer { get; init; }

    /// <summary>How the run ended.</summary>
    public required RunOutcome Outcome { get; init; }

    /// <summary>The error message of a failed run.</summary>
    public string? Error { get; init; }

    /// <summary>The grade, when the task had a reference answer and the run an answer.</summary>
    public TrajectoryScore? Score { get; init; }

    /// <summary>Prompt tokens over all requests of the run.</summary>
    public int PromptTokens { get; init; }

    /// <summary>Generated tokens over all requests of the run.</summary>
    public int CompletionTokens { get; init; }
}
