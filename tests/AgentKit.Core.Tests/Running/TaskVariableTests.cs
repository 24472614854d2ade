using AgentKit.Core.Definitions;
using AgentKit.Core.Models;
using AgentKit.Core.Prompts;
using AgentKit.Core.Running;

namespace AgentKit.Core.Tests.Running;

/// <summary><see cref="AgentDefinition.TaskVariable"/>: agent code reads the task text from a variable, in the real sandbox.</summary>
[Collection(SandboxCollection.Name)]
public class TaskVariableTests(SandboxFixture fixture)
{
    private Agent Create(AgentDefinition definition, ScriptedCandidateGenerator model) =>
        new(definition, model, fixture.Sandbox, [], new AgentRunOptions { Sink = new MemorySink() });

    [Fact]
    public async Task Code_reads_the_exact_task_text_quotes_backslashes_and_line_breaks_included()
    {
        const string question = "Say \"hi\" to C:\\temp\nthen\ttab \u2028 and \u0001 end?";
        var model = ScriptedCandidateGenerator.FromReplies(
            [AgentLoopTests.Act("echo", "FinalAnswer(task.Length + \"|\" + (task == \"" + question.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n").Replace("\t", "\\t").Replace("\u2028", "\\u2028").Replace("\u0001", "\\u0001") + "\"));")]);

        var result = await Create(AgentLoopTests.Definition() with { TaskVariable = "task" }, model).RunAsync(question);

        Assert.Equal($"{question.Length}|True", result.FinalAnswer);
        // The declaration is set-up, not an action the model took.
        Assert.Equal(1, result.ActionSteps);
    }

    [Fact]
    public void The_system_prompt_names_the_variable_only_when_it_is_declared()
    {
        var with = Create(AgentLoopTests.Definition() with { TaskVariable = "question" }, ScriptedCandidateGenerator.FromReplies());
        var without = Create(AgentLoopTests.Definition(), ScriptedCandidateGenerator.FromReplies());

        Assert.Contains("`string question`", with.SystemPrompt);
        Assert.DoesNotContain("task text", without.SystemPrompt);
        Assert.Contains("Variable: string task (the task text)",
            new PromptBuilder("Be brief.", [], PromptStyle.Compact, "task").SystemPrompt);
    }

    [Fact]
    public async Task Without_the_setting_code_sees_no_task_variable()
    {
        var model = ScriptedCandidateGenerator.FromReplies(
            [AgentLoopTests.Act("peek", "Console.WriteLine(task);")],
            [AgentLoopTests.Act("give up", "FinalAnswer(\"none\");")]);

        var result = await Create(AgentLoopTests.Definition(), model).RunAsync("anything");

        Assert.True(result.Steps.OfType<AgentKit.Abstractions.Trajectories.ActionStep>().First().IsError);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1task")]
    [InlineData("task text")]
    [InlineData("task;Console.WriteLine(1)")]
    public void A_task_variable_that_is_not_an_identifier_is_rejected(string name)
    {
        var error = Assert.Throws<ArgumentException>(() => (AgentLoopTests.Definition() with { TaskVariable = name }).Validate());
        Assert.Contains("task_variable", error.Message);
    }
}
