using System.Text.Json;
using AgentKit.Abstractions.Models;
using AgentKit.Abstractions.Trajectories;
using AgentKit.Core.Cascade;
using AgentKit.Core.Trajectories;

namespace AgentKit.Cli.Tests;

public sealed class FitDeferralCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("agentkit-cli-fit-deferral-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static TrajectoryRecord Run(int i, double min, bool correct) => new()
    {
        RunId = $"r{i}",
        StartedAt = DateTimeOffset.UnixEpoch,
        Task = new TrajectoryTask($"t{i}", "q", "a"),
        Agent = new AgentSnapshot("a", "i", [], 3, 0, 2000),
        Model = new ModelIdentity("student+teacher", "cascade"),
        Sampling = new SamplingSettings(1, 0.7f, 0.95f, 1, 64, true),
        Steps =
        [
            new TaskStep("q"),
            new ActionStep
            {
                Step = 1, Prompt = [], Candidates = [], ChosenIndex = 0, Action = "x", Observation = "", IsError = false, Usage = new ModelUsage(1, 1, 1),
                Cascade = new CascadeRouting("student", false, "total", 0, null, UncertaintyFeatures.Compute([-0.1, min, -0.2])),
            },
        ],
        FinalAnswer = correct ? "a" : "b",
        Outcome = RunOutcome.Answered,
        Score = new TrajectoryScore(correct, "exact"),
    };

    [Fact]
    public async Task Fits_a_rule_that_defers_the_unsure_steps_and_writes_it_for_defer()
    {
        var path = Path.Combine(_dir, "runs.jsonl");
        using (var writer = new JsonlTrajectoryWriter(path))
        {
            for (var i = 0; i < 40; i++)
                await writer.WriteAsync(Run(i, min: i % 2 == 0 ? -0.3 : -3.0, correct: i % 2 == 0));
        }
        var rule = Path.Combine(_dir, "rule.json");

        var (exit, stdout, stderr) = await AgentCli.RunAsync("trajectories", "fit-deferral", "--in", path, "--out", rule, "--json");

        Assert.True(exit == 0, stderr);
        var report = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(40, report.GetProperty("samples").GetInt32());
        Assert.Equal(0.5, report.GetProperty("failed_share").GetDouble());
        var loaded = DeferralRuleSpec.Parse($"logistic:{rule}:0.5").Rule;
        Assert.True(loaded.Uncertainty(UncertaintyFeatures.Compute([-0.1, -3.0, -0.2])) > 0.5);
        Assert.True(loaded.Uncertainty(UncertaintyFeatures.Compute([-0.1, -0.3, -0.2])) < 0.5);

        (exit, _, stderr) = await AgentCli.RunAsync("trajectories", "fit-deferral", "--in", Path.Combine(_dir, "none.jsonl"), "--out", rule);
        Assert.Equal(2, exit);
        Assert.Contains("trajectory file not found", stderr);
    }
}
