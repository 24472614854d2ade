using AgentKit.Abstractions.Execution;
using AgentKit.Abstractions.Models;
using AgentKit.Abstractions.Trajectories;

namespace AgentKit.Core.Tests.Trajectories;

/// <summary>A small fixed trajectory: one action step with two candidates that ends with FinalAnswer.</summary>
internal static class SampleTrajectory
{
    public static TrajectoryRecord Create(string runId = "run1", RunOutcome outcome = RunOutcome.Answered)
    {
        IReadOnlyList<PromptMessage> prompt =
        [
            new(PromptRoles.System, "SYS"),
            new(PromptRoles.User, "Task: 2+3?"),
        ];
        var action = new ActionStep
        {
            Step = 1,
            Prompt = prompt,
            Candidates =
            [
                new CandidateRecord { Index = 0, Text = "Thought: add\n```csharp\nFinalAnswer(2+3);\n```", Parsed = true, Thought = "add", Code = "FinalAnswer(2+3);", Status = ExecutionStatus.Ok, Output = "", FinalAnswer = "5", Votes = 1, Chosen = true },
                new CandidateRecord { Index = 1, Text = "it is 5", Parsed = false, ParseError = "Error: no code block found." },
            ],
            ChosenIndex = 0,
            Action = "Thought: add\n```csharp\nFinalAnswer(2+3);\n```",
            Observation = "Final answer: 5",
            IsError = false,
            FinalAnswer = "5",
            Usage = new ModelUsage(12.5, 10, 9),
            ExecutionMs = 3,
        };
        return new TrajectoryRecord
        {
            RunId = runId,
            StartedAt = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero),
            DurationMs = 20,
            Task = new TrajectoryTask("t1", "2+3?", "5"),
            Agent = new AgentSnapshot("calc", "Be brief.", [], 3, 0, 2000),
            Model = new ModelIdentity("scripted", "scripted"),
            Sampling = new SamplingSettings(2, 0.7f, 0.95f, 1, 64, true),
            Steps = [new TaskStep("2+3?"), action, new FinalAnswerStep("5", FinalAnswerSource.Code)],
            FinalAnswer = "5",
            Outcome = outcome,
            Score = new TrajectoryScore(true, "numeric"),
            PromptTokens = 10,
            CompletionTokens = 9,
        };
    }
}
