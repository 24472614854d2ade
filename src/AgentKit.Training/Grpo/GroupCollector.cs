using AgentKit.Training.Grpo.Rewards;
using AgentKit.Training.Grpo.Rollouts;
using AgentKit.Training.Model;

namespace AgentKit.Training.Grpo;

/// <summary>A group of rollouts of one task with every reward function's result and the weighted total of each.</summary>
internal sealed record ScoredGroup(int Index, IReadOnlyList<Rollout> Rollouts, IReadOnlyList<IReadOnlyDictionary<string, RewardResult>> Results, double[] Totals)
{
    public bool ZeroStd => GroupAdvantages.StandardDeviation(Totals) <= GroupAdvantages.ZeroStdTolerance;
}

/// <summary>What one step's sampling produced.</summary>
internal sealed record CollectedGroups(IReadOnlyList<ScoredGroup> Sampled, IReadOnlyList<ScoredGroup> Trained, long TasksConsumed);

/// <summary>
/// Samples the groups of a step and scores them. With dynamic sampling, groups whose rewards are all equal are set aside
/// and further tasks drawn, at most <see cref="GrpoOptions.MaxRefillRounds"/> extra rounds.
/// </summary>
internal sealed class GroupCollector(GrpoOptions options, IRolloutSource source, IReadOnlyList<IRewardFunction> rewards, IReadOnlyList<double> weights)
{
    public async Task<CollectedGroups> CollectAsync(LlamaForCausalLM policy, TaskOrder order, long tasksConsumed, int step, CancellationToken cancellationToken)
    {
        var sampled = new List<ScoredGroup>();
        var trained = new List<ScoredGroup>();
        var rounds = options.DynamicSampling ? options.MaxRefillRounds + 1 : 1;
        for (var round = 0; round < rounds && trained.Count < options.PromptsPerStep; round++)
        {
            for (var need = options.PromptsPerStep - trained.Count; need > 0; need--)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var task = order.At(tasksConsumed);
                // The seed depends on the data position only, so a resumed run samples exactly what the first would have.
                var request = new RolloutRequest(policy, task, options.GroupSize, options.MaxCompletionLength, options.Temperature, options.TopP,
                    Seeds.Mix(options.Seed, tasksConsumed, 0x5A3));
                tasksConsumed++;
                var rollouts = await source.SampleGroupAsync(request, cancellationToken).ConfigureAwait(false);
                if (rollouts.Count != options.GroupSize)
                    throw new InvalidOperationException($"The rollout source returned {rollouts.Count} rollouts of task '{task.Id}' for a group of {options.GroupSize}.");
                var group = Score(sampled.Count, rollouts, step);
                if (source is IScoredRolloutObserver observer)
                    await observer.OnGroupScoredAsync(new ScoredRolloutGroup(step, rollouts, group.Results, group.Totals), cancellationToken).ConfigureAwait(false);
                sampled.Add(group);
                if (!(options.DynamicSampling && group.ZeroStd))
                    trained.Add(group);
            }
        }
        return new CollectedGroups(sampled, trained, tasksConsumed);
    }

    /// <summary>Every reward function's result for each rollout and their weighted totals.</summary>
    public ScoredGroup Score(int index, IReadOnlyList<Rollout> rollouts, int step)
    {
        var results = new List<IReadOnlyDictionary<string, RewardResult>>(rollouts.Count);
        var totals = new double[rollouts.Count];
        for (var i = 0; i < rollouts.Count; i++)
        {
            var byName = new Dictionary<string, RewardResult>();
            for (var f = 0; f < rewards.Count; f++)
            {
                var result = rewards[f].Score(rollouts[i]);
                if (!double.IsFinite(result.Value))
                    throw new InvalidOperationException($"Reward function '{rewards[f].Name}' gave {result.Value} for task '{rollouts[i].Task.Id}' at step {step}; rewards must be finite.");
                byName[rewards[f].Name] = result;
                totals[i] += weights[f] * result.Value;
            }
            results.Add(byName);
        }
        return new ScoredGroup(index, rollouts, results, totals);
    }
}
