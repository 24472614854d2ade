using AgentKit.Abstractions.Trajectories;
using AgentKit.Core.Definitions;
using AgentKit.Core.Distillation;
using AgentKit.Core.Scoring.Benchmarks;
using AgentKit.Core.Models;
using AgentKit.Core.Trajectories;

namespace AgentKit.Core.Tests.Distillation;

public class ChainOfThoughtRecordTests
{
    private static readonly AgentDefinition Definition = new() { Name = "cot", Model = new AgentModelOptions { Path = "teacher.gguf" } };

    [Fact]
    public async Task A_qa_reply_is_extracted_graded_and_exported_with_the_eval_prompt()
    {
        var teacher = ScriptedCandidateGenerator.FromReplies(["Peru's capital is Lima.\nFinal answer: Lima"]);
        var task = new TrajectoryTask("1", "Capital of Peru?", "Lima");
        var record = await ChainOfThoughtRecord.RunAsync(teacher, Definition, task, BenchmarkKind.Qa, 256);

        Assert.Equal(("Lima", RunOutcome.Answered, true), (record.FinalAnswer, record.Outcome, record.Score?.Correct));
        Assert.Empty(record.Steps.OfType<ActionStep>());
        var request = Assert.Single(teacher.Requests);
        Assert.Equal(ChainOfThoughtAnswering.QaInstructions, request.Messages![0].Text);
        Assert.Equal((1, 256), (request.N, request.MaxTokens));

        var example = SftExporter.ToExample(record);
        Assert.NotNull(example);
        Assert.Equal([(PromptRoles.System, ChainOfThoughtAnswering.QaInstructions, 0), (PromptRoles.User, "Capital of Peru?", 0),
            (PromptRoles.Assistant, "Peru's capital is Lima.\nFinal answer: Lima", 1)], example.Messages.Select(m => (m.Role, m.Content, m.Weight)).ToList());
    }

    [Fact]
    public async Task A_wrong_math_answer_is_graded_incorrect_and_an_empty_reply_fails()
    {
        var wrong = await ChainOfThoughtRecord.RunAsync(ScriptedCandidateGenerator.FromReplies(["so \\boxed{5}"]), Definition,
            new TrajectoryTask("2", "3+3?", "6"), BenchmarkKind.Math, 64);
        Assert.Equal(("5", false), (wrong.FinalAnswer, wrong.Score?.Correct));

        var empty = await ChainOfThoughtRecord.RunAsync(ScriptedCandidateGenerator.FromReplies(["  "]), Definition,
            new TrajectoryTask("3", "3+3?", "6"), BenchmarkKind.Math, 64);
        Assert.Equal(RunOutcome.Failed, empty.Outcome);
        Assert.Null(SftExporter.ToExample(empty));
    }
}
