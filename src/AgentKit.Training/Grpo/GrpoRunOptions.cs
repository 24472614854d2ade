using AgentKit.Abstractions.Trajectories;
using AgentKit.Training.Grpo.Rewards;
using AgentKit.Training.Grpo.Rollouts;
using AgentKit.Training.Tokenization;

namespace AgentKit.Training.Grpo;

/// <summary>What a <see cref="GrpoRunOptions.RolloutSource"/> factory is given to build its source.</summary>
/// <param name="Tokenizer">The policy's tokenizer.</param>
/// <param name="InitCheckpoint">The checkpoint directory the policy was loaded from (a GGUF's import).</param>
/// <param name="Trainer">The trainer's settings (output directory, group size, token limit, seed, …).</param>
/// <param name="Tasks">The tasks the run draws from.</param>
public sealed record GrpoRolloutContext(ITextTokenizer Tokenizer, string InitCheckpoint, GrpoOptions Trainer, IReadOnlyList<TrajectoryTask> Tasks);

/// <summary>
/// Settings of one <see cref="GrpoRun"/> (<c>agentkit train grpo</c>): where the tasks and the starting model are,
/// which rewards, where rollouts come from, and the trainer's <see cref="GrpoOptions"/>. Validated by <see cref="Validate"/>.
/// </summary>
public sealed record GrpoRunOptions
{
    /// <summary>Task file: JSONL (or a JSON document) of tasks with <c>id</c>, <c>question</c> and <c>answer</c>, read by Core's <c>TaskFileReader</c>.</summary>
    public required string TasksPath { get; init; }

    /// <summary>
    /// Tasks built by the caller (e.g. from a question file of another format), used instead of reading
    /// <see cref="TasksPath"/>, which then only names them in messages. Null: read <see cref="TasksPath"/>.
    /// </summary>
    public IReadOnlyList<TrajectoryTask>? Tasks { get; init; }

    /// <summary>The starting model: a checkpoint directory (with its <c>tokenizer.json</c>) or a <c>.gguf</c> file, imported into <c>OUT/init</c> first.</summary>
    public required string Init { get; init; }

    /// <summary>The trainer's settings; <see cref="GrpoOptions.OutputDirectory"/> is the run's output. Leave <see cref="GrpoOptions.RewardWeights"/> unset: the weights come from <see cref="Rewards"/>.</summary>
    public required GrpoOptions Trainer { get; init; }

    /// <summary>Reward functions and weights: <c>answer,format</c> or <c>answer:1,format:0.1</c> (names in <see cref="GrpoRewardCatalog.BuiltInNames"/> or <see cref="CustomRewards"/>; default <c>answer</c>).</summary>
    public string Rewards { get; init; } = "answer";

    /// <summary>Your own reward functions, chosen in <see cref="Rewards"/> by their names (a name shared with a built-in replaces it).</summary>
    public IReadOnlyList<IRewardFunction>? CustomRewards { get; init; }

    /// <summary>
    /// Builds the rollout source; null samples plain completions of the questions with <see cref="PolicyRolloutSource"/>.
    /// This is where an agent source plugs in. A source the factory returns that is disposable is disposed with the run.
    /// </summary>
    public Func<GrpoRolloutContext, IRolloutSource>? RolloutSource { get; init; }

    /// <summary>Continue the run in the output directory (from its <c>checkpoint-last</c>, or from the start if it has none). Without it, an output directory that holds files is refused.</summary>
    public bool Resume { get; init; }

    /// <summary>Clock of the report's wall time and the trainer's step timings.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Throws <see cref="ArgumentException"/> explaining the first invalid setting.</summary>
    public GrpoRunOptions Validate()
    {
        if (string.IsNullOrWhiteSpace(TasksPath))
            throw new ArgumentException("TasksPath is required.");
        if (string.IsNullOrWhiteSpace(Init))
            throw new ArgumentException("Init is required (a checkpoint directory or a .gguf file).");
        if (Tasks is { Count: 0 })
            throw new ArgumentException("Tasks is empty: give at least one task.");
        if (Tasks?.GroupBy(t => t.Id).FirstOrDefault(g => g.Count() > 1) is { } repeated)
            throw new ArgumentException($"Tasks repeat the id '{repeated.Key}'.");
        ArgumentNullException.ThrowIfNull(Trainer);
        Trainer.Validate();
        if (Trainer.RewardWeights is not null)
            throw new ArgumentException("Set the reward weights in Rewards (answer:1,format:0.1), not in Trainer.RewardWeights.");
        if (CustomRewards?.GroupBy(r => r.Name).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new ArgumentException($"Two custom reward functions are named '{twice.Key}'.");
        ArgumentNullException.ThrowIfNull(TimeProvider);
        GrpoRewardCatalog.Build(Rewards, CustomRewards);
        return this;
    }
}
