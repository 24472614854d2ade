using System.Diagnostics;
using System.Text.Json;
using AgentKit.Training.Checkpoints;
using AgentKit.Training.Grpo;
using AgentKit.Training.Grpo.Rollouts;
using Xunit.Abstractions;

namespace AgentKit.Training.Tests.Grpo;

public sealed class GrpoTrainerTests(ITestOutputHelper output)
{
    // Threads = 1: a tiny model's matrices gain nothing from threads, and on a loaded 2-core machine torch's default
    // thread pool made the GRPO tests ten times slower (the toy task 37 s instead of 3 s).
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

    // Three contiguous parts; one rollout per micro-batch, longest first; packs of a few rows within a token budget.
    [Theory]
    [InlineData(3, 0)]
    [InlineData(1, 1)]
    [InlineData(1, 40)]
    public async Task Micro_batches_give_the_update_of_the_whole_batch(int accumulation, int microBatchTokens)
    {
        var dir = TinyFixtures.TempDir();
        foreach (var type in new[] { GrpoLossType.Dapo, GrpoLossType.Grpo, GrpoLossType.DrGrpo })
        {
            using var whole = ToyTask.NewModel();
            using var split = ToyTask.NewModel();
            // One step: a later step samples from the updated weights, where float noise may flip a sampled token.
            var options = ToyOptions(Path.Combine(dir, type + "-1"), 1) with { LossType = type, MaxGradNorm = 0, GroupSize = 4, PromptsPerStep = 2 };
            var a = await new GrpoTrainer(options, new PolicyRolloutSource(ToyTask.Tokenizer), [ToyTask.Reward]).TrainAsync(whole, ToyTask.Tasks);
            var b = await new GrpoTrainer(options with
            {
                OutputDirectory = Path.Combine(dir, type + "-split"), GradientAccumulationSteps = accumulation, MicroBatchTokens = microBatchTokens,
            }, new PolicyRolloutSource(ToyTask.Tokenizer), [ToyTask.Reward]).TrainAsync(split, ToyTask.Tasks);
            // Adam divides small gradients by their own size, so float noise of the summation order shows at ~1e-5 in the weights.
            // The loss and gradient norm show the normalisation's scale (Adam's update alone would hide a constant factor).
            Assert.Equal(a.History[0].Loss!.Value, b.History[0].Loss!.Value, 6);
            Assert.Equal(1, b.History[0].GradNorm / a.History[0].GradNorm, 4);
            var expected = whole.state_dict();
            foreach (var (name, value) in split.state_dict())
                Assert.True(value.allclose(expected[name], rtol: 1e-4, atol: 1e-4), $"{type}: {name} differs with accumulation by {(value - expected[name]).abs().max().item<float>()} (of {expected[name].abs().max().item<float>()})");
        }
    }

    [Fact]
    public async Task Lora_trains_only_adapters_and_reports_the_kl_to_the_base()
    {
        var dir = TinyFixtures.TempDir();
        using var model = ToyTask.NewModel();
        var baseWeights = model.state_dict().ToDictionary(p => p.Key, p => p.Value.clone());
        var options = ToyOptions(dir, 4) with { LearningRate = 2e-2, Beta = 0.1, Lora = new() { Rank = 4, Alpha = 8 } };
        var result = await new GrpoTrainer(options, new PolicyRolloutSource(ToyTask.Tokenizer), [ToyTask.Reward], ToyTask.Tokenizer).TrainAsync(model, ToyTask.Tasks);

        Assert.True(model.HasLora);
        var after = model.state_dict();
        foreach (var (name, value) in baseWeights)
            Assert.True(value.eq(after[name]).all().item<bool>(), $"base weight {name} changed under LoRA");
        // Step 1 starts at the base (B = 0), so its KL is 0; the adapters then move the policy away.
        Assert.Equal(0, result.History[0].Kl!.Value, 6);
        Assert.True(result.History[^1].Kl > 0, $"KL after training: {result.History[^1].Kl}");
        Assert.True(File.Exists(Path.Combine(result.FinalCheckpoint, CheckpointFiles.AdapterWeights)));
    }

    [Fact]
    public async Task Dynamic_sampling_skips_groups_that_teach_nothing_and_refills_up_to_the_bound()
    {
        var dir = TinyFixtures.TempDir();
        using var model = ToyTask.NewModel();
        var before = model.state_dict().ToDictionary(p => p.Key, p => p.Value.clone());
        var constant = new AgentKit.Training.Grpo.Rewards.DelegateReward("constant", _ => 1.0);
        var options = ToyOptions(dir, 2) with { DynamicSampling = true, MaxRefillRounds = 2, PromptsPerStep = 2, GroupSize = 2 };
        var result = await new GrpoTrainer(options, new PolicyRolloutSource(ToyTask.Tokenizer), [constant]).TrainAsync(model, ToyTask.Tasks);

        // Every group has zero spread: 2 prompts a round, 1 + 2 rounds, nothing trained, the weights untouched.
        Assert.All(result.History, h => Assert.Equal((6, 0, 1.0, null), (h.GroupsSampled, h.GroupsTrained, h.FracRewardZeroStd, h.Loss)));
        Assert.Equal(12, result.History[^1].TasksConsumed);
        foreach (var (name, value) in model.state_dict())
            Assert.True(value.eq(before[name]).all().item<bool>(), $"{name} changed although no group was trained");
        var skipped = JsonDocument.Parse(File.ReadLines(Path.Combine(dir, GrpoRunFiles.Rollouts)).First()).RootElement;
        Assert.Equal(JsonValueKind.Null, skipped.GetProperty("advantage").ValueKind);
        Assert.Equal(JsonValueKind.Null, JsonDocument.Parse(File.ReadLines(Path.Combine(dir, GrpoRunFiles.Metrics)).First()).RootElement.GetProperty("loss").ValueKind);
    }

    [Fact]
    public async Task Bad_reward_setups_and_rewards_are_refused_with_one_line()
    {
        var source = new PolicyRolloutSource(ToyTask.Tokenizer);
        var options = ToyOptions(TinyFixtures.TempDir(), 1);
        Assert.Contains("named 'band'", Assert.Throws<ArgumentException>(() => new GrpoTrainer(options, source, [ToyTask.Reward, ToyTask.Reward])).Message);
        Assert.Contains("2 value(s) for 1", Assert.Throws<ArgumentException>(() => new GrpoTrainer(options with { RewardWeights = [1, 2] }, source, [ToyTask.Reward])).Message);
        Assert.Throws<ArgumentException>(() => new GrpoTrainer(options, source, []));
        using var model = ToyTask.NewModel();
        await Assert.ThrowsAsync<ArgumentException>(() => new GrpoTrainer(options, source, [ToyTask.Reward]).TrainAsync(model, []));
        var broken = new AgentKit.Training.Grpo.Rewards.DelegateReward("broken", _ => double.NaN);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => new GrpoTrainer(options, source, [broken]).TrainAsync(model, ToyTask.Tasks));
        Assert.Contains("'broken' gave NaN", error.Message);
    }
}
