namespace AgentKit.Training.Grpo;

/// <summary>One training step's figures (a line of <c>metrics.jsonl</c>, names in snake_case).</summary>
public sealed record GrpoStepMetrics
{
    /// <summary>Step, 1-based.</summary>
    public required int Step { get; init; }

    /// <summary>Steps in the run.</summary>
    public required int TotalSteps { get; init; }

    /// <summary>Learning rate of the step's last optimizer step (the next one's when the step trained nothing).</summary>
    public double LearningRate { get; init; }

    /// <summary>Mean loss over the step's optimisation passes; null when no group was trained (dynamic sampling found none with a reward spread).</summary>
    public double? Loss { get; init; }

    /// <summary>Global gradient norm before clipping, of the last pass.</summary>
    public double GradNorm { get; init; }

    /// <summary>Mean weighted reward of every completion sampled this step.</summary>
    public double RewardMean { get; init; }

    /// <summary>Standard deviation of the weighted rewards.</summary>
    public double RewardStd { get; init; }

    /// <summary>Per reward function: mean of its (unweighted) values.</summary>
    public IReadOnlyDictionary<string, double> RewardMeanByFunction { get; init; } = new Dictionary<string, double>();

    /// <summary>Per reward function: standard deviation of its values.</summary>
    public IReadOnlyDictionary<string, double> RewardStdByFunction { get; init; } = new Dictionary<string, double>();

    /// <summary>Share of sampled groups whose rewards were all equal (they teach nothing).</summary>
    public double FracRewardZeroStd { get; init; }

    /// <summary>Groups sampled (more than the prompts per step when dynamic sampling refilled).</summary>
    public int GroupsSampled { get; init; }

    /// <summary>Groups the loss was computed on.</summary>
    public int GroupsTrained { get; init; }

    /// <summary>Mean per-token KL (k3) to the reference over the step's passes; null when β is 0.</summary>
    public double? Kl { get; init; }

    /// <summary>Share of trained tokens clipped below (ratio &lt; 1 − ε, negative advantage), over the step's passes (the first never clips when it samples afresh).</summary>
    public double ClipRatioLow { get; init; }

    /// <summary>Share of trained tokens clipped above (ratio &gt; 1 + ε_high, positive advantage).</summary>
    public double ClipRatioHigh { get; init; }

    /// <summary>Share of trained tokens clipped either way.</summary>
    public double ClipRatio { get; init; }

    /// <summary>Mean entropy (nats) of the policy's distribution at trained tokens, at the first pass; null when nothing was trained.</summary>
    public double? Entropy { get; init; }

    /// <summary>Mean tokens the policy generated per completion.</summary>
    public double CompletionLengthMean { get; init; }

    /// <summary>Fewest generated tokens of a completion.</summary>
    public int CompletionLengthMin { get; init; }

    /// <summary>Most generated tokens of a completion.</summary>
    public int CompletionLengthMax { get; init; }

    /// <summary>Share of completions cut at the length limit.</summary>
    public double TruncatedFraction { get; init; }

    /// <summary>Seconds spent sampling and scoring rollouts.</summary>
    public double RolloutSeconds { get; init; }

    /// <summary>Seconds spent computing the loss and updating the weights.</summary>
    public double UpdateSeconds { get; init; }

    /// <summary>Generated tokens per rollout second.</summary>
    public double RolloutTokensPerSecond { get; init; }

    /// <summary>Sequence tokens (prompt and generated) through forward and backward per update second.</summary>
    public double UpdateTokensPerSecond { get; init; }

    /// <summary>Tasks drawn so far over the whole run (the data position).</summary>
    public long TasksConsumed { get; init; }

    /// <summary>Wall seconds since this invocation began.</summary>
    public double ElapsedSeconds { get; init; }
}

/// <summary>The outcome of <see cref="GrpoTrainer.TrainAsync"/>.</summary>
/// <param name="FinalCheckpoint">Directory of the final model.</param>
/// <param name="Steps">Steps of the whole run.</param>
/// <param name="ResumedFromStep">Step this invocation resumed from (0 for a fresh run).</param>
/// <param name="History">This invocation's steps.</param>
public sealed record GrpoResult(string FinalCheckpoint, int Steps, int ResumedFromStep, IReadOnlyList<GrpoStepMetrics> History)
{
    /// <summary>Tasks the steps drew from: all of them, or those the prefilter kept (<see cref="GrpoOptions.PrefilterSamples"/>).</summary>
    public int TasksTrained { get; init; }

    /// <summary>Seconds this invocation spent sampling the prefilter (0 when off or read from a first start's file).</summary>
    public double PrefilterSeconds { get; init; }
}
