using System.Diagnostics;
using System.Text.Json;
using AgentKit.Training.Checkpoints;
using AgentKit.Training.Model;
using AgentKit.Training.Tokenization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AgentKit.Training.Sft;

/// <summary>
/// Supervised fine-tuning: loss on weighted (assistant) tokens only, packed rows, full fine-tuning or LoRA,
/// AdamW with warm-up + cosine, clipping, gradient accumulation, chunked cross-entropy, validation, resumable
/// checkpoints (<c>checkpoint-last</c>), <c>metrics.csv</c> and <c>loss.png</c>. The data order, dropout and
/// schedule depend only on the seed and the step, so a resumed run continues the same loss curve.
/// </summary>
public sealed class SftTrainer
{
    /// <summary>Directory (inside the output) of the resumable checkpoint.</summary>
    public const string LastCheckpoint = "checkpoint-last";

    /// <summary>Directory (inside the output) of the final model.</summary>
    public const string FinalCheckpoint = "final";

    private readonly SftOptions _options;
    private readonly ITextTokenizer _tokenizer;
    private readonly string? _tokenizerFile;
    private readonly TimeProvider _time;

    /// <summary>Creates a trainer.</summary>
    /// <param name="options">Settings; validated here.</param>
    /// <param name="tokenizer">Tokenizer of the model.</param>
    /// <param name="tokenizerFile">The tokenizer.json to copy into checkpoints when the tokenizer cannot save itself.</param>
    /// <param name="timeProvider">Clock for throughput figures.</param>
    public SftTrainer(SftOptions options, ITextTokenizer tokenizer, string? tokenizerFile = null, TimeProvider? timeProvider = null)
    {
        _options = options.Validate();
        _tokenizer = tokenizer ?? throw new ArgumentNullException(nameof(tokenizer));
        _tokenizerFile = tokenizerFile;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>
    /// Trains <paramref name="model"/>. When the output directory holds a <c>checkpoint-last</c>, its weights,
    /// optimizer state and step are restored first and training continues from there.
    /// </summary>
    /// <param name="model">The model (fresh or loaded); LoRA adapters are attached here when configured.</param>
    /// <param name="baseCheckpoint">Where the base model came from (recorded in training_config.json).</param>
    /// <param name="progress">Receives every step's figures.</param>
    /// <param name="cancellationToken">Stops after the current step; a checkpoint is saved first.</param>
    public SftResult Train(LlamaForCausalLM model, string? baseCheckpoint = null, IProgress<SftProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (_tokenizer.VocabSize > model.Config.VocabSize)
            throw new ArgumentException($"The tokenizer has {_tokenizer.VocabSize} tokens but the model's vocabulary is {model.Config.VocabSize}.");
        if (_options.SequenceLength > model.Config.MaxPositionEmbeddings)
            throw new ArgumentException($"SequenceLength {_options.SequenceLength} exceeds the model's max_position_embeddings {model.Config.MaxPositionEmbeddings}.");
        if (_options.Threads is { } threads)
            set_num_threads(threads);
        var device = ComputeDevices.Resolve(_options.Device);
        var output = _options.OutputDirectory;
        Directory.CreateDirectory(output);

        var (train, validation) = LoadRows();
        var microPerEpoch = (train.Count + _options.BatchSize - 1) / _options.BatchSize;
        var stepsPerEpoch = Math.Max(1, microPerEpoch / _options.GradientAccumulationSteps);
        var totalSteps = _options.MaxSteps ?? _options.Epochs * stepsPerEpoch;
        var record = new TrainingRecord(_options, model.Config, baseCheckpoint, totalSteps);

        var resumeDir = Path.Combine(output, LastCheckpoint);
        var startStep = 0;
        if (File.Exists(Path.Combine(resumeDir, CheckpointFiles.TrainerState)))
        {
            CheckpointIO.LoadWeights(model, resumeDir);
            if (File.Exists(Path.Combine(resumeDir, CheckpointFiles.AdapterConfig)) && !model.HasLora)
                CheckpointIO.LoadAdapter(model, resumeDir);
            startStep = ReadState(resumeDir).Step;
        }
        else if (_options.Lora is { } lora && !model.HasLora)
        {
            model.AddLora(lora, _options.Seed);
        }

        // After LoRA is attached and resumed weights are loaded (both on the CPU), before the optimizer sees the parameters.
        model.to(device);
        var parameters = model.TrainableParameters();
        using var optimizer = optim.AdamW(parameters, _options.LearningRate, _options.Beta1, _options.Beta2, 1e-8, _options.WeightDecay);
        if (startStep > 0)
            optimizer.load_state_dict(Path.Combine(resumeDir, CheckpointFiles.OptimizerState));
        MetricsLog.TruncateAfter(output, startStep);

        var history = new List<SftProgress>();
        var started = _time.GetTimestamp();
        long tokens = (long)startStep * _options.GradientAccumulationSteps * _options.BatchSize * _options.SequenceLength;
        double? lastValidation = null;
        model.train();
        for (var step = startStep; step < totalSteps; step++)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                SaveCheckpoint(model, optimizer, resumeDir, step, record, withOptimizer: true);
                cancellationToken.ThrowIfCancellationRequested();
            }
            var stepStart = Stopwatch.GetTimestamp();
            // Dropout draws from torch's global generator: reseeding per step makes a resumed run identical.
            random.manual_seed(_options.Seed + 1_000_003L * (step + 1));
            var lr = _options.LearningRateAt(step, totalSteps);
            foreach (var group in optimizer.ParamGroups)
                group.LearningRate = lr;
            optimizer.zero_grad();
            double lossSum = 0, weightSum = 0;
            for (var micro = 0; micro < _options.GradientAccumulationSteps; micro++)
            {
                var rows = RowsOfMicroBatch(step * _options.GradientAccumulationSteps + micro, train.Count, microPerEpoch);
                using var scope = NewDisposeScope();
                var (inputs, positions, mask, targets, weights) = OnDevice(train.Batch(rows), device);
                var hidden = model.Hidden(inputs, positions, mask);
                var (loss, wsum, surrogate) = ChunkedCrossEntropy.Compute(hidden.view(-1, model.Config.HiddenSize), model.OutputWeight,
                    targets.view(-1), weights.view(-1), _options.LossChunkRows, computeGradients: true);
                if (surrogate is not null)
                    TensorOps.Div(surrogate, _options.GradientAccumulationSteps).backward();
                lossSum += loss * wsum;
                weightSum += wsum;
                tokens += inputs.numel();
            }
            var gradNorm = _options.MaxGradNorm > 0
                ? nn.utils.clip_grad_norm_(parameters, _options.MaxGradNorm)
                : GlobalNorm(parameters);
            optimizer.step();

            var completed = step + 1;
            var isLast = completed == totalSteps;
            double? validationLoss = null;
            if (validation is not null && ((_options.EvalEvery > 0 && completed % _options.EvalEvery == 0) || isLast))
                lastValidation = validationLoss = Evaluate(model, validation);
            var seconds = Stopwatch.GetElapsedTime(stepStart).TotalSeconds;
            var figures = new SftProgress(completed, totalSteps, (double)completed * _options.GradientAccumulationSteps / microPerEpoch, lr,
                weightSum > 0 ? lossSum / weightSum : 0, validationLoss, gradNorm, tokens,
                _options.GradientAccumulationSteps * _options.BatchSize * _options.SequenceLength / Math.Max(seconds, 1e-9),
                _time.GetElapsedTime(started));
            history.Add(figures);
            MetricsLog.Append(output, figures);
            progress?.Report(figures);
            if (!isLast && _options.SaveEvery > 0 && completed % _options.SaveEvery == 0)
                SaveCheckpoint(model, optimizer, resumeDir, completed, record, withOptimizer: true);
        }

