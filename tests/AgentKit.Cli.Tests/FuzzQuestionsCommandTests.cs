using static AgentKit.Cli.Tests.CliRun;

namespace AgentKit.Cli.Tests;

/// <summary><c>agentkit fuzz questions</c>: argument checks (the questions themselves are tested in AgentKit.Fuzzing.Tests).</summary>
public sealed class FuzzQuestionsCommandTests
{
    [Fact]
    public async Task A_folder_without_a_campaign_is_a_usage_error_naming_the_flag()
    {
        var empty = Directory.CreateTempSubdirectory("agentkit-questions-").FullName;
        var (exit, _, stderr) = await RunAsync("fuzz", "questions", "--campaign", empty, "--out", Path.Combine(empty, "q.jsonl"));

        Assert.Equal(2, exit);
        Assert.Contains("--campaign", stderr);
        Assert.Contains("no target.json", stderr);
    }

    [Theory]
    [InlineData("--max", "0")]
    [InlineData("--tokens", "10")]
    [InlineData("--caller-depth", "-1")]
    public async Task Out_of_range_numbers_are_usage_errors_naming_the_flag(string flag, string value)
    {
        var (exit, _, stderr) = await RunAsync("fuzz", "questions", "--campaign", Path.GetTempPath(), "--out", "q.jsonl", flag, value);

        Assert.Equal(2, exit);
        Assert.Contains($"{flag} must be at least", stderr);
    }
}
