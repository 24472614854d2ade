namespace AgentKit.Examples.Tests;

[Collection("examples")]
public sealed class SemanticKernelAppTests
{
    [Fact]
    public async Task Kernel_invokes_the_agent_whose_code_calls_the_kernel_plugin()
    {
        var run = await ExampleProcess.RunAsync("SemanticKernelApp", ["--question", "What is the capital of Chile?"], TimeSpan.FromMinutes(3));

        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}\n{run.Output}\n{run.Error}");
        // The agent's only tools are the plugin's functions, with typed results.
        Assert.Contains("tool from the kernel plugin: Passage[] Mentions(string text, string idPrefix = \"\")", run.Output);
        Assert.Contains("tool from the kernel plugin: Passage[] Search(string query, int k = 3)", run.Output);
        // The real model's code called the plugin and read the typed passage it returned.
        Assert.Contains("Mentions(task", run.Output);
        Assert.Contains("observation: capital of Chile: Santiago de Chile", run.Output);
        // The kernel function's result is the agent's answer.
        Assert.Contains("answer: Santiago de Chile", run.Output);
    }
}
