using System.Text.Json.Nodes;
using AgentKit.Cli.Hosting;
using AgentKit.Fuzzing.Guidance;
using AgentKit.TestUtils;
using static AgentKit.Cli.Tests.CliRun;

namespace AgentKit.Cli.Tests;

/// <summary><c>fuzz hindsight --holdout-methods</c> and <c>fuzz hit-rate</c> on the toy parser: the split, the baseline, a tiny model, the refusals.</summary>
public sealed class FuzzHitRateCommandTests
{
    private static async Task<(string Dir, JsonNode Summary)> HoldoutAsync()
    {
        var campaign = await ToyCampaign.CreateAsync("x", "open 5", "close 3", "unlock 5", "unlock 139");
        var dir = TinyModels.TempPath("hit-rate");
        Directory.CreateDirectory(dir);
        var (exit, stdout, stderr) = await RunAsync("fuzz", "hindsight", "--campaign", campaign, "--out", Path.Combine(dir, "pairs.jsonl"),
            "--questions-out", Path.Combine(dir, "q.jsonl"), "--holdout-methods", "0.5", "--holdout-out", Path.Combine(dir, "held.jsonl"),
            "--tokens", "50", "--caller-depth", "0", "--json");
        Assert.True(exit == 0, stderr);
        return (dir, JsonNode.Parse(stdout)!);
    }

    private static string[] Target(string questions, params string[] extra) =>
        ["fuzz", "hit-rate", "--questions", questions, "--target", ToyCampaign.ParserPath, "--harness", ToyCampaign.Harness, "--expect", "System.FormatException", .. extra];

