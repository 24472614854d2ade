namespace AgentKit.Core.Trajectories.Trl;

/// <summary>One chat message as TRL's conversational datasets hold it: exactly <c>role</c> and <c>content</c>.</summary>
/// <param name="Role">system, user or assistant.</param>
/// <param name="Content">The text.</param>
public sealed record TrlMessage(string Role, string Content);

/// <summary>A conversational language-modeling row (<c>messages</c>), the input of TRL's <c>SFTTrainer</c>.</summary>
/// <param name="Messages">The whole conversation.</param>
public sealed record TrlSftRow(IReadOnlyList<TrlMessage> Messages);

/// <summary>A conversational prompt-completion row, the input of TRL's <c>SFTTrainer</c> with a completion-only loss.</summary>
/// <param name="Prompt">The messages the model read.</param>
/// <param name="Completion">The one assistant message it wrote.</param>
public sealed record TrlPromptCompletionRow(IReadOnlyList<TrlMessage> Prompt, IReadOnlyList<TrlMessage> Completion);

/// <summary>A conversational prompt-only row for TRL's <c>GRPOTrainer</c>; the columns besides <c>prompt</c> go to reward functions.</summary>
/// <param name="Prompt">The messages of one action step, as the agent sent them.</param>
/// <param name="Answer">The task's reference answer; null (JSON <c>null</c>) when the task has none.</param>
/// <param name="TaskId">The task the prompt belongs to.</param>
/// <param name="Step">The 1-based action step (1 is the task's opening prompt).</param>
public sealed record TrlGrpoRow(IReadOnlyList<TrlMessage> Prompt, string? Answer, string TaskId, int Step);
