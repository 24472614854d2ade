using AgentKit.Abstractions.Trajectories;
using AgentKit.Training.Model;

namespace AgentKit.Training.Grpo.Rollouts;

/// <summary>
/// Produces a group of rollouts of one task from the current policy. <see cref="PolicyRolloutSource"/> samples plain
/// completions; an agent source runs whole agent episodes with the policy as the generator and marks only the tokens it
/// generated. Every source feeds the same loss.
/// </summary>
public interface IRolloutSource
{
    /// <summary>Samples <see cref="RolloutRequest.GroupSize"/> rollouts of <see cref="RolloutRequest.Task"/>.</summary>
    /// <remarks>Called between optimizer steps, never concurrently with one; the policy must be left in the mode it was found in.</remarks>
    Task<IReadOnlyList<Rollout>> SampleGroupAsync(RolloutRequest request, CancellationToken cancellationToken = default);
}

/// <summary>What a rollout source is asked for.</summary>
/// <param name="Policy">The model being trained (sample from it under <c>no_grad</c>).</param>
/// <param name="Task">The task to attempt.</param>
/// <param name="GroupSize">Rollouts wanted (G).</param>
/// <param name="MaxCompletionTokens">Most tokens the policy may generate per rollout (for an agent run: per step).</param>
/// <param name="Temperature">Sampling temperature.</param>
/// <param name="TopP">Nucleus threshold.</param>
/// <param name="Seed">Seed for this group's sampling: derived from the run's seed, the step and the task's place, so a resumed run samples the same.</param>
public sealed record RolloutRequest(LlamaForCausalLM Policy, TrajectoryTask Task, int GroupSize, int MaxCompletionTokens, float Temperature, float TopP, long Seed);
