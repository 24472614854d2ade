using System.Text.Json.Nodes;
using AgentKit.TestUtils;
using static AgentKit.Cli.Tests.CliRun;

namespace AgentKit.Cli.Tests;

/// <summary><c>agentkit train grpo</c> on a tiny checkpoint: the JSON report, the per-step lines, resuming, and the refusals.</summary>
public sealed class TrainGrpoCommandTests
{
    private static string Tasks()
    {
        var path = TinyModels.TempPath("tasks.jsonl");
        File.WriteAllLines(path,
        [
            """{"id":"greet","question":"Say hello","answer":"hello world"}""",
            """{"id":"peru","question":"The capital of Peru?","answer":"Lima"}""",
        ]);
        return path;
    }

    // The flags a test gives replace the defaults of the same name.
    private static string[] Args(string tasks, string init, string output, params string[] extra)
    {
        string[][] defaults =
        [
            ["--reward", "answer_f1,final_answer:0.1"], ["--group", "2"], ["--batch-prompts", "2"], ["--max-tokens", "4"], ["--lr", "1e-3"], ["--threads", "1"],
        ];
        return
        [
            "train", "grpo", "--tasks", tasks, "--init", init, "--out", output,
            .. defaults.Where(d => !extra.Contains(d[0])).SelectMany(d => d), .. extra,
        ];
    }

