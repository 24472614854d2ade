using AgentKit.Core.Models;
using AgentKit.Core.Scoring.Benchmarks;
using AgentKit.Hosting.Evaluation;
using AgentKit.TestUtils;

namespace AgentKit.Hosting.Tests.Evaluation;

/// <summary>
/// The library behind <c>agentkit eval --benchmark</c>: the example agent on a tiny random GGUF (which answers nothing
/// right), hand-made sets in the paper's JSON shape, and a scripted judge.
/// </summary>
public sealed class BenchmarkEvaluationTests
{
    private static readonly BenchmarkSet Rivers = BenchmarkFile.Parse("""
        {"metadata":{"dataset_info":{"name":"hotpotqa"}},
         "examples":[
          {"id":"lyon","question":"Which river flows through Lyon?","answer":"Rhône","dataset_name":"hotpotqa/hotpot_qa","split":"test"},
          {"id":"paris","question":"Which river flows through Paris?","answer":"Seine","dataset_name":"hotpotqa/hotpot_qa","split":"test"},
          {"id":"blank","question":"","answer":"x","dataset_name":"hotpotqa/hotpot_qa","split":"test"}
         ]}
        """, "rivers.json");

    private static readonly BenchmarkSet Sums = BenchmarkFile.Parse("""
        {"metadata":{"dataset_info":{"name":"MATH"}},
         "examples":[{"id":7,"question":"What is 2 + 3?","answer":"5","dataset_name":"GSM-hard","split":"test"}]}
        """, "sums.json");

    private static AgentHostSettings Settings => new()
    {
        AgentFolder = RepoFiles.ExampleAgent, ModelPath = TinyModels.RandomLlamaPath(), MaxSteps = 1, Threads = 2, ContextSize = 4096,
    };

    [Fact]
    public async Task Agent_mode_runs_every_set_at_every_n_and_reports_per_set_and_average()
    {
        var progress = new List<BenchmarkProgress>();

        var report = await BenchmarkEvaluation.RunAsync(Settings, [Rivers, Sums], new BenchmarkEvalOptions { CandidateCounts = [1, 2] },
            progress: new ListProgress(progress));

        Assert.Equal(BenchmarkMode.Agent, report.Mode);
        Assert.Null(report.Judge);
        Assert.Equal([("hotpot_qa", 1), ("hotpot_qa", 2), ("GSM-hard", 1), ("GSM-hard", 2)], report.Sets.Select(s => (s.Name, s.N)));
        var rivers = report.Sets[0];
        Assert.Equal(BenchmarkKind.Qa, rivers.Kind);
        Assert.Equal(2, rivers.Questions);
        Assert.Equal(1, rivers.Skipped);
        Assert.NotNull(rivers.F1);
        Assert.Null(rivers.JudgeAccuracy);
        Assert.Equal(["lyon", "paris"], rivers.Results.Select(r => r.Id));
        Assert.All(rivers.Results, r => Assert.Equal(1, r.Steps));
        Assert.All(rivers.Results, r => Assert.Null(r.Replies));
        var sums = report.Sets[2];
        Assert.Equal(BenchmarkKind.Math, sums.Kind);
        Assert.Null(sums.F1);
        Assert.Equal("5", Assert.Single(sums.Results).Gold);
        Assert.Equal([1, 2], report.Averages.Select(a => a.N));
        Assert.All(report.Averages, a => Assert.Equal(2, a.Sets));
        Assert.Equal(Math.Round((report.Sets[0].Accuracy + report.Sets[2].Accuracy) / 2, 4), report.Averages[0].Accuracy);
        Assert.Equal(6, progress.Count);
        Assert.Equal(new BenchmarkProgress("hotpot_qa", 1, 2, 2, report.Sets[0].Results.Count(r => r.Correct)), progress[1]);
    }

