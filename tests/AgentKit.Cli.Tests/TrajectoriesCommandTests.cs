using System.Text.Json;
using AgentKit.Abstractions.Models;
using AgentKit.Abstractions.Trajectories;
using AgentKit.Core.Trajectories;

namespace AgentKit.Cli.Tests;

public sealed class TrajectoriesCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("agentkit-cli-traj-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private async Task<string> WriteTrajectoriesAsync()
    {
        var path = Path.Combine(_dir, "traj.jsonl");
        using var writer = new JsonlTrajectoryWriter(path);
        foreach (var (id, correct) in new[] { ("a", true), ("b", false) })
        {
            await writer.WriteAsync(new TrajectoryRecord
            {
                RunId = id,
                StartedAt = DateTimeOffset.UnixEpoch,
                Task = new TrajectoryTask(id, "q", "1"),
                Agent = new AgentSnapshot("x", "i", [], 2, 0, 2000),
                Model = new ModelIdentity("m", "m"),
                Sampling = new SamplingSettings(1, 0.7f, 0.95f, null, 64, true),
                Steps =
                [
                    new TaskStep("q"),
                    new ActionStep
                    {
                        Step = 1, Prompt = [new(PromptRoles.System, "s"), new(PromptRoles.User, "Task: q")],
                        Candidates = [new CandidateRecord { Index = 0, Text = "Thought: t\n```csharp\nFinalAnswer(1);\n```", Parsed = true, Chosen = true, Votes = 1 }],
                        ChosenIndex = 0, Action = "Thought: t\n```csharp\nFinalAnswer(1);\n```", Observation = "Final answer: 1", IsError = false,
                        Usage = new ModelUsage(1, 1, 1),
                    },
                    new FinalAnswerStep("1", FinalAnswerSource.Code),
                ],
                FinalAnswer = "1",
                Outcome = RunOutcome.Answered,
                Score = new TrajectoryScore(correct, "numeric"),
            });
        }
        await File.AppendAllTextAsync(path, "{\"run_id\":\"trunc"); // a killed writer's partial line
        return path;
    }

    [Fact]
    public async Task Exactly_one_output_format_is_required()
    {
        var input = await WriteTrajectoriesAsync();
        var (exit, _, stderr) = await AgentCli.RunAsync("trajectories", "export", "--in", input);
        Assert.Equal(2, exit);
        Assert.Contains("exactly one of --sft FILE, --groups FILE or --format FORMAT --out FILE", stderr);

        (exit, _, stderr) = await AgentCli.RunAsync("trajectories", "export", "--in", input, "--format", "trl-sft");
        Assert.Equal(2, exit);
        Assert.Contains("--format and --out go together", stderr);

        (exit, _, _) = await AgentCli.RunAsync("trajectories", "export", "--in", input, "--format", "trl-dpo", "--out", Path.Combine(_dir, "a"));
        Assert.Equal(2, exit);

        (exit, _, _) = await AgentCli.RunAsync("trajectories", "export", "--in", input, "--sft", Path.Combine(_dir, "a"), "--groups", Path.Combine(_dir, "b"));
        Assert.Equal(2, exit);

        (exit, _, stderr) = await AgentCli.RunAsync("trajectories", "export", "--in", Path.Combine(_dir, "none.jsonl"), "--sft", Path.Combine(_dir, "a"));
        Assert.Equal(2, exit);
        Assert.Contains("trajectory file not found", stderr);

        (exit, _, stderr) = await AgentCli.RunAsync("trajectories", "export", "--in", input, "--sft", input);
        Assert.Equal(2, exit);
        Assert.Contains("must differ", stderr);
    }

    [Fact]
    public async Task Exports_sft_lines_and_warns_about_the_truncated_line()
    {
        var input = await WriteTrajectoriesAsync();
        var output = Path.Combine(_dir, "out", "sft.jsonl");

        var (exit, stdout, stderr) = await AgentCli.RunAsync("trajectories", "export", "--in", input, "--sft", output, "--json");

        Assert.True(exit == 0, stderr);
        Assert.Contains("warning: ", stderr);
        Assert.Contains("truncated", stderr);
        var report = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(2, report.GetProperty("records").GetInt32());
        Assert.Equal(2, report.GetProperty("written").GetInt32());
        var lines = await File.ReadAllLinesAsync(output);
        Assert.Equal(2, lines.Length);
        var messages = JsonDocument.Parse(lines[0]).RootElement.GetProperty("messages");
        Assert.Equal([0, 0, 1], messages.EnumerateArray().Select(m => m.GetProperty("weight").GetInt32()));
    }

    [Fact]
    public async Task Exports_groups_of_correct_runs_only()
    {
        var input = await WriteTrajectoriesAsync();
        var output = Path.Combine(_dir, "groups.jsonl");

        var (exit, stdout, stderr) = await AgentCli.RunAsync("trajectories", "export", "--in", input, "--groups", output, "--only-correct");

        Assert.True(exit == 0, stderr);
        Assert.Contains("lines written", stdout);
        var line = Assert.Single(await File.ReadAllLinesAsync(output));
        Assert.Equal("a", JsonDocument.Parse(line).RootElement.GetProperty("run_id").GetString());
    }

    [Theory]
    [InlineData("trl-sft", "messages")]
    [InlineData("trl-prompt-completion", "prompt,completion")]
    [InlineData("trl-grpo", "prompt,answer,task_id,step")]
    public async Task Exports_trl_datasets_with_the_columns_trl_reads(string format, string columns)
    {
        var input = await WriteTrajectoriesAsync();
        var output = Path.Combine(_dir, format + ".jsonl");

        var (exit, stdout, stderr) = await AgentCli.RunAsync("trajectories", "export", "--in", input, "--format", format, "--out", output, "--json");

        Assert.True(exit == 0, stderr);
        var report = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(format, report.GetProperty("format").GetString());
        var lines = await File.ReadAllLinesAsync(output);
        Assert.Equal(report.GetProperty("written").GetInt32(), lines.Length);
        Assert.Equal(2, lines.Length); // one conversation, one request, one action-step prompt per run (tasks a and b)
        foreach (var line in lines)
            Assert.Equal(columns, string.Join(',', JsonDocument.Parse(line).RootElement.EnumerateObject().Select(p => p.Name)));
    }

    [Fact]
    public async Task A_file_without_a_readable_run_fails_clearly()
    {
        var input = Path.Combine(_dir, "broken.jsonl");
        await File.WriteAllTextAsync(input, "not json\n{\"run_id\":\"x\"}\n{\"run_id\":\"tr");
        var (exit, stdout, stderr) = await AgentCli.RunAsync("trajectories", "export", "--in", input, "--sft", Path.Combine(_dir, "o.jsonl"));
        Assert.Equal(1, exit);
        Assert.Empty(stdout);
        Assert.Contains("broken.jsonl:3: last line is truncated", stderr);
        Assert.Contains("no readable run (3 line(s) skipped)", stderr);
    }

    [Fact]
    public async Task A_killed_run_exports_as_one_unfinished_run()
    {
        // What `agentkit run` leaves when killed after two steps: the run after step 1, after step 2, and half of step 3.
        var input = await WriteTrajectoriesAsync();
        var record = AgentKit.Core.Trajectories.JsonlTrajectoryReader.Read(input).Records[0] with
        {
            RunId = "killed", Outcome = RunOutcome.Cancelled, Error = AgentKit.Core.Running.UnfinishedRun.Error(1), Score = null, FinalAnswer = null,
        };
        var path = Path.Combine(_dir, "killed.jsonl");
        using (var writer = new JsonlTrajectoryWriter(path))
        {
            await writer.WriteAsync(record);
            await writer.WriteAsync(record with { Error = AgentKit.Core.Running.UnfinishedRun.Error(2) });
        }
        await File.AppendAllTextAsync(path, TrajectoryJson.Serialize(record)[..100]);

        var (exit, stdout, stderr) = await AgentCli.RunAsync("trajectories", "export", "--in", path, "--groups", Path.Combine(_dir, "g.jsonl"), "--json");

        Assert.True(exit == 0, stderr);
        var report = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(1, report.GetProperty("records").GetInt32());
        Assert.Equal(1, report.GetProperty("unfinished").GetInt32());
        Assert.Equal(1, report.GetProperty("skipped").GetInt32());
        Assert.Contains("truncated", stderr);
    }
}
