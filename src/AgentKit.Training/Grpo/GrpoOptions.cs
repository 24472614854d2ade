using System.Text.Json.Serialization;
using AgentKit.Training.Model;

namespace AgentKit.Training.Grpo;

/// <summary>How the per-token policy loss is normalised (TRL's <c>loss_type</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<GrpoLossType>))]
public enum GrpoLossType
{
    /// <summary>Token-level: the sum over every generated token of the batch divided by their count (DAPO; TRL's default).</summary>
    [JsonStringEnumMemberName("dapo")]
    Dapo,

    /// <summary>Each sequence's mean over its tokens, then the mean over sequences (the original GRPO; favours short completions).</summary>
    [JsonStringEnumMemberName("grpo")]
    Grpo,

    /// <summary>The sum over tokens divided by (sequences × <see cref="GrpoOptions.MaxCompletionLength"/>), a constant (Dr. GRPO: no length bias).</summary>
    [JsonStringEnumMemberName("dr_grpo")]
    DrGrpo,
}

/// <summary>What rewards are divided by after the group mean is subtracted (TRL's <c>scale_rewards</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RewardScaling>))]
public enum RewardScaling
{
    /// <summary>The standard deviation of the prompt's group (the original GRPO; TRL's default).</summary>
    [JsonStringEnumMemberName("group")]
    Group,

    /// <summary>The standard deviation over the whole batch (a middle ground).</summary>
    [JsonStringEnumMemberName("batch")]
    Batch,

    /// <summary>Not scaled (Dr. GRPO: avoids weighting too-easy and too-hard prompts up).</summary>
    [JsonStringEnumMemberName("none")]
    None,
}

/// <summary>
/// Settings of <see cref="GrpoTrainer"/> (saved, resolved, into every checkpoint as <c>training_config.json</c>).
/// Defaults follow TRL's <c>GRPOConfig</c> where it has one (G = 8, β = 0, ε = 0.2, <c>dapo</c>, <c>group</c>, temperature 1,
/// learning rate 1e-6 for 0.5B+ models: tiny models need far more). Validated by <see cref="Validate"/>.
/// </summary>
public sealed record GrpoOptions
{
    /// <summary>Output directory: checkpoints, metrics.jsonl, rollouts.jsonl, grpo.png.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>Training steps (one rollout batch each) to run.</summary>
    public required int MaxSteps { get; init; }

    /// <summary>Completions sampled per prompt, G (TRL's <c>num_generations</c>; default 8). At least 2: advantages compare within a group.</summary>
    public int GroupSize { get; init; } = 8;

    /// <summary>Prompts per rollout batch (default 4): a step trains on <c>PromptsPerStep × GroupSize</c> completions.</summary>
    public int PromptsPerStep { get; init; } = 4;

    /// <summary>Most tokens the policy generates per completion (default 64); longer ones are cut and marked truncated.</summary>
    public int MaxCompletionLength { get; init; } = 64;

    /// <summary>Sampling temperature (default 1.0); the loss divides logits by the same value so ratios compare like with like.</summary>
    public float Temperature { get; init; } = 1.0f;

    /// <summary>Nucleus threshold of sampling in (0, 1] (default 1: the whole distribution).</summary>
    public float TopP { get; init; } = 1.0f;

    /// <summary>Weight of each reward function, in the trainer's order; null weighs each 1 (TRL's <c>reward_weights</c>).</summary>
    public IReadOnlyList<double>? RewardWeights { get; init; }

    /// <summary>How advantages are scaled (default <see cref="RewardScaling.Group"/>).</summary>
    public RewardScaling ScaleRewards { get; init; } = RewardScaling.Group;

    /// <summary>Normalisation of the loss (default <see cref="GrpoLossType.Dapo"/>).</summary>
    public GrpoLossType LossType { get; init; } = GrpoLossType.Dapo;

    /// <summary>Lower clip of the policy ratio: ratios below <c>1 − ε</c> stop pushing a negative advantage (default 0.2).</summary>
    public double Epsilon { get; init; } = 0.2;

    /// <summary>Upper clip: ratios above <c>1 + ε_high</c> stop pushing a positive advantage; null uses <see cref="Epsilon"/> (DAPO uses 0.28).</summary>
    public double? EpsilonHigh { get; init; }

    /// <summary>Weight β of the KL penalty to the frozen starting model (default 0: no reference is kept and no KL computed).</summary>
    public double Beta { get; init; }

    /// <summary>Optimisation passes over each rollout batch (TRL's <c>num_iterations</c>, μ; default 1). Above 1 the sampling policy's log-probs are kept as the ratio's denominator.</summary>
    public int NumIterations { get; init; } = 1;

