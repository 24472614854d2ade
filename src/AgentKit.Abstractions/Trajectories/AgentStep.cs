using System.Text.Json.Serialization;

namespace AgentKit.Abstractions.Trajectories;

/// <summary>
/// One entry of an agent's memory. The list of steps is both what prompts are built from and the
/// recorded trajectory. Serialised with a <c>type</c> discriminator.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(TaskStep), "task")]
[JsonDerivedType(typeof(PlanningStep), "planning")]
[JsonDerivedType(typeof(ActionStep), "action")]
[JsonDerivedType(typeof(FinalAnswerStep), "final_answer")]
public abstract record AgentStep;

/// <summary>The task the run started with.</summary>
/// <param name="Task">The question given to the agent.</param>
public sealed record TaskStep(string Task) : AgentStep;

/// <summary>What a model request cost.</summary>
/// <param name="ModelMs">Wall time of the model request in milliseconds.</param>
/// <param name="PromptTokens">Tokens in the prompt.</param>
/// <param name="CompletionTokens">Tokens generated, over all candidates.</param>
public sealed record ModelUsage(double ModelMs, int PromptTokens, int CompletionTokens);

/// <summary>A plan the model wrote before action step <see cref="BeforeStep"/>.</summary>
/// <param name="BeforeStep">The 1-based action step the plan precedes.</param>
/// <param name="Prompt">The exact messages sent to the model.</param>
/// <param name="Plan">The plan text.</param>
/// <param name="Usage">What the request cost.</param>
public sealed record PlanningStep(int BeforeStep, IReadOnlyList<PromptMessage> Prompt, string Plan, ModelUsage Usage) : AgentStep;

/// <summary>One action step: the candidates sampled, the one chosen, and what running it showed.</summary>
public sealed record ActionStep : AgentStep
{
    /// <summary>1-based action step number.</summary>
    public required int Step { get; init; }

    /// <summary>The exact messages sent to the model (a forced prefix, if any, is the last assistant message).</summary>
    public required IReadOnlyList<PromptMessage> Prompt { get; init; }

    /// <summary>Every candidate, in sampling order, with its outcome and votes.</summary>
    public required IReadOnlyList<CandidateRecord> Candidates { get; init; }

    /// <summary>Index into <see cref="Candidates"/> of the action taken.</summary>
    public required int ChosenIndex { get; init; }

    /// <summary>The action as the agent remembers it: normalised <c>Thought/```csharp</c> text, or the raw text when it did not parse.</summary>
    public required string Action { get; init; }

    /// <summary>Text forced as the start of this step's action (first-thought prefix), if any.</summary>
    public string? ForcedPrefix { get; init; }

    /// <summary>What the agent saw after the action (output, return value or error), already truncated.</summary>
    public required string Observation { get; init; }

    /// <summary>Whether the observation reports an error (parse or execution).</summary>
    public required bool IsError { get; init; }

    /// <summary>The final answer, when the chosen code called <c>FinalAnswer</c>.</summary>
    public string? FinalAnswer { get; init; }

    /// <summary>What the model request cost.</summary>
    public required ModelUsage Usage { get; init; }

    /// <summary>Wall time spent executing candidates (all of them) and committing, in milliseconds.</summary>
    public double ExecutionMs { get; init; }

    /// <summary>Wall time of the runtime's own work (prompt building, parsing, voting), in milliseconds.</summary>
    public double OverheadMs { get; init; }

    /// <summary>When a cascade generated the step: who produced the action (student or teacher) and the student's uncertainty.</summary>
    public Models.CascadeRouting? Cascade { get; init; }
}

/// <summary>How the run's answer was obtained.</summary>
public enum FinalAnswerSource
{
    /// <summary>Agent code called <c>FinalAnswer(...)</c>.</summary>
    Code,

    /// <summary>The step limit was reached and the model was asked for a plain answer.</summary>
    StepLimit,

    /// <summary>The run was one plain chain-of-thought request (CoT distillation data) and the answer was extracted from its reply.</summary>
    ChainOfThought,
}

/// <summary>The run's answer.</summary>
/// <param name="Answer">The answer text.</param>
/// <param name="Source">How it was obtained.</param>
/// <param name="Prompt">For <see cref="FinalAnswerSource.StepLimit"/> and <see cref="FinalAnswerSource.ChainOfThought"/>: the exact messages of the last request.</param>
/// <param name="Text">For <see cref="FinalAnswerSource.StepLimit"/> and <see cref="FinalAnswerSource.ChainOfThought"/>: the model's raw reply.</param>
/// <param name="Usage">For <see cref="FinalAnswerSource.StepLimit"/> and <see cref="FinalAnswerSource.ChainOfThought"/>: what the last request cost.</param>
public sealed record FinalAnswerStep(
    string Answer,
    FinalAnswerSource Source,
    IReadOnlyList<PromptMessage>? Prompt = null,
    string? Text = null,
    ModelUsage? Usage = null) : AgentStep;
