using AgentKit.Training.Grpo.Rewards;

namespace AgentKit.Training.Grpo.Rollouts;

/// <summary>
/// A rollout source that also wants to see its groups once they are scored (to record them with their rewards).
/// The trainer calls it after scoring every group it sampled, trained or not.
/// </summary>
public interface IScoredRolloutObserver
{
    /// <summary>Receives a scored group.</summary>
    Task OnGroupScoredAsync(ScoredRolloutGroup group, CancellationToken cancellationToken = default);
}

/// <summary>A group of rollouts with every reward function's result and the weighted total of each.</summary>
/// <param name="Step">The training step (1-based) that sampled it.</param>
/// <param name="Rollouts">The group.</param>
/// <param name="Rewards">Per rollout: each reward function's result by name.</param>
/// <param name="Totals">Per rollout: the weighted sum.</param>
public sealed record ScoredRolloutGroup(int Step, IReadOnlyList<Rollout> Rollouts, IReadOnlyList<IReadOnlyDictionary<string, RewardResult>> Rewards,
    IReadOnlyList<double> Totals);
