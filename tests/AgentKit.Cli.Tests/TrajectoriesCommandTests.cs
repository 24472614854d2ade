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
        Assert.Contains("exactly one of --sft FILE or --groups FILE", stderr);

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
}