    [Fact]
    public async Task First_thought_forces_the_models_own_first_paragraph_and_only_in_agent_mode()
    {
        var report = await BenchmarkEvaluation.RunAsync(Settings, [Sums], new BenchmarkEvalOptions { FirstThought = true });
        var plain = await BenchmarkEvaluation.RunAsync(Settings, [Sums], new BenchmarkEvalOptions());

        var result = Assert.Single(Assert.Single(report.Sets).Results);
        Assert.Null(result.Error);
        Assert.False(string.IsNullOrWhiteSpace(result.FirstThought)); // the random model writes some first paragraph
        Assert.DoesNotContain("\n\n", result.FirstThought);
        Assert.Null(Assert.Single(Assert.Single(plain.Sets).Results).FirstThought);
        await Assert.ThrowsAsync<ArgumentException>(() =>
            BenchmarkEvaluation.RunAsync(Settings, [Sums], new BenchmarkEvalOptions { Mode = BenchmarkMode.Cot, FirstThought = true }));
    }

    [Fact]
    public async Task Cot_mode_samples_plain_replies_and_the_judge_verdicts_are_kept_with_their_prompts()
    {
        var judge = new LlmJudge(new ScriptedCandidateGenerator((request, i) => [i == 0 ? "correct" : "no idea"], "judge-model"));

        var report = await BenchmarkEvaluation.RunAsync(Settings, [Rivers], new BenchmarkEvalOptions { Mode = BenchmarkMode.Cot, Limit = 1, CotMaxTokens = 8 }, judge);

        Assert.Equal(BenchmarkMode.Cot, report.Mode);
        Assert.Equal(new BenchmarkJudgeInfo("judge-model", "scripted", LlmJudge.Instructions), report.Judge);
        var set = Assert.Single(report.Sets);
        var result = Assert.Single(set.Results);
        Assert.Equal("lyon", result.Id);
        Assert.Equal(0, result.Steps);
        Assert.Single(result.Replies!);
        Assert.NotNull(result.Judge);
        if (result.Prediction is not null)
        {
            // The random model said something: the judge (scripted "correct") was asked about it.
            Assert.Contains("Question: Which river flows through Lyon?", result.Judge!.Prompt);
            Assert.Equal(1.0, set.JudgeAccuracy);
        }
        Assert.Equal(set.JudgeAccuracy, report.Averages[0].JudgeAccuracy);
    }

    [Fact]
    public async Task Reports_round_trip_through_the_results_file()
    {
        var question = new BenchmarkQuestionResult("1", "q?", "\\frac{1}{2}", "0.5", "0.5", true, null, null,
            new JudgeVerdict(true, "correct", "prompt", "correct"), 2, 1.5, null, null);
        var set = new BenchmarkSetResult("MATH", BenchmarkKind.Math, "m.json", 8, 1, 0, 1, null, 1, 0, 0, 1.5, [question]);
        var report = new BenchmarkReport(BenchmarkMode.Agent, "model", [8], new BenchmarkJudgeInfo("j", "http", LlmJudge.Instructions), [set],
            [new BenchmarkAverage(8, 1, 1, 1)]);
        var path = TinyModels.TempPath("results/bench.json");

        BenchmarkReportFile.Save(report, path);
        var text = await File.ReadAllTextAsync(path);
        var loaded = BenchmarkReportFile.Load(path);

        Assert.Contains("\"judge_accuracy\": 1", text);
        Assert.Contains("\"kind\": \"math\"", text);
        Assert.Equal(report.Model, loaded.Model);
        Assert.Equal(question, loaded.Sets[0].Results[0]);
        Assert.Equal(report.Averages, loaded.Averages);
        await File.WriteAllTextAsync(path, "[1, 2]");
        Assert.Throws<InvalidDataException>(() => BenchmarkReportFile.Load(path));
    }

    [Theory]
    [InlineData(new int[0], "at least one candidate count")]
    [InlineData(new[] { 1, 65 }, "between 1 and 64")]
    [InlineData(new[] { 8, 8 }, "repeat")]
    public async Task Options_are_checked_before_anything_runs(int[] counts, string message)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            BenchmarkEvaluation.RunAsync(Settings, [Sums], new BenchmarkEvalOptions { CandidateCounts = counts }));
        Assert.Contains(message, error.Message);
        await Assert.ThrowsAsync<ArgumentException>(() => BenchmarkEvaluation.RunAsync(Settings, [], new BenchmarkEvalOptions()));
    }

    private sealed class ListProgress(List<BenchmarkProgress> items) : IProgress<BenchmarkProgress>
    {
        public void Report(BenchmarkProgress value) => items.Add(value);
    }
}