    [Fact]
    public async Task A_run_prints_a_line_per_step_and_a_json_report_and_resumes_with_resume()
    {
        var (tasks, init, output) = (Tasks(), TinyCheckpoint.Create(seed: 21), TinyModels.TempPath("grpo"));

        string[] keep = ["--save-every", "1", "--keep-checkpoints", "1"];
        var (exit, stdout, stderr) = await RunAsync(Args(tasks, init, output, ["--steps", "2", "--json", .. keep]));

        Assert.True(exit == 0, stderr);
        var report = JsonNode.Parse(stdout)!;
        Assert.Equal(2, report["steps"]!.GetValue<int>());
        Assert.Equal(2, report["tasks"]!.GetValue<int>());
        Assert.Equal(2, report["tasks_trained"]!.GetValue<int>()); // no prefilter: every task
        Assert.Equal("final_answer", report["rewards"]![1]!["name"]!.GetValue<string>());
        Assert.Equal(0.1, report["rewards"]![1]!["weight"]!.GetValue<double>());
        Assert.InRange(report["reward_last"]!.GetValue<double>(), 0, 1.1);
        Assert.True(File.Exists(report["metrics"]!.GetValue<string>()));
        Assert.True(File.Exists(Path.Combine(report["final_checkpoint"]!.GetValue<string>(), "config.json")));
        // Saved at steps 1 and 2 (the last one also as final/), the newest kept as checkpoint-2.
        Assert.Equal([Path.GetFullPath(Path.Combine(output, "checkpoint-2"))], report["kept_checkpoints"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Contains("step 1/2  reward ", stderr);
        Assert.Contains("step 2/2  reward ", stderr);
        Assert.Contains("rollouts ", stderr);

        // Same output without --resume: refused, nothing lost; with it: continues.
        var (refused, _, refusal) = await RunAsync(Args(tasks, init, output, "--steps", "3"));
        Assert.Equal(1, refused);
        Assert.Contains("--resume", refusal);
        Assert.Equal(2, File.ReadAllLines(report["metrics"]!.GetValue<string>()).Length);

        var (resumed, table, progress) = await RunAsync(Args(tasks, init, output, ["--steps", "3", "--resume", .. keep]));
        Assert.True(resumed == 0, progress);
        Assert.Contains("3 (this run 1, resumed from 2)", table);
        Assert.Matches(@"kept checkpoints\W+checkpoint-3\W", table); // the resumed run's last step replaces checkpoint-2
        Assert.Contains("step 3/3", progress);
        Assert.DoesNotContain("step 2/3", progress);
    }

    [Fact]
    public async Task With_agent_the_rollouts_are_whole_runs_of_the_agent_through_its_sandbox_and_tools()
    {
        var atlas = Path.Combine(AgentCli.RepoRoot(), "agents", "atlas");
        var tasks = TinyModels.TempPath("atlas-tasks.jsonl");
        File.WriteAllLines(tasks, [File.ReadLines(Path.Combine(atlas, "questions", "train.jsonl")).First()]);
        var output = TinyModels.TempPath("grpo-agent");

        var (exit, stdout, stderr) = await RunAsync(
            "train", "grpo", "--agent", atlas, "--tasks", tasks, "--init", Path.Combine(atlas, "model.gguf"), "--out", output,
            "--reward", "answer,atlas,format:0.1", "--group", "2", "--batch-prompts", "1", "--steps", "1", "--lora-rank", "4", "--threads", "1", "--json");

        Assert.True(exit == 0, stderr);
        Assert.Equal("AgentRolloutSource", JsonNode.Parse(stdout)!["rollout_source"]!.GetValue<string>());
        var (runs, warnings) = AgentKit.Training.Grpo.Agents.RolloutTrajectoryFile.Read(Path.Combine(output, "agent-rollouts.jsonl"));
        Assert.Empty(warnings);
        Assert.Equal(2, runs.Count); // one group of two whole agent runs, each recorded with its rewards
        // The atlas reward found the task in the atlas question file and graded the run's answer.
        Assert.All(runs, run => Assert.Matches("^(correct|no answer|wrong: got .+)$", run.Grpo!.Rewards["atlas"].Reason));
    }

    [Fact]
    public async Task With_agent_a_folder_without_a_gguf_trains_the_policy_without_opening_a_model()
    {
        var example = Path.Combine(AgentCli.RepoRoot(), "agents", "example");
        Assert.False(File.Exists(Path.Combine(example, "model.gguf")));
        var output = TinyModels.TempPath("grpo-no-gguf");

        var (exit, stdout, stderr) = await RunAsync(Args(Tasks(), TinyCheckpoint.Create(seed: 26, maxPositions: 4096), output, "--agent", example, "--steps", "1", "--json"));

        Assert.True(exit == 0, stderr);
        Assert.DoesNotContain("Model file not found", stderr);
        Assert.Equal("AgentRolloutSource", JsonNode.Parse(stdout)!["rollout_source"]!.GetValue<string>());
    }

    [Fact]
    public async Task Reward_atlas_needs_an_atlas_question_file_else_exits_2_naming_the_problem()
    {
        var output = TinyModels.TempPath("grpo");

        var (exit, stdout, stderr) = await RunAsync(Args(Tasks(), TinyCheckpoint.Create(seed: 25), output, "--steps", "1", "--reward", "atlas"));

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Contains("--reward atlas needs --tasks to be an atlas question file (written by 'agentkit atlas questions')", stderr);
        Assert.Contains(":1: not a question", stderr); // which line of the task file is not a question
        Assert.DoesNotContain("   at ", stderr);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public async Task Reward_atlas_step_without_agent_runs_exits_2_naming_the_flag()
    {
        var output = TinyModels.TempPath("grpo");

        var (exit, _, stderr) = await RunAsync(Args(Tasks(), TinyCheckpoint.Create(seed: 25), output, "--steps", "1", "--reward", "atlas-step"));

        Assert.Equal(2, exit);
        Assert.Contains("--reward atlas-step grades the steps of agent runs: add --agent DIR.", stderr);
        Assert.False(Directory.Exists(output));
    }

    [Theory]
    [InlineData("--group", "1", "--group must be >= 2")]
    [InlineData("--reward", "answer,corect", "--reward: unknown reward 'corect'; known: answer, ")]
    [InlineData("--reward", "answer:heavy", "--reward: the weight of reward 'answer' must be a number")]
    [InlineData("--loss", "ppo", "--loss must be dapo, grpo or dr_grpo, got 'ppo'.")]
    [InlineData("--scale-rewards", "std", "--scale-rewards must be group, batch or none")]
    [InlineData("--lr", "0", "--lr must be > 0")]
    [InlineData("--max-tokens", "0", "--max-tokens must be >= 1")]
    [InlineData("--lora-rank", "0", "--lora-rank must be >= 1")]
    [InlineData("--epsilon", "1.5", "--epsilon must be in (0, 1), got 1.5.")]
    [InlineData("--epsilon-high", "0", "--epsilon-high must be > 0, got 0.")]
    [InlineData("--keep-checkpoints", "2", "--keep-checkpoints needs --save-every above 0: it keeps the checkpoints saved every --save-every steps.")]
    [InlineData("--agent", "no-such-agent-folder", "--agent: agent folder not found")]
    [InlineData("--prefilter", "1", "--prefilter must be 0 (off) or 2-256")]
    [InlineData("--micro-batch-tokens", "-5", "--micro-batch-tokens must be >= 0")]
    public async Task Bad_arguments_exit_2_naming_the_flag(string flag, string value, string message)
    {
        var output = TinyModels.TempPath("grpo");

        var (exit, stdout, stderr) = await RunAsync(Args(Tasks(), TinyCheckpoint.Create(seed: 22), output, "--steps", "1", flag, value));

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Contains(message, stderr);
        Assert.DoesNotContain("   at ", stderr);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public async Task A_missing_task_file_or_init_exits_2_naming_the_flag()
    {
        var init = TinyCheckpoint.Create(seed: 23);

        var (noTasks, _, tasksError) = await RunAsync(Args(TinyModels.TempPath("none.jsonl"), init, TinyModels.TempPath("grpo"), "--steps", "1"));
        var (noInit, _, initError) = await RunAsync(Args(Tasks(), TinyModels.TempPath("none.gguf"), TinyModels.TempPath("grpo"), "--steps", "1"));

        Assert.Equal((2, 2), (noTasks, noInit));
        Assert.Contains("--tasks: task file not found", tasksError);
        Assert.Contains("--init must be a checkpoint directory or a .gguf file", initError);
    }

    [Fact]
    public async Task A_prefilter_that_keeps_no_task_exits_1_before_any_step_with_its_record_kept()
    {
        var output = TinyModels.TempPath("grpo");

        // A random tiny model never writes either answer: every task scores 0 in all four completions.
        var (exit, stdout, stderr) = await RunAsync(Args(Tasks(), TinyCheckpoint.Create(seed: 25), output, "--steps", "1", "--prefilter", "4"));

        Assert.Equal(1, exit);
        Assert.Equal("", stdout);
        Assert.Contains("prefilter: sampling 4 completions of each of the 2 tasks with the starting model", stderr);
        Assert.Contains("no task's rewards differed among 4 completions of the starting policy", stderr);
        Assert.DoesNotContain("   at ", stderr);
        Assert.Equal(2, File.ReadAllLines(Path.Combine(output, "prefilter.jsonl")).Length);
        Assert.False(File.Exists(Path.Combine(output, "metrics.jsonl")));
    }

    [Fact]
    public async Task Cuda_without_cuda_exits_1_with_one_line()
    {
        var output = TinyModels.TempPath("grpo");

        var (exit, _, stderr) = await RunAsync(Args(Tasks(), TinyCheckpoint.Create(seed: 24), output, "--steps", "1", "--device", "cuda"));

        Assert.Equal(1, exit);
        Assert.Contains("device cuda: CUDA is not available to libtorch", stderr);
        Assert.DoesNotContain("   at ", stderr);
        Assert.False(Directory.Exists(output));
    }
}
