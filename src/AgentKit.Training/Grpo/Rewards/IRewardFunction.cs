using AgentKit.Training.Grpo.Rollouts;

namespace AgentKit.Training.Grpo.Rewards;

/// <summary>
/// Scores one rollout with its task, as a pure function: same rollout, same result (TRL's reward functions). The trainer
/// weighs each function's value (<see cref="GrpoOptions.RewardWeights"/>), sums them into the rollout's reward and records
/// every value and reason in <c>rollouts.jsonl</c>.
/// </summary>
public interface IRewardFunction
{
    /// <summary>Short unique name, used in metrics (<c>reward/NAME/mean</c>) and records.</summary>
    string Name { get; }

    /// <summary>The reward of <paramref name="rollout"/> (a finite number) and a short reason.</summary>
    RewardResult Score(Rollout rollout);
}

/// <summary>A reward and why it was given.</summary>
/// <param name="Value">The reward; must be finite.</param>
/// <param name="Reason">A few words a person reading the rollout log can check (e.g. <c>numeric match</c>, <c>no code block</c>).</param>
public sealed record RewardResult(double Value, string Reason);
