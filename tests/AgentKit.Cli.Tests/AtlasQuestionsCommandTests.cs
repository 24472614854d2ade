using System.Text.Json.Nodes;
using AgentKit.Atlas.Questions;
using AgentKit.TestUtils;
using static AgentKit.Cli.Tests.CliRun;

namespace AgentKit.Cli.Tests;

/// <summary><c>agentkit atlas questions</c>: the rephrased RL file next to the three split files.</summary>
public sealed class AtlasQuestionsCommandTests
{
    private static readonly string Source = Path.Combine(AgentCli.RepoRoot(), "agents", "atlas", "data", "source");

    [Fact]
    public async Task Rephrased_per_family_writes_rephrased_jsonl_and_reports_it()
    {
        var output = TinyModels.TempPath("questions");

        var (exit, stdout, stderr) = await RunAsync("atlas", "questions", "--out", output, "--source", Source,
            "--train-per-family", "5", "--test-per-family", "2", "--bad-train", "2", "--rephrased-per-family", "3", "--json");

        Assert.True(exit == 0, stderr);
        var rephrased = QuestionFile.Read(Path.Combine(output, "rephrased.jsonl"));
        Assert.Equal(QuestionFamilies.Answerable.Count * 3, rephrased.Count);
        Assert.All(rephrased, q => Assert.Contains("-rephrased-", q.Id));
        var train = QuestionFile.Read(Path.Combine(output, "train.jsonl"));
        Assert.DoesNotContain(train, q => rephrased.Any(r => r.Question == q.Question));
        var counts = JsonNode.Parse(stdout)!["rephrased"]!.AsArray();
        Assert.Equal(rephrased.Count, counts.Sum(c => c!["questions"]!.GetValue<int>()));
    }

    [Fact]
    public async Task A_negative_rephrased_count_exits_2_naming_the_flag()
    {
        var output = TinyModels.TempPath("questions");

        var (exit, _, stderr) = await RunAsync("atlas", "questions", "--out", output, "--source", Source, "--rephrased-per-family", "-1");

        Assert.Equal(2, exit);
        Assert.Contains("--rephrased-per-family must be between 0 and 100000, got -1.", stderr);
        Assert.False(Directory.Exists(output));
    }
}
