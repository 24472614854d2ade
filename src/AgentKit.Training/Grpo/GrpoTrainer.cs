using System.Text.Json;
using AgentKit.Abstractions.Trajectories;
using AgentKit.Training.Checkpoints;
using AgentKit.Training.Grpo.Rewards;
using AgentKit.Training.Grpo.Rollouts;
using AgentKit.Training.Model;
using AgentKit.Training.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace AgentKit.Training.Grpo;

/// <summary>
/// Group Relative Policy Optimisation. Every step draws <see cref="GrpoOptions.PromptsPerStep"/> tasks, has the rollout
/// source sample <see cref="GrpoOptions.GroupSize"/> rollouts of each from the policy, scores them with the weighted reward
/// functions, turns rewards into advantages within each group and optimises the clipped policy-ratio loss on the tokens the
/// policy generated. Writes <c>metrics.jsonl</c>, <c>rollouts.jsonl</c>, <c>grpo.png</c>, a resumable
/// <c>checkpoint-last</c> and <c>final</c>. Sampling seeds, dropout and the task order derive from the seed and the
/// position, and the data position and optimizer state are saved, so a resumed run continues exactly.
/// </summary>
public sealed class GrpoTrainer
{
    private readonly GrpoOptions _options;
    private readonly IRolloutSource _source;
    private readonly IReadOnlyList<IRewardFunction> _rewards;
    private readonly double[] _weights;
    private readonly ITextTokenizer? _tokenizer;
    private readonly string? _tokenizerFile;
    private readonly TimeProvider _time;

