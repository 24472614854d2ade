using AgentKit.Abstractions.Trajectories;

namespace AgentKit.Training.Grpo.Rollouts;

/// <summary>
/// One sampled attempt at a task, as the GRPO loss and the reward functions see it: the whole token sequence (prompt,
/// the policy's tokens and, for agent runs, observations in between), which of those tokens the policy generated (only
/// they are trained), their sampling log-probabilities, and what the attempt produced (text, answer, actions).
/// </summary>
public sealed record Rollout
{
    /// <summary>The task attempted (its reference answer, when known, is what answer rewards compare with).</summary>
    public required TrajectoryTask Task { get; init; }

    /// <summary>Every token of the sequence in order, prompt first.</summary>
    public required IReadOnlyList<int> TokenIds { get; init; }

    /// <summary>Per token: true where the policy generated it (trained), false for prompt, observation and tool-result tokens.</summary>
    public required IReadOnlyList<bool> PolicyMask { get; init; }

    /// <summary>Per token: the log-probability the sampling policy gave it (0 where <see cref="PolicyMask"/> is false).</summary>
    public required IReadOnlyList<float> SamplingLogProbs { get; init; }

    /// <summary>True when generation was cut at the length limit instead of ending by itself.</summary>
    public bool Truncated { get; init; }

    /// <summary>The text the policy generated (for an agent run: its actions joined), decoded.</summary>
    public string CompletionText { get; init; } = "";

    /// <summary>The answer the attempt gave (for a plain completion, what the source's answer rule extracted), or null.</summary>
    public string? FinalAnswer { get; init; }

    /// <summary>The actions of an agent run, in order, with what is known of their execution; empty for a plain completion.</summary>
    public IReadOnlyList<RolloutAction> Actions { get; init; } = [];

    /// <summary>The agent run this rollout is, when it is one (recorded with its rewards by an agent source).</summary>
    public TrajectoryRecord? Trajectory { get; init; }

    /// <summary>Tokens the policy generated.</summary>
    public int PolicyTokenCount => PolicyMask.Count(m => m);

    /// <summary>Throws <see cref="ArgumentException"/> when the per-token lists disagree or the first token is marked as generated.</summary>
    public Rollout Validate()
    {
        if (TokenIds.Count < 2)
            throw new ArgumentException($"A rollout of task '{Task.Id}' needs at least a prompt token and a generated one, got {TokenIds.Count} token(s).");
        if (PolicyMask.Count != TokenIds.Count || SamplingLogProbs.Count != TokenIds.Count)
            throw new ArgumentException($"Rollout of task '{Task.Id}': {TokenIds.Count} tokens but {PolicyMask.Count} mask entries and {SamplingLogProbs.Count} log-probs.");
        if (PolicyMask[0])
            throw new ArgumentException($"Rollout of task '{Task.Id}': the first token cannot be generated (nothing precedes it).");
        return this;
    }
}