    /// <summary>Micro-batches each pass is split into, gradients summed before the optimizer step (default 1).</summary>
    public int GradientAccumulationSteps { get; init; } = 1;

    /// <summary>
    /// Most padded tokens (rows × longest row) in one micro-batch; 0 (default) splits by <see cref="GradientAccumulationSteps"/>.
    /// When set, each pass sorts its rollouts by length and packs them, longest first, into micro-batches within this
    /// budget: agent runs differ in length several-fold, and one batch padded to the longest spends most of its work on
    /// padding. Gradients add up over micro-batches as with accumulation, so the update is the same; a rollout longer than
    /// the budget gets a micro-batch of its own.
    /// </summary>
    public int MicroBatchTokens { get; init; }

    /// <summary>Gradient clipping by global norm (default 1.0; 0 disables).</summary>
    public double MaxGradNorm { get; init; } = 1.0;

    /// <summary>Peak learning rate of AdamW (default 1e-6, TRL's).</summary>
    public double LearningRate { get; init; } = 1e-6;

    /// <summary>Linear warm-up in optimizer steps, then constant (default 0).</summary>
    public int WarmupSteps { get; init; }

    /// <summary>AdamW decoupled weight decay (default 0).</summary>
    public double WeightDecay { get; init; }

    /// <summary>AdamW β1 (default 0.9).</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>AdamW β2 (default 0.999).</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary>LoRA settings; null trains all weights.</summary>
    public LoraSettings? Lora { get; init; }

    /// <summary>Drop groups whose rewards are all equal (their advantages are zero: they teach nothing) and sample more prompts instead (DAPO's dynamic sampling).</summary>
    public bool DynamicSampling { get; init; }

    /// <summary>With <see cref="DynamicSampling"/>: extra rounds of prompts per step at most (default 3); a step that still lacks groups trains on those it has.</summary>
    public int MaxRefillRounds { get; init; } = 3;

    /// <summary>
    /// Before the first step, sample this many completions of every task with the starting policy and train only on the
    /// tasks whose rewards differ among them (offline difficulty filtering; default 0: train on every task). Tasks always
    /// or never solved teach nothing; on sparse rewards they are most of a task file, and dynamic sampling pays for their
    /// groups at every step. The choice is written to <c>prefilter.jsonl</c> and kept when the run resumes.
    /// </summary>
    public int PrefilterSamples { get; init; }

    /// <summary>Leave completions cut at <see cref="MaxCompletionLength"/> out of the loss (DAPO's overlong filtering; default false).</summary>
    public bool MaskTruncatedCompletions { get; init; }

    /// <summary>Save a resumable checkpoint every this many steps (default 0: only at the end).</summary>
    public int SaveEvery { get; init; }

    /// <summary>
    /// Besides the resumable <c>checkpoint-last</c>, keep the model of each of the last this many saves (every
    /// <see cref="SaveEvery"/> steps, and the last step) as <c>checkpoint-STEP</c>: weights, tokenizer and training config like <c>final</c>,
    /// without the optimizer, for evaluation and export; older ones are removed (default 0: none kept). RL curves are noisy, so the
    /// checkpoint to ship is picked on a validation set afterwards, which needs more than the last one.
    /// </summary>
    public int KeepCheckpoints { get; init; }

    /// <summary>Seed of the prompt order, sampling, dropout and LoRA initialisation (default 1234).</summary>
    public long Seed { get; init; } = 1234;

    /// <summary>CPU threads for torch (null: torch's default).</summary>
    public int? Threads { get; init; }

    /// <summary>Where to train and sample (default CPU); CUDA needs the CUDA build and a GPU, else training refuses to start.</summary>
    public ComputeDevice Device { get; init; } = ComputeDevice.Cpu;

    /// <summary>The upper clip in use: <see cref="EpsilonHigh"/> or <see cref="Epsilon"/>.</summary>
    [JsonIgnore]
    public double UpperEpsilon => EpsilonHigh ?? Epsilon;