    /// <summary>Creates a trainer.</summary>
    /// <param name="options">Settings; validated here.</param>
    /// <param name="source">Where rollouts come from (e.g. <see cref="PolicyRolloutSource"/>).</param>
    /// <param name="rewards">The reward functions, weighted by <see cref="GrpoOptions.RewardWeights"/>; names must be unique.</param>
    /// <param name="tokenizer">The policy's tokenizer, saved into checkpoints when it can save itself.</param>
    /// <param name="tokenizerFile">A tokenizer.json copied into checkpoints otherwise.</param>
    /// <param name="timeProvider">Clock of the elapsed-time figures.</param>
    public GrpoTrainer(GrpoOptions options, IRolloutSource source, IReadOnlyList<IRewardFunction> rewards, ITextTokenizer? tokenizer = null,
        string? tokenizerFile = null, TimeProvider? timeProvider = null)
    {
        _options = (options ?? throw new ArgumentNullException(nameof(options))).Validate();
        _source = source ?? throw new ArgumentNullException(nameof(source));
        ArgumentNullException.ThrowIfNull(rewards);
        if (rewards.Count == 0)
            throw new ArgumentException("GRPO needs at least one reward function.", nameof(rewards));
        if (rewards.GroupBy(r => r.Name).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
            throw new ArgumentException($"Two reward functions are named '{duplicate.Key}'; names must be unique.", nameof(rewards));
        if (options.RewardWeights is { } weights && weights.Count != rewards.Count)
            throw new ArgumentException($"RewardWeights has {weights.Count} value(s) for {rewards.Count} reward function(s).", nameof(options));
        _rewards = rewards;
        _weights = [.. options.RewardWeights ?? rewards.Select(_ => 1.0)];
        _tokenizer = tokenizer;
        _tokenizerFile = tokenizerFile;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>
    /// Trains <paramref name="model"/> on <paramref name="tasks"/>. The model as passed is the starting policy and, when
    /// β &gt; 0, the KL reference. A model that arrives with LoRA adapters trains those (and <see cref="GrpoOptions.Lora"/>
    /// is not applied). When the output holds a <c>checkpoint-last</c>, its weights, optimizer state and position
    /// are restored first and training continues from there.
    /// </summary>
    /// <param name="model">The starting policy; LoRA adapters are attached here when configured and it has none.</param>
    /// <param name="tasks">The tasks to draw from (shuffled anew every epoch).</param>
    /// <param name="baseCheckpoint">Where the starting model came from (recorded in training_config.json).</param>
    /// <param name="progress">Receives every step's figures.</param>
    /// <param name="cancellationToken">Stops before the next step, or drops the step being sampled; either way a resumable checkpoint of the completed steps is saved first.</param>
    public async Task<GrpoResult> TrainAsync(LlamaForCausalLM model, IReadOnlyList<TrajectoryTask> tasks, string? baseCheckpoint = null,
        IProgress<GrpoStepMetrics>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tasks);
        if (tasks.Count == 0)
            throw new ArgumentException("GRPO needs at least one task.", nameof(tasks));
        if (_tokenizer is not null && _tokenizer.VocabSize > model.Config.VocabSize)
            throw new ArgumentException($"The tokenizer has {_tokenizer.VocabSize} tokens but the model's vocabulary is {model.Config.VocabSize}.");
        if (_options.Threads is { } threads)
            set_num_threads(threads);
        var device = ComputeDevices.Resolve(_options.Device);
        var output = _options.OutputDirectory;
        Directory.CreateDirectory(output);
        var record = new GrpoTrainingRecord(_options, model.Config, baseCheckpoint, [.. _rewards.Select(r => r.Name)]);

        // The reference is the starting policy. Adapters the trainer attaches start at zero, so then it is the base with
        // the adapters bypassed; otherwise a copy, taken before resumed weights overwrite the model.
        var freshAdapters = _options.Lora is not null && !model.HasLora;
        using var reference = _options.Beta > 0 && !freshAdapters ? ReferencePolicy.CopyOf(model) : null;
        var resumeDir = Path.Combine(output, GrpoRunFiles.LastCheckpoint);
        var state = new GrpoTrainerState(0, _options.MaxSteps, 0, 0, _options.Seed);
        if (GrpoCheckpoint.HasState(resumeDir))
        {
            state = GrpoCheckpoint.ReadState(resumeDir);
            if (state.Seed != _options.Seed)
                throw new InvalidOperationException($"'{resumeDir}' was trained with seed {state.Seed}; resuming with seed {_options.Seed} would not continue the same run.");
            CheckpointIO.LoadWeights(model, resumeDir);
            if (File.Exists(Path.Combine(resumeDir, CheckpointFiles.AdapterConfig)))
            {
                if (model.HasLora)
                    GrpoCheckpoint.LoadAdapterWeights(model, resumeDir);
                else
                    CheckpointIO.LoadAdapter(model, resumeDir);
            }
        }
        else if (freshAdapters)
        {
            model.AddLora(_options.Lora!, _options.Seed);
        }
        using var adaptersOff = _options.Beta > 0 && reference is null ? ReferencePolicy.AdaptersOff(model) : null;

        model.to(device);
        reference?.To(device);
        var parameters = model.TrainableParameters();
        using var optimizer = optim.AdamW(parameters, _options.LearningRate, _options.Beta1, _options.Beta2, 1e-8, _options.WeightDecay);
        if (state.Step > 0)
            optimizer.load_state_dict(Path.Combine(resumeDir, CheckpointFiles.OptimizerState));
        var metricsPath = Path.Combine(output, GrpoRunFiles.Metrics);
        var rolloutsPath = Path.Combine(output, GrpoRunFiles.Rollouts);
        GrpoRunFiles.TruncateAfter(metricsPath, state.Step);
        GrpoRunFiles.TruncateAfter(rolloutsPath, state.Step);

        var collector = new GroupCollector(_options, _source, _rewards, _weights);
        var trained = tasks;
        var prefilterSeconds = 0.0;
        if (_options.PrefilterSamples > 0)
        {
            if (state.Step > 0 && !File.Exists(Path.Combine(output, GrpoRunFiles.Prefilter)))
                throw new InvalidOperationException($"'{output}' was started without a prefilter; resuming with one would sample it from trained weights, not the starting policy.");
            // The starting policy decides: a resumed run reads the choice its first start wrote, never its trained weights'.
            var prefilter = new TaskPrefilter(_options, _source, collector, _time);
            trained = await prefilter.KeepAsync(model, tasks, output, cancellationToken).ConfigureAwait(false);
            prefilterSeconds = prefilter.SampledSeconds;
        }
        var order = new TaskOrder(trained, _options.Seed);
        var update = new PolicyUpdate(_options, model, reference ?? adaptersOff, optimizer, parameters);
        var history = new List<GrpoStepMetrics>();
        var started = _time.GetTimestamp();
        var startStep = state.Step;
        var optimizerSteps = state.OptimizerSteps;
        var tasksConsumed = state.TasksConsumed;
        for (var step = startStep; step < _options.MaxSteps; step++)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                Save(model, optimizer, resumeDir, new GrpoTrainerState(step, _options.MaxSteps, tasksConsumed, optimizerSteps, _options.Seed), record);
                cancellationToken.ThrowIfCancellationRequested();
            }
            var completed = step + 1;
            var rolloutStart = _time.GetTimestamp();
            CollectedGroups groups;
            try
            {
                groups = await collector.CollectAsync(model, order, tasksConsumed, completed, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // The unfinished step is dropped; its sampling depends only on the position, so a resume redoes it exactly.
                Save(model, optimizer, resumeDir, new GrpoTrainerState(step, _options.MaxSteps, tasksConsumed, optimizerSteps, _options.Seed), record);
                throw;
            }
            var rolloutSeconds = _time.GetElapsedTime(rolloutStart).TotalSeconds;
            tasksConsumed = groups.TasksConsumed;

            var trainedRollouts = groups.Trained.SelectMany(g => g.Rollouts).ToList();
            var advantages = groups.Trained.Count > 0
                ? GroupAdvantages.Compute([.. groups.Trained.SelectMany(g => g.Totals)], _options.GroupSize, _options.ScaleRewards).Advantages
                : [];
            var updateStart = _time.GetTimestamp();
            var figures = trainedRollouts.Count > 0 ? update.Run(trainedRollouts, advantages, completed, ref optimizerSteps, device) : null;
            var updateSeconds = _time.GetElapsedTime(updateStart).TotalSeconds;

            var metrics = StepMetrics(completed, groups, figures, rolloutSeconds, updateSeconds, tasksConsumed, optimizerSteps,
                _time.GetElapsedTime(started).TotalSeconds);
            AppendRollouts(rolloutsPath, completed, groups, advantages);
            File.AppendAllText(metricsPath, JsonSerializer.Serialize(metrics, GrpoRunFiles.Json) + "\n");
            history.Add(metrics);
            progress?.Report(metrics);
            if (completed < _options.MaxSteps && _options.SaveEvery > 0 && completed % _options.SaveEvery == 0)
            {
                var saved = new GrpoTrainerState(completed, _options.MaxSteps, tasksConsumed, optimizerSteps, _options.Seed);
                Save(model, optimizer, resumeDir, saved, record);
                if (_options.KeepCheckpoints > 0)
                    KeepStepCheckpoint(model, output, saved, record);
            }
        }

        var final = new GrpoTrainerState(_options.MaxSteps, _options.MaxSteps, tasksConsumed, optimizerSteps, _options.Seed);
        Save(model, optimizer, resumeDir, final, record);
        var finalDir = Path.Combine(output, GrpoRunFiles.FinalCheckpoint);
        GrpoCheckpoint.Save(model, null, finalDir, final, record, _tokenizer, _tokenizerFile);
        // The end is a save too: a script picking kept checkpoints by step finds the last one under its step number.
        if (_options.KeepCheckpoints > 0)
            KeepStepCheckpoint(model, output, final, record);
        GrpoPlot.Draw(output);
        return new GrpoResult(finalDir, _options.MaxSteps, startStep, history) { TasksTrained = trained.Count, PrefilterSeconds = prefilterSeconds };
    }

