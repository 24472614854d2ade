using System.Text.Json;
using AgentKit.Core.Trajectories;

namespace AgentKit.Cli.Tests;

/// <summary>The shipped default agent end to end: its own GGUF through LLamaSharp, its Search index, the sandbox.</summary>
[Collection(AgentCli.Collection)]
public sealed class ShippedAtlasTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("agentkit-cli-atlas-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task The_shipped_model_writes_well_formed_actions_that_run()
    {
        var trajectory = Path.Combine(_dir, "run.jsonl");
        var (exit, stdout, stderr) = await AgentCli.RunAsync(
            "run", "--agent", Path.Combine(AgentCli.RepoRoot(), "agents", "atlas"), "--temperature", "0", "--max-steps", "2",
            "--trajectory", trajectory, "--json", "What is the population of Chile?");

        Assert.True(exit == 0, stderr);
        var root = JsonDocument.Parse(stdout).RootElement;
        // Greedy decoding on a plain lookup: the answer is the corpus's own figure, read by the model's code.
        Assert.Equal(ChilePopulationInCorpus(), root.GetProperty("answer").GetString());
        var run = Assert.Single(JsonlTrajectoryReader.Read(trajectory).Records);
        var actions = run.Steps.OfType<AgentKit.Abstractions.Trajectories.ActionStep>().ToList();
        Assert.NotEmpty(actions);
        // The distilled model has learned the action format: its first action parses and takes the country from the task.
        var first = actions[0].Candidates[actions[0].ChosenIndex];
        Assert.True(first.Parsed, first.Text);
        Assert.Contains("Mentions(task, \"country/\")", first.Code);
        Assert.DoesNotContain("Chile", first.Code);
    }

    private static string ChilePopulationInCorpus()
    {
        var corpus = File.ReadLines(Path.Combine(AgentCli.RepoRoot(), "agents", "atlas", "corpus.jsonl"));
        var text = corpus.Select(l => JsonDocument.Parse(l).RootElement).First(p => p.GetProperty("id").GetString() == "country/chile").GetProperty("text").GetString()!;
        return System.Text.RegularExpressions.Regex.Match(text, @"The population of Chile is (\d+)\.").Groups[1].Value;
    }
}
