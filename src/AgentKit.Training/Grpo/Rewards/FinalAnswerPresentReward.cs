using AgentKit.Training.Grpo.Rollouts;

namespace AgentKit.Training.Grpo.Rewards;

/// <summary>1 when the rollout gave a non-blank final answer, else 0: rewards finishing a run, whatever the answer.</summary>
public sealed class FinalAnswerPresentReward(string name = "final_answer") : IRewardFunction
{
    /// <inheritdoc />
    public string Name { get; } = string.IsNullOrWhiteSpace(name) ? throw new ArgumentException("A reward function needs a name.", nameof(name)) : name;

    /// <inheritdoc />
    public RewardResult Score(Rollout rollout)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        return string.IsNullOrWhiteSpace(rollout.FinalAnswer) ? new RewardResult(0, "no final answer") : new RewardResult(1, "final answer given");
    }
}
