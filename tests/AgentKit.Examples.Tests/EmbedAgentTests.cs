namespace AgentKit.Examples.Tests;

[Collection("examples")] // each example is a whole process using both cores: one at a time
public sealed class EmbedAgentTests
{
    [Fact]
    public async Task Atlas_model_answers_through_di_and_prints_its_steps()
    {
        var run = await ExampleProcess.RunAsync("EmbedAgent", ["--question", "What is the capital of Peru?"], TimeSpan.FromMinutes(3));

        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}\n{run.Output}\n{run.Error}");
        // The distilled model's code: names come from the task through Mentions, facts from the passage text.
        Assert.Contains("step 1:", run.Output);
        Assert.Contains("Mentions(task", run.Output);
        Assert.Contains("observation:", run.Output);
        Assert.Contains("answer: Lima (Answered", run.Output);
    }

    [Fact]
    public async Task Missing_agent_folder_fails_with_one_line()
    {
        var run = await ExampleProcess.RunAsync("EmbedAgent", ["--agent", "no/such/agent"], TimeSpan.FromMinutes(1));

        Assert.Equal(1, run.ExitCode);
        Assert.DoesNotContain("   at ", run.Output + run.Error); // no stack trace
    }
}