    [Fact]
    public async Task Held_out_methods_leave_the_training_side_and_their_seeds_never_hit()
    {
        var (dir, summary) = await HoldoutAsync();

        var train = FrontierQuestionFile.Read(Path.Combine(dir, "q.jsonl"));
        var held = FrontierQuestionFile.Read(Path.Combine(dir, "held.jsonl"));
        Assert.NotEmpty(held);
        Assert.Equal(held.Count, summary["held_out_questions"]!.GetValue<int>());
        Assert.Equal(train.Count, summary["pairs"]!.GetValue<int>());
        Assert.True(summary["methods"]!.GetValue<int>() >= 2, summary.ToJsonString());
        Assert.Empty(train.Select(q => q.Method).Intersect(held.Select(q => q.Method)));

        var (exit, stdout, stderr) = await RunAsync(Target(Path.Combine(dir, "held.jsonl"), "--seed-answer", "--json", "--out", Path.Combine(dir, "rows.jsonl")));

        Assert.True(exit == 0, stderr);
        var report = JsonNode.Parse(stdout)!;
        Assert.Equal(held.Count, report["questions"]!.GetValue<int>());
        Assert.Equal(0, report["hits"]!.GetValue<int>()); // a seed does not cover its target, by construction
        Assert.Equal(0.0, report["hit_at_k"]!.GetValue<double>());
        var rows = File.ReadAllLines(Path.Combine(dir, "rows.jsonl")).Select(line => JsonNode.Parse(line)!).ToList();
        Assert.Equal(held.Count, rows.Count);
        // The baseline's only answer is the seed: what each row shows as the input written closest to the branch.
        Assert.Equal(held.Select(q => q.Seed), rows.Select(r => r["best_answer"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_tiny_checkpoint_answers_every_question_k_times_as_its_cached_gguf()
    {
        var (dir, _) = await HoldoutAsync();
        var held = Path.Combine(dir, "held.jsonl");
        var checkpoint = TinyCheckpoint.Create(seed: 31, maxPositions: 2048);

        var (exit, stdout, stderr) = await RunAsync(Target(held, "--lm", checkpoint, "--k", "2",
            "--max-tokens", "8", "--seed", "3", "--json"));

        Assert.True(exit == 0, stderr);
        Assert.True(File.Exists(CheckpointModel.CachedPath(checkpoint)), "the checkpoint ran as its GGUF export");
        var report = JsonNode.Parse(stdout)!;
        var questions = report["questions"]!.GetValue<int>();
        Assert.Equal(2 * questions, report["completions"]!.GetValue<int>());
        Assert.InRange(report["hit_rate"]!.GetValue<double>(), 0, 1);
        Assert.Equal(0, report["errors"]!.GetValue<int>());
    }

    [Fact]
    public async Task Answers_that_crash_the_target_are_saved_in_the_findings_folder_once_each()
    {
        var (dir, _) = await HoldoutAsync();
        // Without --expect the lexer's FormatException is a crash: a question whose seed has a capital letter crashes when echoed.
        var held = FrontierQuestionFile.Read(Path.Combine(dir, "held.jsonl"));
        var crashing = Path.Combine(dir, "crashing.jsonl");
        FrontierQuestionFile.Write(crashing, held.Select((q, i) => i == 0 ? q with { Seed = "unlock X" } : q));
        var findings = Path.Combine(dir, "findings");

        var (exit, stdout, stderr) = await RunAsync("fuzz", "hit-rate", "--questions", crashing, "--target", ToyCampaign.ParserPath,
            "--harness", ToyCampaign.Harness, "--seed-answer", "--findings", findings, "--json");

        Assert.True(exit == 0, stderr);
        var report = JsonNode.Parse(stdout)!;
        Assert.Equal(1, report["findings"]!.GetValue<int>());
        Assert.Equal(findings, report["findings_directory"]!.GetValue<string>());
        var saved = Assert.Single(Directory.GetFiles(findings));
        Assert.Equal("unlock X", File.ReadAllText(saved));

        (exit, _, stderr) = await RunAsync("fuzz", "hit-rate", "--questions", crashing, "--target", ToyCampaign.ParserPath,
            "--harness", ToyCampaign.Harness, "--seed-answer", "--findings", crashing);
        Assert.Equal(2, exit);
        Assert.Contains("--findings", stderr);
    }

    [Theory]
    [InlineData("--holdout-out h.jsonl", "--holdout-out needs --holdout-methods")]
    [InlineData("--holdout-methods 0.3", "--holdout-methods needs --holdout-out")]
    [InlineData("--holdout-methods 1 --holdout-out h.jsonl", "--holdout-methods must be at least 0 and below 1")]
    [InlineData("--holdout-seed 4", "--holdout-seed is only used with --holdout-methods")]
    public async Task Holdout_flags_are_refused_alone(string flags, string message)
    {
        var campaign = await ToyCampaign.CreateAsync("x");
        var (exit, _, stderr) = await RunAsync(["fuzz", "hindsight", "--campaign", campaign, "--out", "p.jsonl", .. flags.Split(' ')]);
        Assert.Equal(2, exit);
        Assert.Contains(message, stderr);
    }

    [Theory]
    [InlineData("", "give a model: --lm")]
    [InlineData("--seed-answer --k 3", "--k is a sampling setting")]
    [InlineData("--seed-answer --lm-endpoint http://127.0.0.1:9/v1 --lm-model m", "--seed-answer asks no model")]
    [InlineData("--lm no-such-model.gguf", "--lm: model file not found")]
    [InlineData("--lm-endpoint http://127.0.0.1:9/v1 --k 0 --lm-model m", "--k must be between 1 and 64, got 0")]
    public async Task Bad_hit_rate_flags_exit_2_naming_the_flag(string flags, string message)
    {
        var (exit, stdout, stderr) = await RunAsync([.. Target("q.jsonl"), .. flags.Split(' ', StringSplitOptions.RemoveEmptyEntries)]);
        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Contains(message, stderr);

        (exit, _, stderr) = await RunAsync("fuzz", "hit-rate", "--target", ToyCampaign.ParserPath, "--harness", ToyCampaign.Harness, "--seed-answer");
        Assert.Equal(2, exit);
        Assert.Contains("--questions is required", stderr);
    }
}
