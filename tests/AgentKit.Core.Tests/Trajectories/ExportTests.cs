using AgentKit.Abstractions.Trajectories;
using AgentKit.Core.Trajectories;

namespace AgentKit.Core.Tests.Trajectories;

public class ExportTests
{
    [Fact]
    public void Sft_export_matches_the_golden_output()
    {
        var output = new StringWriter();
        var written = SftExporter.Export([SampleTrajectory.Create(), SampleTrajectory.Create("failed", RunOutcome.Failed)], output);
        Assert.Equal(1, written);
        const string golden =
            """{"messages":[{"role":"system","content":"SYS","weight":0},{"role":"user","content":"Task: 2+3?","weight":0},{"role":"assistant","content":"Thought: add\n```csharp\nFinalAnswer(2+3);\n```","weight":1}]}""" + "\n";
        Assert.Equal(golden, output.ToString());
    }

    [Fact]
    public void Sft_export_uses_the_plain_answer_of_a_step_limited_run_and_drops_a_forced_prefix_message()
    {
        var record = SampleTrajectory.Create();
        var action = (ActionStep)record.Steps[1];
        action = action with { Prompt = [.. action.Prompt, new PromptMessage(PromptRoles.Assistant, "Thought: forced")] };
        var limited = record with
        {
            Outcome = RunOutcome.StepLimit,
            Steps =
            [
                record.Steps[0], action,
                new FinalAnswerStep("5", FinalAnswerSource.StepLimit,
                    [new(PromptRoles.System, "SYS"), new(PromptRoles.User, "Task"), new(PromptRoles.Assistant, "act"), new(PromptRoles.User, "obs\n\nlimit")],
                    " 5 ", new ModelUsage(1, 1, 1)),
            ],
        };
        var example = SftExporter.ToExample(limited)!;
        Assert.Equal(["system", "user", "assistant", "user", "assistant"], example.Messages.Select(m => m.Role));
        Assert.Equal([0, 0, 1, 0, 1], example.Messages.Select(m => m.Weight));
        Assert.Equal("5", example.Messages[^1].Content);

        var prefixed = SftExporter.ToExample(record with { Steps = [record.Steps[0], action, record.Steps[2]] })!;
        Assert.Equal(3, prefixed.Messages.Count); // the forced "Thought: forced" message is not a turn of its own
        Assert.StartsWith("Thought: add", prefixed.Messages[^1].Content);
    }

    [Fact]
    public void Candidate_groups_carry_outcomes_votes_and_correctness()
    {
        var output = new StringWriter();
        Assert.Equal(1, CandidateGroupExporter.Export([SampleTrajectory.Create()], output));
        var group = Assert.Single(CandidateGroupExporter.ToGroups(SampleTrajectory.Create()));
        Assert.Equal(1, group.Step);
        Assert.Equal("t1", group.TaskId);
        Assert.Equal(2, group.Prompt.Count);
        Assert.True(group.Candidates[0].Correct);
        Assert.True(group.Candidates[0].Chosen);
        Assert.Equal(1, group.Candidates[0].Votes);
        Assert.False(group.Candidates[1].Parsed);
        Assert.Null(group.Candidates[1].Correct);
        Assert.Equal("Error: no code block found.", group.Candidates[1].Error);
        Assert.True(group.RunCorrect);
        var line = output.ToString();
        Assert.Contains("\"candidates\":[", line);
        Assert.Contains("\"status\":\"ok\"", line);
        Assert.EndsWith("}\n", line);
    }
}
