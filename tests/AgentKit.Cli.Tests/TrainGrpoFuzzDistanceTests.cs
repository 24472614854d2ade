using System.Text.Json.Nodes;
using AgentKit.TestUtils;
using static AgentKit.Cli.Tests.CliRun;

namespace AgentKit.Cli.Tests;

/// <summary><c>agentkit train grpo --reward fuzz-distance</c> on a tiny checkpoint and the toy parser: the wiring, not learning.</summary>
public sealed class TrainGrpoFuzzDistanceTests
{
    private static async Task<string> Questions()
    {
        var campaign = await ToyCampaign.CreateAsync("x", "open 5", "unlock 5", "unlock 139");
        var dir = TinyModels.TempPath("fuzz-questions");
        Directory.CreateDirectory(dir);
        var questions = Path.Combine(dir, "q.jsonl");
        // Short slices keep the prompts within the tiny model's context.
        var (exit, _, stderr) = await RunAsync("fuzz", "hindsight", "--campaign", campaign, "--out", Path.Combine(dir, "pairs.jsonl"),
            "--questions-out", questions, "--tokens", "50", "--caller-depth", "0");
        Assert.True(exit == 0, stderr);
        return questions;
    }

    private static string[] Args(string questions, string output, params string[] extra) =>
    [
        "train", "grpo", "--reward", "fuzz-distance", "--questions", questions, "--target", ToyCampaign.ParserPath, "--harness", ToyCampaign.Harness,
        "--expect", "System.FormatException", "--init", TinyCheckpoint.Create(seed: 31, maxPositions: 2048), "--out", output,
        "--group", "2", "--batch-prompts", "2", "--max-tokens", "8", "--lr", "1e-3", "--threads", "1", .. extra,
    ];

    [Fact]
    public async Task One_step_scores_each_completion_in_the_target_and_records_the_reward()
    {
        var output = TinyModels.TempPath("grpo-fuzz");

        var (exit, stdout, stderr) = await RunAsync(Args(await Questions(), output, "--first-stage", "CommandParser::Interpret", "--steps", "1", "--json"));

        Assert.True(exit == 0, stderr);
        var report = JsonNode.Parse(stdout)!;
        Assert.Equal("fuzz-distance", report["rewards"]![0]!["name"]!.GetValue<string>());
        Assert.InRange(report["reward_last"]!.GetValue<double>(), 0, 1);
        Assert.Contains("fuzz-distance", File.ReadAllLines(report["metrics"]!.GetValue<string>()).Single());
        // Every completion went through the block runner: its reason is the distance reward's.
        var rollouts = File.ReadAllLines(report["rollouts"]!.GetValue<string>());
        Assert.Equal(4, rollouts.Length);
        Assert.All(rollouts, line => Assert.Matches("target block ran|miss at distance|rejected at the first stage|recorded as a finding", line));
        Assert.Contains("step 1/1  reward ", stderr);
        Assert.Matches(@"fuzz-distance: \d+ distinct input\(s\) run, \d+ finding\(s\)", stderr);
    }

    [Fact]
    public async Task The_hit_only_reward_scores_the_same_runs_one_or_zero()
    {
        var output = TinyModels.TempPath("grpo-fuzz");
        var args = Args(await Questions(), output, "--steps", "1", "--json");
        args[Array.IndexOf(args, "fuzz-distance")] = "fuzz-hit:1,fuzz-distance:0";

        var (exit, stdout, stderr) = await RunAsync(args);

        Assert.True(exit == 0, stderr);
        var report = JsonNode.Parse(stdout)!;
        Assert.Equal(["fuzz-hit", "fuzz-distance"], report["rewards"]!.AsArray().Select(r => r!["name"]!.GetValue<string>()));
        var rollouts = File.ReadAllLines(report["rollouts"]!.GetValue<string>()).Select(line => JsonNode.Parse(line)!["rewards"]!).ToList();
        Assert.Equal(4, rollouts.Count);
        foreach (var rewards in rollouts)
        {
            var hit = rewards["fuzz-hit"]!["value"]!.GetValue<double>();
            var distance = rewards["fuzz-distance"]!["value"]!.GetValue<double>();
            // One run, two readings: a hit is 1 in both; a miss is 0 here whatever partial credit the distance gives.
            Assert.Equal(distance == 1.0 ? 1.0 : 0.0, hit);
            Assert.Equal(rewards["fuzz-distance"]!["reason"]!.GetValue<string>(), rewards["fuzz-hit"]!["reason"]!.GetValue<string>());
        }
    }

    [Theory]
    [InlineData("--target", "--reward fuzz-distance needs --target")]
    [InlineData("--harness", "--reward fuzz-distance needs --harness")]
    [InlineData("--questions", "--reward fuzz-distance needs --questions")]
    public async Task A_missing_fuzz_flag_exits_2_naming_it(string dropped, string message)
    {
        var output = TinyModels.TempPath("grpo-fuzz");
        var args = Args("q.jsonl", output, "--steps", "1").ToList();
        args.RemoveAt(args.IndexOf(dropped) + 1);
        args.Remove(dropped);

        var (exit, stdout, stderr) = await RunAsync([.. args]);

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Contains(message, stderr);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public async Task Fuzz_flags_without_the_reward_and_questions_of_another_target_exit_2()
    {
        var output = TinyModels.TempPath("grpo-fuzz");
        var args = Args("q.jsonl", output, "--steps", "1");
        args[Array.IndexOf(args, "fuzz-distance")] = "answer";

        var (exit, _, stderr) = await RunAsync([.. args, "--tasks", "t.jsonl"]);
        Assert.Equal(2, exit);
        Assert.Contains("--questions is only used with --reward fuzz-distance", stderr);

        var foreign = TinyModels.TempPath("foreign.jsonl");
        File.WriteAllText(foreign, """{"target_id":70000,"method":"M","slice":"s","seed":"x","seed_is_base64":false,"seed_distance":1,"instruction":"i","uncovered_behind":1}""" + "\n");
        (exit, _, stderr) = await RunAsync(Args(foreign, output, "--steps", "1"));
        Assert.Equal(2, exit);
        Assert.Contains("--questions: question about M: probe 70000 is not a block of the branch map", stderr);
        Assert.False(Directory.Exists(output));
    }
}