    private void Save(LlamaForCausalLM model, TorchSharp.Modules.OptimizerHelper optimizer, string directory, GrpoTrainerState state, GrpoTrainingRecord record) =>
        GrpoCheckpoint.Save(model, optimizer, directory, state, record, _tokenizer, _tokenizerFile);

    /// <summary>The model at this save as <c>checkpoint-STEP</c> (staged like every checkpoint), and only the newest <see cref="GrpoOptions.KeepCheckpoints"/> kept.</summary>
    private void KeepStepCheckpoint(LlamaForCausalLM model, string output, GrpoTrainerState state, GrpoTrainingRecord record)
    {
        GrpoCheckpoint.Save(model, null, Path.Combine(output, GrpoRunFiles.StepCheckpoint(state.Step)), state, record, _tokenizer, _tokenizerFile);
        var kept = GrpoRunFiles.KeptCheckpoints(output);
        foreach (var (_, path) in kept.Take(Math.Max(0, kept.Count - _options.KeepCheckpoints)))
            Directory.Delete(path, recursive: true);
    }

    private GrpoStepMetrics StepMetrics(int step, CollectedGroups groups, UpdateFigures? figures, double rolloutSeconds, double updateSeconds,
        long tasksConsumed, int optimizerSteps, double elapsed)
    {
        var rollouts = groups.Sampled.SelectMany(g => g.Rollouts).ToList();
        var totals = groups.Sampled.SelectMany(g => g.Totals).ToList();
        var lengths = rollouts.Select(r => r.PolicyTokenCount).ToList();
        var byFunction = _rewards.ToDictionary(f => f.Name, f => groups.Sampled.SelectMany(g => g.Results).Select(r => r[f.Name].Value).ToList());
        var tokens = figures?.Stats.Tokens ?? 0;
        return new GrpoStepMetrics
        {
            Step = step,
            TotalSteps = _options.MaxSteps,
            LearningRate = figures?.LearningRate ?? _options.LearningRateAt(optimizerSteps),
            Loss = figures?.Loss,
            GradNorm = figures?.GradNorm ?? 0,
            RewardMean = totals.Average(),
            RewardStd = GroupAdvantages.StandardDeviation(totals),
            RewardMeanByFunction = byFunction.ToDictionary(p => p.Key, p => p.Value.Average()),
            RewardStdByFunction = byFunction.ToDictionary(p => p.Key, p => GroupAdvantages.StandardDeviation(p.Value)),
            FracRewardZeroStd = (double)groups.Sampled.Count(g => g.ZeroStd) / groups.Sampled.Count,
            GroupsSampled = groups.Sampled.Count,
            GroupsTrained = groups.Trained.Count,
            Kl = _options.Beta > 0 && tokens > 0 ? figures!.Stats.KlSum / tokens : null,
            ClipRatioLow = tokens > 0 ? figures!.Stats.LowClipped / tokens : 0,
            ClipRatioHigh = tokens > 0 ? figures!.Stats.HighClipped / tokens : 0,
            ClipRatio = tokens > 0 ? (figures!.Stats.LowClipped + figures.Stats.HighClipped) / tokens : 0,
            Entropy = figures is { EntropyTokens: > 0 } ? figures.Entropy / figures.EntropyTokens : null,
            CompletionLengthMean = lengths.Average(),
            CompletionLengthMin = lengths.Min(),
            CompletionLengthMax = lengths.Max(),
            TruncatedFraction = (double)rollouts.Count(r => r.Truncated) / rollouts.Count,
            RolloutSeconds = rolloutSeconds,
            UpdateSeconds = updateSeconds,
            RolloutTokensPerSecond = lengths.Sum() / Math.Max(rolloutSeconds, 1e-9),
            UpdateTokensPerSecond = figures is null ? 0 : figures.TokensProcessed / Math.Max(updateSeconds, 1e-9),
            TasksConsumed = tasksConsumed,
            ElapsedSeconds = elapsed,
        };
    }

    private static void AppendRollouts(string path, int step, CollectedGroups groups, IReadOnlyList<double> advantages)
    {
        var trainedAt = groups.Trained.Select((g, i) => (g.Index, i)).ToDictionary(p => p.Index, p => p.i);
        var lines = groups.Sampled.SelectMany(g => g.Rollouts.Select((r, i) =>
        {
            double? advantage = trainedAt.TryGetValue(g.Index, out var t) ? advantages[t * g.Rollouts.Count + i] : null;
            var record = new GrpoRolloutRecord(step, r.Task.Id, g.Index, i, r.CompletionText, r.FinalAnswer, r.PolicyTokenCount, r.Truncated,
                g.Results[i], g.Totals[i], advantage);
            return JsonSerializer.Serialize(record, GrpoRunFiles.Json);
        }));
        File.AppendAllText(path, string.Concat(lines.Select(l => l + "\n")));
    }
}
