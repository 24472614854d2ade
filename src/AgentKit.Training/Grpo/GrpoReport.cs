namespace AgentKit.Training.Grpo;

/// <summary>What <see cref="GrpoRun.TrainAsync"/> trained (<c>agentkit train grpo --json</c> prints it). Figures cover this invocation's steps.</summary>
/// <param name="Output">The output directory.</param>
/// <param name="FinalCheckpoint">The final checkpoint folder.</param>
/// <param name="InitCheckpoint">The checkpoint the policy started from (a GGUF's import in <c>OUT/init</c>).</param>
/// <param name="ImportedFrom">The GGUF it was imported from, or null when the init was a checkpoint.</param>
/// <param name="RolloutSource">The rollout source's type (e.g. <c>PolicyRolloutSource</c>).</param>
/// <param name="Parameters">Parameters of the model.</param>
/// <param name="TrainableParameters">Of which trained (fewer with LoRA).</param>
/// <param name="Tasks">Tasks read.</param>
/// <param name="SkippedTaskLines">Lines of the task file that could not be tasks (listed by <see cref="GrpoRun.TaskWarnings"/>).</param>
/// <param name="Rewards">Reward functions and their weights.</param>
/// <param name="Steps">Steps of the whole run.</param>
/// <param name="ResumedFromStep">Step this invocation resumed from (0 for a fresh run).</param>
/// <param name="StepsRun">Steps this invocation ran.</param>
/// <param name="RewardFirst">Mean reward of this invocation's first step (null when it ran none).</param>
/// <param name="RewardLast">Mean reward of its last step.</param>
/// <param name="FracRewardZeroStdMean">Mean share of groups whose rewards were all equal (they teach nothing).</param>
/// <param name="Seconds">Wall time of the training, loading excluded.</param>
/// <param name="RolloutSeconds">Time spent sampling and scoring rollouts.</param>
/// <param name="UpdateSeconds">Time spent computing the loss and updating the weights.</param>
/// <param name="RolloutShare">Rollout share of rollout + update time.</param>
/// <param name="RolloutTokensPerSecond">Generated tokens per rollout second.</param>
/// <param name="UpdateTokensPerSecond">Sequence tokens through forward and backward per update second.</param>
/// <param name="Metrics">metrics.jsonl (one line per step).</param>
/// <param name="Rollouts">rollouts.jsonl (every completion with its rewards and reasons).</param>
/// <param name="Plot">grpo.png.</param>
public sealed record GrpoReport(string Output, string FinalCheckpoint, string InitCheckpoint, string? ImportedFrom, string RolloutSource,
    long Parameters, long TrainableParameters, int Tasks, int SkippedTaskLines, IReadOnlyList<RewardChoice> Rewards,
    int Steps, int ResumedFromStep, int StepsRun, double? RewardFirst, double? RewardLast, double? FracRewardZeroStdMean,
    double Seconds, double RolloutSeconds, double UpdateSeconds, double RolloutShare, double RolloutTokensPerSecond, double UpdateTokensPerSecond,
    string Metrics, string Rollouts, string Plot)
{
    /// <summary>The step checkpoints the run keeps (<see cref="GrpoOptions.KeepCheckpoints"/>), oldest first; empty when it keeps none.</summary>
    public IReadOnlyList<string> KeptCheckpoints { get; init; } = [];

    /// <summary>Tasks the steps drew from: <see cref="Tasks"/>, or fewer when the prefilter (<see cref="GrpoOptions.PrefilterSamples"/>) left some out.</summary>
    public int TasksTrained { get; init; }

    /// <summary>Seconds spent sampling the prefilter in this invocation (0 when off, or when a resumed run read it).</summary>
    public double PrefilterSeconds { get; init; }
}
