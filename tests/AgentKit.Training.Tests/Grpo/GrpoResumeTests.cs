using System.Text.Json;
using AgentKit.Training.Grpo;
using AgentKit.Training.Grpo.Rewards;
using AgentKit.Training.Grpo.Rollouts;
using AgentKit.Training.Model;

namespace AgentKit.Training.Tests.Grpo;

public sealed class GrpoResumeTests
{
    // Every stateful feature on: several passes with old log-probs, accumulation, dynamic sampling (data position moves
    // faster than the steps), a KL reference, warm-up (optimizer step count).
    // Threads = 1: a tiny model's matrices gain nothing from threads, and on a loaded 2-core machine torch's default
    // thread pool made the GRPO tests ten times slower (the toy task 37 s instead of 3 s).
    private static GrpoOptions Options(string outDir, bool lora) => new()
    {
        OutputDirectory = outDir, MaxSteps = 6, GroupSize = 4, PromptsPerStep = 2, MaxCompletionLength = ToyTask.Length,
        LearningRate = lora ? 1e-2 : 3e-3, WarmupSteps = 3, NumIterations = 2, GradientAccumulationSteps = 2, DynamicSampling = true,
        Beta = 0.05, EpsilonHigh = 0.28, Seed = 21, Threads = 1,
        Lora = lora ? new LoraSettings { Rank = 4, Alpha = 8, Dropout = 0.1, TargetModules = ["q_proj", "v_proj", "up_proj"] } : null,
    };

    // Rewards only the first token, so many groups score all zero and dynamic sampling draws more tasks.
    private static readonly DelegateReward FirstTokenInBand = new("first", r =>
        r.TokenIds[r.PolicyMask.ToList().IndexOf(true)] is >= ToyTask.BandStart and < ToyTask.BandEnd ? 1 : 0);

    private static GrpoTrainer Trainer(GrpoOptions options) =>
        new(options, new PolicyRolloutSource(ToyTask.Tokenizer), [FirstTokenInBand], ToyTask.Tokenizer);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Stopping_after_k_steps_and_resuming_gives_the_parameters_of_an_uninterrupted_run(bool lora)
    {
        var dir = TinyFixtures.TempDir();
        using var straight = ToyTask.NewModel();
        var uninterrupted = await Trainer(Options(Path.Combine(dir, "straight"), lora)).TrainAsync(straight, ToyTask.Tasks);
        Assert.Contains(uninterrupted.History, h => h.GroupsSampled > 2); // the data position ran ahead of the steps

        var resumedOut = Path.Combine(dir, "resumed");
        using var cts = new CancellationTokenSource();
        using (var first = ToyTask.NewModel())
        {
            var stopAtThree = new SyncProgress(m => { if (m.Step == 3) cts.Cancel(); });
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                Trainer(Options(resumedOut, lora)).TrainAsync(first, ToyTask.Tasks, progress: stopAtThree, cancellationToken: cts.Token));
        }
        // A new process would start again from the same starting model; everything else comes from the checkpoint.
        using var second = ToyTask.NewModel();
        var resumed = await Trainer(Options(resumedOut, lora)).TrainAsync(second, ToyTask.Tasks);

        Assert.Equal(3, resumed.ResumedFromStep);
        Assert.Equal([4, 5, 6], resumed.History.Select(h => h.Step));
        var expected = straight.state_dict();
        foreach (var (name, value) in second.state_dict())
            Assert.True(value.eq(expected[name]).all().item<bool>(), $"{name} differs after resuming (max diff {(value - expected[name]).abs().max().item<float>()})");