        SaveCheckpoint(model, optimizer, resumeDir, totalSteps, record, withOptimizer: true);
        var finalDir = Path.Combine(output, FinalCheckpoint);
        SaveCheckpoint(model, optimizer, finalDir, totalSteps, record, withOptimizer: false);
        MetricsLog.Plot(output);
        var elapsed = _time.GetElapsedTime(started).TotalSeconds;
        var trainedTokens = (long)(totalSteps - startStep) * _options.GradientAccumulationSteps * _options.BatchSize * _options.SequenceLength;
        return new SftResult(finalDir, totalSteps, history.LastOrDefault()?.TrainLoss ?? double.NaN, lastValidation,
            trainedTokens / Math.Max(elapsed, 1e-9), history, startStep);
    }

    /// <summary>Weighted mean loss of <paramref name="rows"/> under <paramref name="model"/>, without gradients.</summary>
    public double Evaluate(LlamaForCausalLM model, PackedRows rows)
    {
        var device = model.OutputWeight.device;
        var wasTraining = model.training;
        model.eval();
        try
        {
            using var _ = no_grad();
            double lossSum = 0, weightSum = 0;
            for (var start = 0; start < rows.Count; start += _options.BatchSize)
            {
                using var scope = NewDisposeScope();
                var batch = Enumerable.Range(start, Math.Min(_options.BatchSize, rows.Count - start)).ToList();
                var (inputs, positions, mask, targets, weights) = OnDevice(rows.Batch(batch), device);
                var hidden = model.Hidden(inputs, positions, mask);
                var (loss, wsum, _) = ChunkedCrossEntropy.Compute(hidden.view(-1, model.Config.HiddenSize), model.OutputWeight,
                    targets.view(-1), weights.view(-1), _options.LossChunkRows, computeGradients: false);
                lossSum += loss * wsum;
                weightSum += wsum;
            }
            return weightSum > 0 ? lossSum / weightSum : double.NaN;
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    /// <summary>Reads, tokenizes and packs the training and validation data.</summary>
    public (PackedRows Train, PackedRows? Validation) LoadRows()
    {
        var padId = _tokenizer.EosId ?? 0;
        var examples = SftDataReader.Read(_options.DataPath).Select(e => SftTokenization.Tokenize(e, _tokenizer)).ToList();
        if (_options.ValidationPath is { } validationPath)
        {
            var validationExamples = SftDataReader.Read(validationPath).Select(e => SftTokenization.Tokenize(e, _tokenizer));
            return (PackedRows.Pack(examples, _options.SequenceLength, padId), PackedRows.Pack(validationExamples, _options.SequenceLength, padId));
        }
        var heldOut = _options.ValidationFraction > 0 && examples.Count >= 2
            ? Math.Max(1, (int)Math.Round(examples.Count * _options.ValidationFraction))
            : 0;
        var order = Enumerable.Range(0, examples.Count).ToArray();
        new Random(unchecked((int)_options.Seed)).Shuffle(order);
        var validation = heldOut > 0 ? PackedRows.Pack(order.Take(heldOut).Select(i => examples[i]), _options.SequenceLength, padId) : null;
        var train = PackedRows.Pack(order.Skip(heldOut).OrderBy(i => i).Select(i => examples[i]), _options.SequenceLength, padId);
        return (train, validation);
    }

    private IReadOnlyList<int> RowsOfMicroBatch(int micro, int rowCount, int microPerEpoch)
    {
        var epoch = micro / microPerEpoch;
        var order = Enumerable.Range(0, rowCount).ToArray();
        new Random(unchecked((int)(_options.Seed + epoch))).Shuffle(order);
        var start = micro % microPerEpoch * _options.BatchSize;
        return order.Skip(start).Take(_options.BatchSize).ToList();
    }

    private void SaveCheckpoint(LlamaForCausalLM model, OptimizerHelper optimizer, string directory, int step, TrainingRecord record, bool withOptimizer)
    {
        StagedCheckpoint.Save(model, directory, _tokenizer, _tokenizerFile, staging =>
        {
            File.WriteAllText(Path.Combine(staging, CheckpointFiles.TrainingConfig), JsonSerializer.Serialize(record, TrainingRecord.Json));
            if (!withOptimizer)
                return;
            optimizer.save_state_dict(Path.Combine(staging, CheckpointFiles.OptimizerState));
            File.WriteAllText(Path.Combine(staging, CheckpointFiles.TrainerState), JsonSerializer.Serialize(new TrainerState(step, record.TotalSteps)));
        });
    }

    private static TrainerState ReadState(string directory)
    {
        var path = Path.Combine(directory, CheckpointFiles.TrainerState);
        try
        {
            return JsonSerializer.Deserialize<TrainerState>(File.ReadAllText(path)) ?? throw new InvalidDataException("empty");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"Trainer state '{path}' is corrupt: {ex.Message}", ex);
        }
    }

    private static double GlobalNorm(IEnumerable<Parameter> parameters)
    {
        using var scope = NewDisposeScope();
        var sum = parameters.Where(p => p.grad is not null).Select(p => TensorOps.Pow(p.grad!, 2).sum().item<float>()).Sum();
        return Math.Sqrt(sum);
    }

    private sealed record TrainerState(int Step, int TotalSteps);

    /// <summary>A batch built on the CPU, moved to the training device (no copy when that is the CPU).</summary>
    private static (Tensor Inputs, Tensor Positions, Tensor Mask, Tensor Targets, Tensor Weights) OnDevice(
        (Tensor Inputs, Tensor Positions, Tensor Mask, Tensor Targets, Tensor Weights) batch, Device device) =>
        (batch.Inputs.to(device), batch.Positions.to(device), batch.Mask.to(device), batch.Targets.to(device), batch.Weights.to(device));
}
