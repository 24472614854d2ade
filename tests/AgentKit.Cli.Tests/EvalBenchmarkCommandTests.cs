using System.Text.Json;
using AgentKit.Hosting.Evaluation;

namespace AgentKit.Cli.Tests;

/// <summary><c>agentkit eval --benchmark</c>: the shipped atlas agent and its own GGUF on hand-made sets in the paper's JSON shape.</summary>
[Collection(AgentCli.Collection)]
public sealed class EvalBenchmarkCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("agentkit-cli-eval-bench-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string AtlasAgent => Path.Combine(AgentCli.RepoRoot(), "agents", "atlas");

    private async Task<(string Qa, string Math)> WriteSetsAsync()
    {
        var qa = Path.Combine(_dir, "atlas_qa.json");
        await File.WriteAllTextAsync(qa, """
            {"metadata":{"dataset_info":{"name":"atlas_qa","fold":"test","total_examples":2}},
             "examples":[
              {"id":"chile","question":"What is the population of Chile?","answer":CHILE,"level":"easy","type":"lookup","dataset_name":"atlas_qa","split":"test"},
              {"id":"costa-rica","question":"Tell me the year of independence of Costa Rica.","answer":"1821","level":"easy","type":"lookup","dataset_name":"atlas_qa","split":"test"}
             ]}
            """.Replace("CHILE", ChilePopulationInCorpus()));
        var math = Path.Combine(_dir, "atlas_math.json");
        await File.WriteAllTextAsync(math, """
            {"metadata":{"dataset_info":{"name":"atlas_math","fold":"test","total_examples":1}},
             "examples":[{"id":1,"question":"If you add up the populations of Peru and Barbados, what do you get?","answer":"32275897","dataset_name":"atlas_math","split":"test"}]}
            """);
        return (qa, math);
    }

    [Fact]
    public async Task Bad_arguments_exit_2_naming_the_flag()
    {
        var (qa, _) = await WriteSetsAsync();
        string[][] cases =
        [
            ["--tasks", AgentCli.ExampleTasks, "--benchmark", qa],
            ["--benchmark", Path.Combine(_dir, "none.json")],
            ["--benchmark", qa, "--mode", "react"],
            ["--benchmark", qa, "--kind", "code"],
            ["--benchmark", qa, "--n", "1,x"],
            ["--benchmark", qa, "--n", "0"],
            ["--benchmark", qa, "--limit", "0"],
            ["--benchmark", qa, "--judge-endpoint", "http://localhost:1"],
            ["--benchmark", qa, "--judge-endpoint", "localhost", "--judge-model", "m"],
            ["--benchmark", qa, "--plot", Path.Combine(_dir, "chart.svg")],
            ["--benchmark", qa, "--trajectory", Path.Combine(_dir, "t.jsonl")],
            ["--tasks", AgentCli.ExampleTasks, "--out", Path.Combine(_dir, "r.json")],
            ["--tasks", AgentCli.ExampleTasks, "--n", "1,8"],
        ];
        string[] named = ["--benchmark", "benchmark file not found", "--mode", "--kind", "--n", "--n", "--limit", "--judge-model", "--judge-endpoint",
            "--plot", "--trajectory", "--out applies with --benchmark only", "--n takes one candidate count"];
        foreach (var (args, flag) in cases.Zip(named))
        {
            var (exit, _, stderr) = await AgentCli.RunAsync(["eval", "--agent", AtlasAgent, .. args]);
            Assert.True(exit == 2, $"{string.Join(' ', args)}: exit {exit}, {stderr}");
            Assert.Contains(flag, stderr);
        }
    }

    [Fact]
    public async Task A_malformed_benchmark_file_is_a_clear_failure()
    {
        var bad = Path.Combine(_dir, "bad.json");
        await File.WriteAllTextAsync(bad, """{"metadata":{"dataset_info":{"name":"MATH"}},"examples":{"question":"q"}}""");
        var (exit, stdout, stderr) = await AgentCli.RunAsync("eval", "--agent", AtlasAgent, "--benchmark", bad);
        Assert.Equal(1, exit);
        Assert.Empty(stdout);
        Assert.Contains("bad.json: \"examples\" must be an array", stderr);
    }

    [Fact]
    public async Task Agent_mode_scores_each_set_at_each_n_and_writes_results_and_plot()
    {
        var (qa, math) = await WriteSetsAsync();
        var results = Path.Combine(_dir, "out", "results.json");
        var plot = Path.Combine(_dir, "out", "chart.png");

        var (exit, stdout, stderr) = await AgentCli.RunAsync(
            "eval", "--agent", AtlasAgent, "--benchmark", qa, "--benchmark", math, "--n", "1,2", "--temperature", "0", "--max-steps", "2",
            "--out", results, "--plot", plot, "--json");

        Assert.True(exit == 0, stderr);
        var root = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal("agent", root.GetProperty("mode").GetString());
        var sets = root.GetProperty("sets").EnumerateArray().ToList();
        Assert.Equal(["atlas_qa/1", "atlas_qa/2", "atlas_math/1", "atlas_math/2"],
            sets.Select(s => $"{s.GetProperty("name").GetString()}/{s.GetProperty("n").GetInt32()}"));
        Assert.Equal(["qa", "qa", "math", "math"], sets.Select(s => s.GetProperty("kind").GetString()));
        // Greedy decoding on a plain lookup: the shipped model reads the corpus's figure.
        var chile = sets[0].GetProperty("results")[0];
        Assert.True(chile.GetProperty("correct").GetBoolean(), chile.ToString());
        Assert.Equal(1.0, chile.GetProperty("f1").GetDouble());
        Assert.True(sets[0].GetProperty("accuracy").GetDouble() >= 0.5);
        Assert.Equal(2, root.GetProperty("averages").GetArrayLength());

        var saved = BenchmarkReportFile.Load(results);
        Assert.Equal(4, saved.Sets.Count);
        Assert.Equal(root.GetProperty("averages")[0].GetProperty("accuracy").GetDouble(), saved.Averages[0].Accuracy);
        var png = await File.ReadAllBytesAsync(plot);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png.Take(4));
    }

    [Fact]
    public async Task Cot_mode_prints_the_per_set_table_and_average()
    {
        var (_, math) = await WriteSetsAsync();

        var (exit, stdout, stderr) = await AgentCli.RunAsync(
            "eval", "--agent", AtlasAgent, "--benchmark", math, "--mode", "cot", "--temperature", "0");

        Assert.True(exit == 0, stderr);
        Assert.Contains("atlas_math", stdout);
        Assert.Contains("average", stdout);
        Assert.Contains("mode: cot", stdout);
    }

    private static string ChilePopulationInCorpus()
    {
        var corpus = File.ReadLines(Path.Combine(AgentCli.RepoRoot(), "agents", "atlas", "corpus.jsonl"));
        var text = corpus.Select(l => JsonDocument.Parse(l).RootElement).First(p => p.GetProperty("id").GetString() == "country/chile").GetProperty("text").GetString()!;
        return System.Text.RegularExpressions.Regex.Match(text, @"The population of Chile is (\d+)\.").Groups[1].Value;
    }
}
