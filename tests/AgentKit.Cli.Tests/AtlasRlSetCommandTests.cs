using System.Text.Json.Nodes;
using AgentKit.Atlas.Questions;
using AgentKit.TestUtils;
using static AgentKit.Cli.Tests.CliRun;

namespace AgentKit.Cli.Tests;

/// <summary><c>agentkit atlas rl-set</c>: the GRPO agent folder over the real and an invented atlas, and its refusals.</summary>
public sealed class AtlasRlSetCommandTests
{
    private static readonly string Atlas = Path.Combine(AgentCli.RepoRoot(), "agents", "atlas");
    private static readonly string Source = Path.Combine(Atlas, "data", "source");

    [Fact]
    public async Task Writes_the_folder_and_reports_questions_by_family_and_passages()
    {
        var output = TinyModels.TempPath("rl-set");

        var (exit, stdout, stderr) = await RunAsync("atlas", "rl-set", "--out", output, "--agent", Atlas, "--source", Source,
            "--countries", "20", "--per-family", "5", "--others", "4", "--focus", "comparison,set", "--json");

        Assert.True(exit == 0, stderr);
        var report = JsonNode.Parse(stdout)!;
        var questions = QuestionFile.Read(Path.Combine(output, "questions", "rl.jsonl"));
        Assert.Equal(questions.Count, report["total"]!.GetValue<int>());
        Assert.Equal(["comparison", "set"], report["families"]!.AsArray().Take(2).Select(f => f!["family"]!.GetValue<string>()));
        Assert.Equal(4, questions.Count(q => q.Id.StartsWith("inv-", StringComparison.Ordinal) && q.Family is not ("comparison" or "set")));
        Assert.True(File.Exists(Path.Combine(output, "agent.json")) && !File.Exists(Path.Combine(output, "model.gguf")));

        var (again, line, _) = await RunAsync("atlas", "rl-set", "--out", TinyModels.TempPath("rl-set"), "--agent", Atlas, "--source", Source,
            "--countries", "20", "--per-family", "5", "--others", "4", "--focus", "comparison,set");
        Assert.Equal(0, again);
        Assert.Contains("comparison 100+5, set 100+5", line);
        Assert.Contains("invented (20 countries, seed 23)", line);
    }

    [Theory]
    [InlineData("--focus", "comparison,sets", "--focus: unknown family 'sets'; known: lookup, bridge, comparison, arithmetic, set.")]
    [InlineData("--focus", ",", "--focus must name at least one family")]
    [InlineData("--others", "-1", "--others must be between 0 and 100000, got -1.")]
    [InlineData("--countries", "5", "--countries must be between 10 and 5000, got 5.")]
    [InlineData("--agent", "no-such-agent", "--agent: no agent.json in agent folder no-such-agent.")]
    public async Task Bad_arguments_exit_2_naming_the_flag(string flag, string value, string message)
    {
        var output = TinyModels.TempPath("rl-set");

        string[] agent = flag == "--agent" ? [] : ["--agent", Atlas];

        var (exit, stdout, stderr) = await RunAsync(["atlas", "rl-set", "--out", output, .. agent, "--source", Source, flag, value]);

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Contains(message, stderr);
        Assert.DoesNotContain("   at ", stderr);
        Assert.False(Directory.Exists(output));
    }
}
