using AgentKit.Abstractions.Execution;
using AgentKit.Abstractions.Trajectories;
using AgentKit.Training.Grpo.Rollouts;

namespace AgentKit.Training.Grpo.Agents;

/// <summary>Turns a recorded agent run and its conversation tokens into a <see cref="Rollout"/>.</summary>
internal static class AgentRollouts
{
    public static Rollout ToRollout(TrajectoryTask task, TrajectoryRecord record, ConversationTokens conversation, IReadOnlyList<string> texts, bool truncated) =>
        new Rollout
        {
            Task = task,
            TokenIds = [.. conversation.TokenIds],
            PolicyMask = [.. conversation.PolicyMask],
            SamplingLogProbs = [.. conversation.SamplingLogProbs],
            Truncated = truncated,
            CompletionText = string.Join("\n\n", texts),
            FinalAnswer = record.FinalAnswer,
            Actions = Actions(record),
            Trajectory = record,
        }.Validate();

    /// <summary>The chosen candidate of every action step, with what its execution showed.</summary>
    public static IReadOnlyList<RolloutAction> Actions(TrajectoryRecord record) =>
        [.. record.Steps.OfType<ActionStep>().Select(step =>
        {
            var chosen = step.Candidates[step.ChosenIndex];
            // No status: the text did not parse, so nothing was compiled or run (the format reward sees the parse failure).
            bool? compiled = chosen.Status is { } status ? status is not (ExecutionStatus.CompileError or ExecutionStatus.PolicyViolation) : null;
            bool? ran = chosen.Status is { } s ? s is ExecutionStatus.Ok or ExecutionStatus.OutputTruncated : null;
            return new RolloutAction(chosen.Text, compiled, ran);
        })];
}
