using System.Text.Json;
using AgentKit.Abstractions.Trajectories;
using AgentKit.Core.Trajectories.Trl;

namespace AgentKit.Core.Tests.Trajectories.Trl;

public class TrlExporterTests
{
    private static string[] ExportLines(TrlDatasetFormat format, params TrajectoryRecord[] records)
    {
        var output = new StringWriter();
        var written = TrlExporter.Export(records, format, output);
        var text = output.ToString();
        Assert.EndsWith("\n", text);
        var lines = text[..^1].Split('\n');
        Assert.Equal(written, lines.Length);
        return lines;
    }

    private static string[] Keys(JsonElement element) => [.. element.EnumerateObject().Select(p => p.Name)];

    // TRL's conversational messages: a JSON array of objects with exactly role and content, both strings.
    private static void AssertMessages(JsonElement messages, params string[] roles)
    {
        Assert.Equal(JsonValueKind.Array, messages.ValueKind);
        Assert.Equal(roles, messages.EnumerateArray().Select(m => m.GetProperty("role").GetString()));
        foreach (var message in messages.EnumerateArray())
        {
            Assert.Equal(["role", "content"], Keys(message));
            Assert.Equal(JsonValueKind.String, message.GetProperty("content").ValueKind);
        }
    }

    /// <summary>A step-limited run: a plan, two actions (the second with a forced prefix) and the plain answer.</summary>
    private static TrajectoryRecord PlannedStepLimitedRun()
    {
        var record = SampleTrajectory.Create();
        var first = (ActionStep)record.Steps[1];
        var second = first with
        {
            Step = 2,
            Prompt = [.. first.Prompt, new(PromptRoles.Assistant, first.Action), new(PromptRoles.User, "obs"), new(PromptRoles.Assistant, "Thought:")],
            Action = "Thought: again\n```csharp\nPrint(5);\n```",
        };
        return record with
        {
            Outcome = RunOutcome.StepLimit,
            Steps =
            [
                record.Steps[0],
                new PlanningStep(1, [new(PromptRoles.System, "SYS"), new(PromptRoles.User, "Plan: 2+3?")], "1. add", new ModelUsage(1, 1, 1)),
                first,
                second,
                new FinalAnswerStep("5", FinalAnswerSource.StepLimit, [new(PromptRoles.System, "SYS"), new(PromptRoles.User, "answer now")], " 5 ", new ModelUsage(1, 1, 1)),
            ],
        };
    }

    [Fact]
    public void Sft_rows_are_conversational_language_modeling_with_role_and_content_only()
    {
        var lines = ExportLines(TrlDatasetFormat.Sft, SampleTrajectory.Create(), SampleTrajectory.Create("failed", RunOutcome.Failed));

        const string golden =
            """{"messages":[{"role":"system","content":"SYS"},{"role":"user","content":"Task: 2+3?"},{"role":"assistant","content":"Thought: add\n```csharp\nFinalAnswer(2+3);\n```"}]}""";
        Assert.Equal([golden], lines);
        var row = JsonDocument.Parse(lines[0]).RootElement;
        Assert.Equal(["messages"], Keys(row));
        AssertMessages(row.GetProperty("messages"), "system", "user", "assistant");
    }

    [Fact]
    public void Prompt_completion_rows_are_one_per_model_request_with_a_single_assistant_completion()
    {
        var lines = ExportLines(TrlDatasetFormat.PromptCompletion, PlannedStepLimitedRun(), SampleTrajectory.Create("cancelled", RunOutcome.Cancelled));

        Assert.Equal(4, lines.Length); // plan, action 1, action 2, plain answer; the cancelled run gives none
        var rows = lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        foreach (var row in rows)
        {
            Assert.Equal(["prompt", "completion"], Keys(row));
            AssertMessages(row.GetProperty("completion"), "assistant");
        }
        AssertMessages(rows[0].GetProperty("prompt"), "system", "user");
        Assert.Equal("1. add", rows[0].GetProperty("completion")[0].GetProperty("content").GetString());
        Assert.Equal("Thought: add\n```csharp\nFinalAnswer(2+3);\n```", rows[1].GetProperty("completion")[0].GetProperty("content").GetString());
        // The forced "Thought:" prefix is not left as a trailing prompt message: the completion already starts with it.
        AssertMessages(rows[2].GetProperty("prompt"), "system", "user", "assistant", "user");
        Assert.StartsWith("Thought: again", rows[2].GetProperty("completion")[0].GetProperty("content").GetString());
        Assert.Equal("5", rows[3].GetProperty("completion")[0].GetProperty("content").GetString());
    }

    [Fact]
    public void Grpo_rows_are_prompt_only_with_reward_columns_and_each_prompt_written_once()
    {
        var noReference = SampleTrajectory.Create("free") with { Task = new TrajectoryTask("t2", "anything?") };
        noReference = noReference with { Steps = [.. noReference.Steps.Select(s => s is ActionStep a ? a with { Prompt = [new(PromptRoles.User, "Task: anything?")] } : s)] };

        var lines = ExportLines(TrlDatasetFormat.Grpo,
            PlannedStepLimitedRun(), SampleTrajectory.Create("again"), SampleTrajectory.Create("failed", RunOutcome.Failed), noReference);

        // Action steps 1 and 2 of the first run; the other runs of task t1 repeat step 1's prompt; t2 adds one.
        Assert.Equal(3, lines.Length);
        Assert.Equal(
            """{"prompt":[{"role":"system","content":"SYS"},{"role":"user","content":"Task: 2+3?"}],"answer":"5","task_id":"t1","step":1}""",
            lines[0]);
        var rows = lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        foreach (var row in rows)
            Assert.Equal(["prompt", "answer", "task_id", "step"], Keys(row)); // the same columns on every line, as pyarrow needs
        AssertMessages(rows[1].GetProperty("prompt"), "system", "user", "assistant", "user");
        Assert.Equal(2, rows[1].GetProperty("step").GetInt32());
        Assert.Equal(JsonValueKind.Null, rows[2].GetProperty("answer").ValueKind);
        Assert.Equal("t2", rows[2].GetProperty("task_id").GetString());
    }

    [Fact]
    public void Library_rows_match_what_export_writes()
    {
        var record = PlannedStepLimitedRun();
        var sft = TrlExporter.ToSftRow(record)!; // the last request (the plain answer at the step limit) and its reply
        Assert.Equal(["SYS", "answer now", "5"], sft.Messages.Select(m => m.Content));
        Assert.Null(TrlExporter.ToSftRow(SampleTrajectory.Create("x", RunOutcome.Failed)));
        Assert.Equal([1, 2], TrlExporter.ToGrpoRows(record).Select(r => r.Step));
        Assert.Equal(4, TrlExporter.ToPromptCompletionRows(record).Count());
    }
}
