using AgentKit.Abstractions.Trajectories;

namespace AgentKit.Core.Trajectories;

/// <summary>One model request of a run: the messages sent and the reply the agent kept.</summary>
/// <param name="Kind">Which step made it: a plan, an action or the plain answer at the step limit.</param>
/// <param name="Step">The action step it belongs to (for a plan: the step it precedes; for the plain answer: 0).</param>
/// <param name="Prompt">The messages, without a forced first-thought prefix (the reply already starts with it).</param>
/// <param name="Reply">What the model wrote (for an action: the normalised action text).</param>
internal sealed record RecordedRequest(RecordedRequestKind Kind, int Step, IReadOnlyList<PromptMessage> Prompt, string Reply);

/// <summary>The kind of step a <see cref="RecordedRequest"/> came from.</summary>
internal enum RecordedRequestKind
{
    Planning,
    Action,
    StepLimitAnswer,
    ChainOfThoughtAnswer,
}

/// <summary>Lists the model requests recorded in a run, in order; the exporters build their rows from these.</summary>
internal static class RecordedRequests
{
    public static IEnumerable<RecordedRequest> Of(TrajectoryRecord record)
    {
        foreach (var step in record.Steps)
        {
            switch (step)
            {
                case PlanningStep plan:
                    yield return new(RecordedRequestKind.Planning, plan.BeforeStep, WithoutForcedPrefix(plan.Prompt), plan.Plan);
                    break;
                case ActionStep action:
                    yield return new(RecordedRequestKind.Action, action.Step, WithoutForcedPrefix(action.Prompt), action.Action);
                    break;
                case FinalAnswerStep { Source: FinalAnswerSource.StepLimit, Prompt: { } prompt, Text: { } text }:
                    yield return new(RecordedRequestKind.StepLimitAnswer, 0, WithoutForcedPrefix(prompt), text.Trim());
                    break;
                case FinalAnswerStep { Source: FinalAnswerSource.ChainOfThought, Prompt: { } cotPrompt, Text: { } cotText }:
                    yield return new(RecordedRequestKind.ChainOfThoughtAnswer, 0, cotPrompt, cotText.Trim());
                    break;
            }
        }
    }

    /// <summary>Whether the run ended in a way whose requests are worth learning from (answered or step-limited).</summary>
    public static bool IsUsable(TrajectoryRecord record) => record.Outcome is RunOutcome.Answered or RunOutcome.StepLimit;

    // A trailing assistant message is the forced first-thought prefix: the recorded reply already starts with it.
    private static IReadOnlyList<PromptMessage> WithoutForcedPrefix(IReadOnlyList<PromptMessage> prompt) =>
        prompt.Count > 0 && prompt[^1].Role == PromptRoles.Assistant ? [.. prompt.Take(prompt.Count - 1)] : prompt;
}
