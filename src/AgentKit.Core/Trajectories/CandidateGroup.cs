using AgentKit.Abstractions.Execution;
using AgentKit.Abstractions.Trajectories;

namespace AgentKit.Core.Trajectories;

/// <summary>One candidate of a group, with the outcome an RL reward can be computed from.</summary>
/// <param name="Text">The candidate text.</param>
/// <param name="Parsed">Whether it parsed.</param>
/// <param name="Status">Execution status; null when it did not parse.</param>
/// <param name="Output">Printed output.</param>
/// <param name="Error">Parse or execution error.</param>
/// <param name="FinalAnswer">The final answer it gave, if any.</param>
/// <param name="Votes">Self-consistency votes.</param>
/// <param name="Chosen">Whether the agent took it.</param>
/// <param name="Correct">When it gave a final answer and the task has a reference answer: whether that answer is correct.</param>
public sealed record GroupCandidate(string Text, bool Parsed, ExecutionStatus? Status, string? Output, string? Error, string? FinalAnswer, int Votes, bool Chosen, bool? Correct);

/// <summary>All candidates sampled for one prompt (one action step): a GRPO-style group.</summary>
/// <param name="RunId">The run.</param>
/// <param name="TaskId">The task.</param>
/// <param name="Step">1-based action step.</param>
/// <param name="Prompt">The exact prompt messages.</param>
/// <param name="Candidates">The candidates and outcomes.</param>
/// <param name="ReferenceAnswer">The task's gold answer, when known.</param>
/// <param name="RunCorrect">Whether the whole run ended correct, when scored.</param>
public sealed record CandidateGroup(string RunId, string TaskId, int Step, IReadOnlyList<PromptMessage> Prompt, IReadOnlyList<GroupCandidate> Candidates, string? ReferenceAnswer, bool? RunCorrect);
