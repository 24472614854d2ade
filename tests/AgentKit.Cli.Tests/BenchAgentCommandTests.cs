namespace AgentKit.Cli.Tests;

public class BenchAgentCommandTests
{
    [Theory]
    [InlineData("--steps", "1")]
    [InlineData("--llm-steps", "0")]
    [InlineData("--max-tokens", "4")]
    [InlineData("--model", "/nonexistent/model.gguf")]
    public async Task Bad_arguments_exit_2(params string[] args)
    {
        var (exit, stdout, stderr) = await AgentCli.RunAsync(["bench", "agent", .. args]);
        Assert.Equal(2, exit);
        Assert.StartsWith("error: ", stderr);
        Assert.Empty(stdout);
    }
}
