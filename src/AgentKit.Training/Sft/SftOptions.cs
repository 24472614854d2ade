using System.Text.Json.Serialization;
using AgentKit.Training.Model;

namespace AgentKit.Training.Sft;

/// <summary>
/// Settings of <see cref="SftTrainer"/> (saved, resolved, into every checkpoint as <c>training_config.json</c>).
/// Defaults suit a small model trained from scratch on CPU. Validated by <see cref="Validate"/>.
/// </summary>
public sealed record SftOptions
{
    /// <summary>Training data (messages JSONL).</summary>
    public required string DataPath { get; init; }

    /// <summary>Validation data; null holds out <see cref="ValidationFraction"/> of the training rows.</summary>
    public string? ValidationPath { get; init; }

    /// <summary>Fraction of packed rows held out for validation when no file is given (default 0.1; 0 disables).</summary>
    public double ValidationFraction { get; init; } = 0.1;

    /// <summary>Output directory: checkpoints, metrics.csv, loss.png.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>Tokens per packed row (default 512).</summary>
    public int SequenceLength { get; init; } = 512;

    /// <summary>Rows per micro-batch (default 4).</summary>
    public int BatchSize { get; init; } = 4;

    /// <summary>Micro-batches whose gradients are summed before each optimizer step (default 1).</summary>
    public int GradientAccumulationSteps { get; init; } = 1;

    /// <summary>Passes over the training rows (default 1); ignored when <see cref="MaxSteps"/> is set.</summary>
    public int Epochs { get; init; } = 1;

    /// <summary>Optimizer steps to run; null runs <see cref="Epochs"/> epochs.</summary>
    public int? MaxSteps { get; init; }

    /// <summary>Peak learning rate (default 1e-3).</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Linear warm-up steps (default 10).</summary>
    public int WarmupSteps { get; init; } = 10;

    /// <summary>The cosine decay ends at this fraction of the peak rate (default 0.1).</summary>
    public double MinLearningRateRatio { get; init; } = 0.1;

    /// <summary>AdamW decoupled weight decay (default 0.0).</summary>
    public double WeightDecay { get; init; }

    /// <summary>AdamW β1 (default 0.9).</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>AdamW β2 (default 0.95).</summary>
    public double Beta2 { get; init; } = 0.95;

    /// <summary>Gradient clipping by global norm (default 1.0; 0 disables).</summary>
    public double MaxGradNorm { get; init; } = 1.0;

    /// <summary>LoRA settings; null trains all weights.</summary>
    public LoraSettings? Lora { get; init; }

    /// <summary>Rows per chunk of the vocabulary projection in the loss (default 256).</summary>
    public int LossChunkRows { get; init; } = 256;

    /// <summary>Validate every this many steps (default 50; 0 only at the end).</summary>
    public int EvalEvery { get; init; } = 50;

    /// <summary>Save a resumable checkpoint every this many steps (default 100; 0 only at the end).</summary>
    public int SaveEvery { get; init; } = 100;

    /// <summary>Seed for initialisation, shuffling and dropout (default 1234).</summary>
    public long Seed { get; init; } = 1234;

    /// <summary>CPU threads for torch (null: torch's default).</summary>
    public int? Threads { get; init; }

    /// <summary>Where to train (default CPU); CUDA needs the CUDA build and a GPU, else training refuses to start.</summary>
    public ComputeDevice Device { get; init; } = ComputeDevice.Cpu;

    /// <summary>Throws <see cref="ArgumentException"/> explaining the first invalid setting.</summary>
    public SftOptions Validate()
    {
        if (string.IsNullOrWhiteSpace(DataPath))
            throw new ArgumentException("DataPath is required.");
        if (string.IsNullOrWhiteSpace(OutputDirectory))
            throw new ArgumentException("OutputDirectory is required.");
        if (ValidationFraction is < 0 or >= 1)
            throw new ArgumentException($"ValidationFraction must be in [0, 1), got {ValidationFraction}.");
        if (SequenceLength < 8)
            throw new ArgumentException($"SequenceLength must be >= 8, got {SequenceLength}.");
        if (BatchSize < 1)
            throw new ArgumentException($"BatchSize must be >= 1, got {BatchSize}.");
        if (GradientAccumulationSteps < 1)
            throw new ArgumentException($"GradientAccumulationSteps must be >= 1, got {GradientAccumulationSteps}.");
        if (Epochs < 1)
            throw new ArgumentException($"Epochs must be >= 1, got {Epochs}.");
        if (MaxSteps is < 1)
            throw new ArgumentException($"MaxSteps must be >= 1, got {MaxSteps}.");
        if (!(LearningRate > 0))
            throw new ArgumentException($"LearningRate must be > 0, got {LearningRate}.");
        if (WarmupSteps < 0)
            throw new ArgumentException($"WarmupSteps must be >= 0, got {WarmupSteps}.");
        if (MinLearningRateRatio is < 0 or > 1)
            throw new ArgumentException($"MinLearningRateRatio must be in [0, 1], got {MinLearningRateRatio}.");
        if (WeightDecay < 0)
            throw new ArgumentException($"WeightDecay must be >= 0, got {WeightDecay}.");
        if (Beta1 is < 0 or >= 1 || Beta2 is < 0 or >= 1)
            throw new ArgumentException($"Betas must be in [0, 1), got {Beta1}, {Beta2}.");
        if (MaxGradNorm < 0)
            throw new ArgumentException($"MaxGradNorm must be >= 0, got {MaxGradNorm}.");
        if (LossChunkRows < 1)
            throw new ArgumentException($"LossChunkRows must be >= 1, got {LossChunkRows}.");
        if (EvalEvery < 0 || SaveEvery < 0)
            throw new ArgumentException("EvalEvery and SaveEvery must be >= 0.");
        if (Threads is < 1)
            throw new ArgumentException($"Threads must be >= 1, got {Threads}.");
        Lora?.Validate();
        return this;
    }

    /// <summary>Learning rate at optimizer step <paramref name="step"/> (0-based) of <paramref name="totalSteps"/>: linear warm-up, then cosine to the floor.</summary>
    public double LearningRateAt(int step, int totalSteps)
    {
        if (step < WarmupSteps)
            return LearningRate * (step + 1) / (WarmupSteps + 1);
        var decaySteps = Math.Max(1, totalSteps - WarmupSteps);
        var progress = Math.Min(1.0, (double)(step - WarmupSteps) / decaySteps);
        var floor = LearningRate * MinLearningRateRatio;
        return floor + (LearningRate - floor) * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }
}

/// <summary>What <c>training_config.json</c> records: the options, the model and where it started from.</summary>
/// <param name="Sft">Resolved trainer options.</param>
/// <param name="Model">The model shape.</param>
/// <param name="Base">Base checkpoint directory, or null for a fresh model.</param>
/// <param name="TotalSteps">Optimizer steps of the whole run.</param>
public sealed record TrainingRecord(SftOptions Sft, LlamaConfig Model, string? Base, int TotalSteps)
{
    /// <summary>Serializer settings for the record.</summary>
    [JsonIgnore]
    public static System.Text.Json.JsonSerializerOptions Json { get; } = new() { WriteIndented = true };
}
