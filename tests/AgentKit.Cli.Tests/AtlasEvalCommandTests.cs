using System.Text.Json;
using AgentKit.TestUtils;

namespace AgentKit.Cli.Tests;

[Collection(AgentCli.Collection)]
public sealed class AtlasEvalCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("agentkit-cli-atlas-eval-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string AtlasAgent => Path.Combine(AgentCli.RepoRoot(), "agents", "atlas");

    [Fact]
    public async Task Bad_arguments_exit_2()
    {
        var (exit, _, stderr) = await AgentCli.RunAsync("atlas", "eval", "--agent", AtlasAgent, "--n", "1,x");
        Assert.Equal(2, exit);
        Assert.Contains("--n takes comma-separated candidate counts", stderr);

        (exit, _, stderr) = await AgentCli.RunAsync("atlas", "eval", "--agent", AtlasAgent, "--questions", Path.Combine(_dir, "none.jsonl"));
        Assert.Equal(2, exit);
        Assert.Contains("question file not found", stderr);

        foreach (var (flags, message) in new[]
        {
            (new[] { "--seeds", "1,x" }, "--seeds takes comma-separated integers"),
            (["--seeds", "2,2"], "--seeds repeats 2"),
            (["--seeds", "1,2", "--seed", "4"], "--seeds and --seed both set the sampling seed"),
        })
        {
            (exit, _, stderr) = await AgentCli.RunAsync(["atlas", "eval", "--agent", AtlasAgent, .. flags]);
            Assert.Equal(2, exit);
            Assert.Contains(message, stderr);
        }
    }

    [Fact]
    public async Task Seeded_passes_report_each_seed_and_their_mean_and_spread()
    {
        var test = File.ReadAllLines(Path.Combine(AtlasAgent, "questions", "test.jsonl"));
        var questions = Path.Combine(_dir, "q.jsonl");
        await File.WriteAllLinesAsync(questions, [test.First(l => l.Contains("\"family\":\"lookup\"")), test.First(l => l.Contains("\"kind\":\"bad-empty\""))]);
        var trajectories = Path.Combine(_dir, "runs");

        var (exit, stdout, stderr) = await AgentCli.RunAsync(
            "atlas", "eval", "--agent", AtlasAgent, "--questions", questions, "--n", "1", "--seeds", "3,5", "--max-steps", "1",
            "--model", TinyModels.RandomLlamaPath(), "--threads", "2", "--context", "4096", "--trajectories", trajectories, "--json");

        Assert.True(exit == 0, stderr);
        var root = JsonDocument.Parse(stdout).RootElement;
        var passes = root.GetProperty("configurations").EnumerateArray().ToList();
        Assert.Equal(["N=1 seed=3", "N=1 seed=5"], passes.Select(c => c.GetProperty("name").GetString()));
        Assert.Equal([3, 5], passes.Select(c => c.GetProperty("seed").GetInt32()));
        var spread = Assert.Single(root.GetProperty("spreads").EnumerateArray().ToList());
        Assert.Equal("N=1", spread.GetProperty("name").GetString());
        Assert.Equal(passes.Average(p => p.GetProperty("success").GetDouble()), spread.GetProperty("mean_success").GetDouble(), 4);
        Assert.True(File.Exists(Path.Combine(trajectories, "n1-seed3.jsonl")) && File.Exists(Path.Combine(trajectories, "n1-seed5.jsonl")));
    }

    [Fact]
    public async Task Reports_each_candidate_count_and_the_teacher_per_family()
    {
        // One answerable question, one unanswerable one, and the empty question the runtime refuses.
        var test = File.ReadAllLines(Path.Combine(AtlasAgent, "questions", "test.jsonl"));
        var picked = new[]
        {
            test.First(l => l.Contains("\"family\":\"lookup\"")),
            test.First(l => l.Contains("\"kind\":\"bad-gibberish\"")),
            test.First(l => l.Contains("\"kind\":\"bad-empty\"")),
        };
        var questions = Path.Combine(_dir, "q.jsonl");
        await File.WriteAllLinesAsync(questions, picked);
        var markdown = Path.Combine(_dir, "table.md");

        var (exit, stdout, stderr) = await AgentCli.RunAsync(
            "atlas", "eval", "--agent", AtlasAgent, "--questions", questions, "--n", "1,2", "--teacher", "--max-steps", "1",
            "--model", TinyModels.RandomLlamaPath(), "--threads", "2", "--context", "4096", "--markdown", markdown, "--json");

        Assert.True(exit == 0, stderr);
        var configurations = JsonDocument.Parse(stdout).RootElement.GetProperty("configurations");
        Assert.Equal(["N=1", "N=2", "teacher"], configurations.EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        var teacher = configurations[2];
        Assert.Equal(1.0, teacher.GetProperty("success").GetDouble());
        Assert.Equal(["lookup", "bad"], teacher.GetProperty("families").EnumerateArray().Select(f => f.GetProperty("family").GetString()));
        Assert.Equal(1, teacher.GetProperty("bad").GetProperty("not_found").GetInt32());
        Assert.Equal(1, teacher.GetProperty("bad").GetProperty("refused").GetInt32());
        foreach (var model in configurations.EnumerateArray().Take(2))
        {
            Assert.Equal(3, model.GetProperty("questions").GetInt32());
            Assert.Equal(1, model.GetProperty("bad").GetProperty("refused").GetInt32());
            var lookup = model.GetProperty("results")[0];
            Assert.Equal(1, lookup.GetProperty("steps").GetInt32());
            Assert.True(lookup.GetProperty("candidates").GetInt32() >= 1);
        }
        Assert.Equal(2, configurations[1].GetProperty("results")[0].GetProperty("candidates").GetInt32());
        var table = await File.ReadAllTextAsync(markdown);
        Assert.StartsWith("| metric | N=1 | N=2 | teacher |", table);
        Assert.Contains("| success | ", table);
        Assert.Contains("| lookup | ", table);
    }
}