        var straightMetrics = File.ReadAllLines(Path.Combine(dir, "straight", GrpoRunFiles.Metrics)).Select(Comparable).ToList();
        var resumedMetrics = File.ReadAllLines(Path.Combine(resumedOut, GrpoRunFiles.Metrics)).Select(Comparable).ToList();
        Assert.Equal(straightMetrics, resumedMetrics);
        Assert.Equal(File.ReadAllLines(Path.Combine(dir, "straight", GrpoRunFiles.Rollouts)), File.ReadAllLines(Path.Combine(resumedOut, GrpoRunFiles.Rollouts)));
    }

    [Fact]
    public async Task Cancelling_while_a_step_samples_saves_the_finished_steps_and_resumes_exactly()
    {
        var dir = TinyFixtures.TempDir();
        var options = Options(Path.Combine(dir, "straight"), lora: false) with { DynamicSampling = false, MaxSteps = 4 };
        using var straight = ToyTask.NewModel();
        await Trainer(options).TrainAsync(straight, ToyTask.Tasks);

        using var cts = new CancellationTokenSource();
        var resumed = options with { OutputDirectory = Path.Combine(dir, "resumed") };
        // Two groups a step: the 6th request is the second group of step 3.
        var cancelling = new CancelOnRequest(new PolicyRolloutSource(ToyTask.Tokenizer), 6, cts);
        using (var first = ToyTask.NewModel())
        {
            var trainer = new GrpoTrainer(resumed, cancelling, [FirstTokenInBand], ToyTask.Tokenizer);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => trainer.TrainAsync(first, ToyTask.Tasks, cancellationToken: cts.Token));
        }
        Assert.Equal(2, File.ReadAllLines(Path.Combine(resumed.OutputDirectory, GrpoRunFiles.Metrics)).Length);
        using var second = ToyTask.NewModel();
        var result = await Trainer(resumed).TrainAsync(second, ToyTask.Tasks);
        Assert.Equal(2, result.ResumedFromStep);
        var expected = straight.state_dict();
        foreach (var (name, value) in second.state_dict())
            Assert.True(value.eq(expected[name]).all().item<bool>(), $"{name} differs after resuming");
    }

    /// <summary>The real source, with the run cancelled as its n-th request begins (as Ctrl+C during sampling would).</summary>
    private sealed class CancelOnRequest(IRolloutSource inner, int n, CancellationTokenSource cts) : IRolloutSource
    {
        private int _requests;

        public Task<IReadOnlyList<Rollout>> SampleGroupAsync(RolloutRequest request, CancellationToken cancellationToken = default)
        {
            if (++_requests == n)
                cts.Cancel();
            return inner.SampleGroupAsync(request, cancellationToken);
        }
    }

    [Fact]
    public async Task A_model_that_arrives_with_adapters_is_its_own_reference_and_resumes_into_them()
    {
        var dir = TinyFixtures.TempDir();
        // One pass per step: a second pass would already be measured after an update.
        var options = Options(Path.Combine(dir, "straight"), lora: false) with { MaxSteps = 4, LearningRate = 1e-2, NumIterations = 1 };
        using var straight = WithTrainedAdapters();
        var uninterrupted = await Trainer(options).TrainAsync(straight, ToyTask.Tasks);
        // The reference includes the adapters it arrived with: no distance at the first step.
        Assert.Equal(0, uninterrupted.History[0].Kl!.Value, 6);
        Assert.True(uninterrupted.History[^1].Kl > 0);

        using var cts = new CancellationTokenSource();
        var resumed = options with { OutputDirectory = Path.Combine(dir, "resumed") };
        using (var first = WithTrainedAdapters())
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Trainer(resumed).TrainAsync(first, ToyTask.Tasks,
                progress: new SyncProgress(m => { if (m.Step == 2) cts.Cancel(); }), cancellationToken: cts.Token));
        }
        using var second = WithTrainedAdapters();
        await Trainer(resumed).TrainAsync(second, ToyTask.Tasks);
        var expected = straight.state_dict();
        foreach (var (name, value) in second.state_dict())
            Assert.True(value.eq(expected[name]).all().item<bool>(), $"{name} differs after resuming");
    }

    /// <summary>A model carrying an adapter that already moved away from the base (B ≠ 0), as a loaded PEFT adapter would.</summary>
    private static LlamaForCausalLM WithTrainedAdapters()
    {
        var model = ToyTask.NewModel();
        model.AddLora(new LoraSettings { Rank = 2, Alpha = 4 }, seed: 3);
        var generator = new TorchSharp.torch.Generator(9);
        using var _ = TorchSharp.torch.no_grad();
        foreach (var (name, p) in model.named_parameters().Where(p => p.name.Contains("lora_B")))
            p.normal_(0, 0.05, generator);
        return model;
    }

    [Fact]
    public async Task A_resumable_checkpoint_is_saved_every_k_steps()
    {
        var dir = TinyFixtures.TempDir();
        var saved = new List<int>();
        var lastState = Path.Combine(dir, GrpoRunFiles.LastCheckpoint, AgentKit.Training.Checkpoints.CheckpointFiles.TrainerState);
        // Reported before the step's save: the checkpoint seen at step k is the one saved at the last multiple of 2 before it.
        var watch = new SyncProgress(m => saved.Add(File.Exists(lastState) ? JsonSerializer.Deserialize<GrpoTrainerState>(File.ReadAllText(lastState))!.Step : 0));
        using var model = ToyTask.NewModel();
        await Trainer(Options(dir, lora: false) with { MaxSteps = 5, SaveEvery = 2, DynamicSampling = false }).TrainAsync(model, ToyTask.Tasks, progress: watch);
        Assert.Equal([0, 0, 2, 2, 4], saved);
        Assert.Equal(5, JsonSerializer.Deserialize<GrpoTrainerState>(File.ReadAllText(lastState))!.Step);
    }

    [Fact]
    public async Task The_last_k_saves_are_kept_as_step_checkpoints_equal_to_a_run_that_stopped_there()
    {
        var dir = TinyFixtures.TempDir();
        using (var model = ToyTask.NewModel())
            await Trainer(Options(dir, lora: false) with { MaxSteps = 5, SaveEvery = 1, KeepCheckpoints = 2, DynamicSampling = false }).TrainAsync(model, ToyTask.Tasks);

        // Saves at steps 1-5 (the last one also as final/): the newest two remain, nothing half-written.
        Assert.Equal([GrpoRunFiles.StepCheckpoint(4), GrpoRunFiles.StepCheckpoint(5)],
            Directory.GetDirectories(dir, GrpoRunFiles.StepCheckpointPrefix + "*").Select(Path.GetFileName)
                .Where(n => n != GrpoRunFiles.LastCheckpoint).Order(StringComparer.Ordinal));
        var kept = Path.Combine(dir, GrpoRunFiles.StepCheckpoint(4));
        Assert.True(File.Exists(Path.Combine(kept, "tokenizer.json")));
        Assert.True(File.Exists(Path.Combine(kept, AgentKit.Training.Checkpoints.CheckpointFiles.TrainingConfig)));
        Assert.False(File.Exists(Path.Combine(kept, AgentKit.Training.Checkpoints.CheckpointFiles.OptimizerState))); // not resumable: small

        // The same run stopped at step 4 ends with exactly those weights.
        var four = Path.Combine(dir, "four");
        using (var model = ToyTask.NewModel())
            await Trainer(Options(four, lora: false) with { MaxSteps = 4, DynamicSampling = false }).TrainAsync(model, ToyTask.Tasks);
        using var fromKept = AgentKit.Training.Checkpoints.CheckpointIO.Load(kept);
        using var fromFinal = AgentKit.Training.Checkpoints.CheckpointIO.Load(Path.Combine(four, GrpoRunFiles.FinalCheckpoint));
        var expected = fromFinal.state_dict();
        foreach (var (name, value) in fromKept.state_dict())
            Assert.True(value.eq(expected[name]).all().item<bool>(), $"{name} of checkpoint-4 differs from a 4-step run");

        // The last step is kept under its number too, with the weights of final/.
        using var lastKept = AgentKit.Training.Checkpoints.CheckpointIO.Load(Path.Combine(dir, GrpoRunFiles.StepCheckpoint(5)));
        using var final = AgentKit.Training.Checkpoints.CheckpointIO.Load(Path.Combine(dir, GrpoRunFiles.FinalCheckpoint));
        var finalWeights = final.state_dict();
        foreach (var (name, value) in lastKept.state_dict())
            Assert.True(value.eq(finalWeights[name]).all().item<bool>(), $"{name} of checkpoint-5 differs from final/");
    }

    [Fact]
    public async Task Resuming_with_another_seed_is_refused()
    {
        var dir = TinyFixtures.TempDir();
        using var model = ToyTask.NewModel();
        await Trainer(Options(dir, lora: false) with { MaxSteps = 1, DynamicSampling = false }).TrainAsync(model, ToyTask.Tasks);
        using var again = ToyTask.NewModel();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Trainer(Options(dir, lora: false) with { MaxSteps = 2, Seed = 22 }).TrainAsync(again, ToyTask.Tasks));
        Assert.Contains("seed 21", error.Message);
    }

    /// <summary>A metrics line without its timing figures, which differ between runs.</summary>
    private static string Comparable(string line)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(line)!.AsObject();
        foreach (var timing in new[] { "rollout_seconds", "update_seconds", "rollout_tokens_per_second", "update_tokens_per_second", "elapsed_seconds" })
            node.Remove(timing);
        return node.ToJsonString();
    }

    private sealed class SyncProgress(Action<GrpoStepMetrics> action) : IProgress<GrpoStepMetrics>
    {
        public void Report(GrpoStepMetrics value) => action(value);
    }
}