    /// <summary>Throws <see cref="ArgumentException"/> explaining the first invalid setting.</summary>
    public GrpoOptions Validate()
    {
        if (string.IsNullOrWhiteSpace(OutputDirectory))
            throw new ArgumentException("OutputDirectory is required.");
        if (MaxSteps < 1)
            throw new ArgumentException($"MaxSteps must be >= 1, got {MaxSteps}.");
        if (GroupSize < 2)
            throw new ArgumentException($"GroupSize must be >= 2 (advantages compare completions of the same prompt), got {GroupSize}.");
        if (PromptsPerStep < 1)
            throw new ArgumentException($"PromptsPerStep must be >= 1, got {PromptsPerStep}.");
        if (MaxCompletionLength < 1)
            throw new ArgumentException($"MaxCompletionLength must be >= 1, got {MaxCompletionLength}.");
        if (!(Temperature > 0) || float.IsInfinity(Temperature))
            throw new ArgumentException($"Temperature must be > 0 (GRPO needs sampled, not greedy, completions), got {Temperature}.");
        if (TopP is <= 0 or > 1 || float.IsNaN(TopP))
            throw new ArgumentException($"TopP must be in (0, 1], got {TopP}.");
        if (RewardWeights is { } weights && weights.Any(w => !double.IsFinite(w)))
            throw new ArgumentException("RewardWeights must be finite numbers.");
        if (!Enum.IsDefined(ScaleRewards))
            throw new ArgumentException($"ScaleRewards must be group, batch or none, got {(int)ScaleRewards}.");
        if (!Enum.IsDefined(LossType))
            throw new ArgumentException($"LossType must be dapo, grpo or dr_grpo, got {(int)LossType}.");
        if (Epsilon is <= 0 or >= 1 || double.IsNaN(Epsilon))
            throw new ArgumentException($"Epsilon must be in (0, 1), got {Epsilon}.");
        if (EpsilonHigh is { } high && (!(high > 0) || double.IsInfinity(high)))
            throw new ArgumentException($"EpsilonHigh must be > 0, got {high}.");
        if (!(Beta >= 0) || double.IsInfinity(Beta))
            throw new ArgumentException($"Beta must be >= 0, got {Beta}.");
        if (NumIterations < 1)
            throw new ArgumentException($"NumIterations must be >= 1, got {NumIterations}.");
        if (GradientAccumulationSteps < 1)
            throw new ArgumentException($"GradientAccumulationSteps must be >= 1, got {GradientAccumulationSteps}.");
        if (GradientAccumulationSteps > PromptsPerStep * GroupSize)
            throw new ArgumentException($"GradientAccumulationSteps ({GradientAccumulationSteps}) exceeds the completions per step ({PromptsPerStep * GroupSize}).");
        if (MicroBatchTokens < 0)
            throw new ArgumentException($"MicroBatchTokens must be >= 0 (0: split by GradientAccumulationSteps), got {MicroBatchTokens}.");
        if (MicroBatchTokens > 0 && GradientAccumulationSteps > 1)
            throw new ArgumentException($"MicroBatchTokens and GradientAccumulationSteps ({GradientAccumulationSteps}) both choose the micro-batches: set one.");
        if (!(MaxGradNorm >= 0))
            throw new ArgumentException($"MaxGradNorm must be >= 0, got {MaxGradNorm}.");
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate))
            throw new ArgumentException($"LearningRate must be > 0, got {LearningRate}.");
        if (WarmupSteps < 0)
            throw new ArgumentException($"WarmupSteps must be >= 0, got {WarmupSteps}.");
        if (!(WeightDecay >= 0))
            throw new ArgumentException($"WeightDecay must be >= 0, got {WeightDecay}.");
        if (Beta1 is < 0 or >= 1 || Beta2 is < 0 or >= 1 || double.IsNaN(Beta1) || double.IsNaN(Beta2))
            throw new ArgumentException($"Betas must be in [0, 1), got {Beta1}, {Beta2}.");
        if (MaxRefillRounds < 0)
            throw new ArgumentException($"MaxRefillRounds must be >= 0, got {MaxRefillRounds}.");
        if (PrefilterSamples is < 0 or 1 or > 256)
            throw new ArgumentException($"PrefilterSamples must be 0 (off) or 2-256 (one completion cannot show a reward spread), got {PrefilterSamples}.");
        if (SaveEvery < 0)
            throw new ArgumentException($"SaveEvery must be >= 0, got {SaveEvery}.");
        if (KeepCheckpoints < 0)
            throw new ArgumentException($"KeepCheckpoints must be >= 0, got {KeepCheckpoints}.");
        if (KeepCheckpoints > 0 && SaveEvery == 0)
            throw new ArgumentException("KeepCheckpoints needs SaveEvery above 0: it keeps the checkpoints saved every SaveEvery steps.");
        if (Threads is < 1)
            throw new ArgumentException($"Threads must be >= 1, got {Threads}.");
        Lora?.Validate();
        return this;
    }

    /// <summary>Learning rate at optimizer step <paramref name="optimizerStep"/> (0-based): linear warm-up, then constant.</summary>
    public double LearningRateAt(int optimizerStep) =>
        optimizerStep < WarmupSteps ? LearningRate * (optimizerStep + 1) / (WarmupSteps + 1) : LearningRate;
}
