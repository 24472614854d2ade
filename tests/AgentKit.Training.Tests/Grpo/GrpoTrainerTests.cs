using System.Diagnostics;
using System.Text.Json;
using AgentKit.Training.Checkpoints;
using AgentKit.Training.Grpo;
using AgentKit.Training.Grpo.Rollouts;
using Xunit.Abstractions;

namespace AgentKit.Training.Tests.Grpo;

public sealed class GrpoTrainerTests(ITestOutputHelper output)
{
    private static GrpoOptions ToyOptions(string outDir, int steps) => new()
    {
        OutputDirectory = outDir, MaxSteps = steps, GroupSize = 8, PromptsPerStep = 4, MaxCompletionLength = ToyTask.Length,
        LearningRate = 3e-3, Seed = 11, Threads = 1,
    };

    [Fact]
    public async Task Grpo_raises_the_mean_reward_of_a_toy_verifiable_task()
    {
        var dir = TinyFixtures.TempDir();
        using var model = ToyTask.NewModel();
        var before = await ToyTask.MeanRewardAsync(model);
        var clock = Stopwatch.StartNew();
        var trainer = new GrpoTrainer(ToyOptions(dir, 30), new PolicyRolloutSource(ToyTask.Tokenizer), [ToyTask.Reward], ToyTask.Tokenizer);
        var result = await trainer.TrainAsync(model, ToyTask.Tasks);
        var after = await ToyTask.MeanRewardAsync(model);
        output.WriteLine($"mean reward {before:F3} -> {after:F3} in {clock.Elapsed.TotalSeconds:F1} s; per step: " +
            string.Join(' ', result.History.Select(h => h.RewardMean.ToString("F2"))));
        Assert.True(after > before + 0.3, $"mean reward should rise by more than 0.3: {before:F3} -> {after:F3}");

        Assert.Equal(30, File.ReadAllLines(Path.Combine(dir, GrpoRunFiles.Metrics)).Length);
        Assert.Equal(30 * 4 * 8, File.ReadAllLines(Path.Combine(dir, GrpoRunFiles.Rollouts)).Length);
        Assert.True(new FileInfo(Path.Combine(dir, GrpoRunFiles.Plot)).Length > 1000);
        Assert.True(CheckpointIO.IsCheckpoint(result.FinalCheckpoint));
        var first = JsonDocument.Parse(File.ReadLines(Path.Combine(dir, GrpoRunFiles.Metrics)).First()).RootElement;
        foreach (var key in new[] { "reward_mean", "reward_std", "frac_reward_zero_std", "clip_ratio", "entropy", "completion_length_mean", "rollout_tokens_per_second", "update_tokens_per_second" })
            Assert.True(first.TryGetProperty(key, out _), $"metrics.jsonl lacks {key}");
        Assert.True(first.GetProperty("reward_mean_by_function").TryGetProperty("band", out _));
        var rollout = JsonDocument.Parse(File.ReadLines(Path.Combine(dir, GrpoRunFiles.Rollouts)).First()).RootElement;
        Assert.EndsWith("in band", rollout.GetProperty("rewards").GetProperty("band").GetProperty("reason").GetString());
    }
}
