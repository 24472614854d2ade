using System.Text.Json;
using AgentKit.Abstractions.Trajectories;
using AgentKit.Core.Tasks;
using AgentKit.Training.Checkpoints;
using AgentKit.Training.Grpo.Rewards;
using AgentKit.Training.Grpo.Rollouts;
using AgentKit.Training.Model;

namespace AgentKit.Training.Grpo;

/// <summary>
/// One GRPO run (<c>agentkit train grpo</c>): the starting model (a checkpoint, or a GGUF imported into <c>OUT/init</c>)
/// and its tokenizer, the tasks of a task file, reward functions by name, a rollout source, and the trainer.
/// <see cref="RunAsync"/> does it all; <see cref="Open"/> then <see cref="TrainAsync"/> lets a caller look at the model
/// and tasks before training.
/// <code>
/// var report = await GrpoRun.RunAsync(new GrpoRunOptions
/// {
///     TasksPath = "tasks.jsonl", Init = "model.gguf", Rewards = "answer:1,format:0.1",
///     Trainer = new GrpoOptions { OutputDirectory = "runs/grpo", MaxSteps = 100, LearningRate = 1e-5 },
/// });
/// </code>
/// </summary>
public sealed class GrpoRun : IDisposable
{
    private readonly LlamaForCausalLM _model;
    private readonly GrpoTrainer _trainer;
    private readonly IRolloutSource _source;
    private readonly IReadOnlyList<TrajectoryTask> _tasks;
    private readonly GrpoInit _init;
    private readonly TaskReadResult _read;
    private readonly IReadOnlyList<RewardChoice> _rewards;

    private GrpoRun(GrpoRunOptions options, LlamaForCausalLM model, GrpoTrainer trainer, IRolloutSource source, TaskReadResult read, GrpoInit init,
        IReadOnlyList<RewardChoice> rewards)
    {
        Options = options;
        _model = model;
        _trainer = trainer;
        _source = source;
        _read = read;
        _tasks = read.Tasks;
        _init = init;
        _rewards = rewards;
    }

    /// <summary>The validated options (the trainer's carry the reward weights).</summary>
    public GrpoRunOptions Options { get; }

    /// <summary>Parameters of the model.</summary>
    public long Parameters => _model.Config.ParameterCount();

    /// <summary>Tasks read from the task file.</summary>
    public int Tasks => _tasks.Count;

    /// <summary>One line per task-file line that could not be a task (empty when none), for stderr.</summary>
    public IReadOnlyList<string> TaskWarnings => _read.Warnings();

    /// <summary>The checkpoint the policy starts from (a GGUF's import in <c>OUT/init</c>).</summary>
    public string InitCheckpoint => _init.Checkpoint;

    /// <summary>Opens, trains and reports; the model is freed at the end.</summary>
    public static async Task<GrpoReport> RunAsync(GrpoRunOptions options, IProgress<GrpoStepMetrics>? progress = null, CancellationToken cancellationToken = default)
    {
        using var run = Open(options);
        return await run.TrainAsync(progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Validates the options, refuses CUDA where libtorch has none (before anything is read), reads the tasks, checks the
    /// output directory, resolves and loads the starting model and tokenizer, builds the rewards and the rollout source.
    /// </summary>
    /// <exception cref="ArgumentException">The options are invalid (an unknown reward names the known ones).</exception>
    /// <exception cref="InvalidOperationException">CUDA is unavailable, or the output holds another run (without <see cref="GrpoRunOptions.Resume"/>, or started from another model).</exception>
    /// <exception cref="FileNotFoundException">The task file or the init model is missing.</exception>
    /// <exception cref="InvalidDataException">The task file holds no usable task, or an answer reward meets a task without an answer.</exception>
    public static GrpoRun Open(GrpoRunOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        ComputeDevices.Resolve(options.Trainer.Device);
        var read = options.Tasks is { } given ? new TaskReadResult(given, [], options.TasksPath, IsJsonl: true) : TaskFileReader.Read(options.TasksPath);
        var (functions, weights) = GrpoRewardCatalog.Build(options.Rewards, options.CustomRewards);
        RequireAnswers(read.Tasks, functions);
        var output = options.Trainer.OutputDirectory;
        CheckOutput(output, options.Resume);

        var init = GrpoInit.Resolve(options.Init, output);
        CheckSameBase(output, init.Checkpoint);
        var (model, tokenizer) = init.Load();
        try
        {
            var trainerOptions = options.Trainer with { RewardWeights = weights };
            var source = options.RolloutSource?.Invoke(new GrpoRolloutContext(tokenizer, init.Checkpoint, trainerOptions, read.Tasks))
                         ?? new PolicyRolloutSource(tokenizer);
            read = FitToContext(read, source, model.Config.MaxPositionEmbeddings, trainerOptions.MaxCompletionLength);
            var trainer = new GrpoTrainer(trainerOptions, source, functions, tokenizer, init.TokenizerFile, options.TimeProvider);
            var choices = GrpoRewardCatalog.Parse(options.Rewards);
            return new GrpoRun(options with { Trainer = trainerOptions }, model, trainer, source, read, init, choices);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Leaves out the tasks whose prompt leaves no room for a whole completion in the model's context: sampling them
    /// would fail mid-run, when their turn comes. They are reported like unreadable task lines (position = their place
    /// in the task list). Agent rollouts build their prompts step by step and are not checked here.
    /// </summary>
    /// <exception cref="InvalidDataException">No task fits.</exception>
    internal static TaskReadResult FitToContext(TaskReadResult read, IRolloutSource source, int context, int maxCompletionTokens)
    {
        if (source is not PolicyRolloutSource policy)
            return read;
        var kept = new List<TrajectoryTask>();
        var skipped = read.Skipped.ToList();
        for (var i = 0; i < read.Tasks.Count; i++)
        {
            var tokens = policy.PromptTokens(read.Tasks[i]);
            if (tokens + maxCompletionTokens <= context)
                kept.Add(read.Tasks[i]);
            else
                skipped.Add(new SkippedTask(i + 1, $"task '{read.Tasks[i].Id}': its prompt ({tokens} tokens) plus {maxCompletionTokens} completion tokens exceeds the model's context of {context}"));
        }
        if (kept.Count == 0)
            throw new InvalidDataException($"{read.SourceName}: no task's prompt fits the model's context of {context} tokens with {maxCompletionTokens} completion tokens; lower --max-tokens or shorten the prompts.");
        return kept.Count == read.Tasks.Count ? read : read with { Tasks = kept, Skipped = skipped };
    }

    /// <summary>Trains on a worker thread (continuing the output's <c>checkpoint-last</c> when resuming) and reports.</summary>
    /// <param name="progress">Receives every step's figures.</param>
    /// <param name="cancellationToken">Stops the run; the completed steps are saved first (see <see cref="GrpoTrainer.TrainAsync"/>).</param>
    public async Task<GrpoReport> TrainAsync(IProgress<GrpoStepMetrics>? progress = null, CancellationToken cancellationToken = default)
    {
        var time = Options.TimeProvider;
        var started = time.GetTimestamp();
        var result = await Task.Run(() => _trainer.TrainAsync(_model, _tasks, _init.Checkpoint, progress, cancellationToken), cancellationToken).ConfigureAwait(false);
        var seconds = time.GetElapsedTime(started).TotalSeconds;
        var history = result.History;
        var rolloutSeconds = history.Sum(h => h.RolloutSeconds);
        var updateSeconds = history.Sum(h => h.UpdateSeconds);
        // Tokens of each step are its rate times its time; the run's rate is their sum over the run's time.
        var rolloutTokens = history.Sum(h => h.RolloutTokensPerSecond * h.RolloutSeconds);
        var updateTokens = history.Sum(h => h.UpdateTokensPerSecond * h.UpdateSeconds);
        var output = Options.Trainer.OutputDirectory;
        return new GrpoReport(output, result.FinalCheckpoint, _init.Checkpoint, _init.ImportedFrom, _source.GetType().Name,
            Parameters, _model.TrainableParameters().Sum(p => p.numel()), _tasks.Count, _read.Skipped.Count, _rewards,
            result.Steps, result.ResumedFromStep, history.Count,
            history.Count > 0 ? Math.Round(history[0].RewardMean, 4) : null,
            history.Count > 0 ? Math.Round(history[^1].RewardMean, 4) : null,
            history.Count > 0 ? Math.Round(history.Average(h => h.FracRewardZeroStd), 4) : null,
            Math.Round(seconds, 2), Math.Round(rolloutSeconds, 2), Math.Round(updateSeconds, 2),
            Math.Round(rolloutSeconds + updateSeconds > 0 ? rolloutSeconds / (rolloutSeconds + updateSeconds) : 0, 3),
            Math.Round(rolloutSeconds > 0 ? rolloutTokens / rolloutSeconds : 0, 1),
            Math.Round(updateSeconds > 0 ? updateTokens / updateSeconds : 0, 1),
            Path.Combine(output, GrpoRunFiles.Metrics), Path.Combine(output, GrpoRunFiles.Rollouts), Path.Combine(output, GrpoRunFiles.Plot))
        {
            KeptCheckpoints = [.. GrpoRunFiles.KeptCheckpoints(output).Select(c => c.Path)],
            TasksTrained = result.TasksTrained,
            PrefilterSeconds = Math.Round(result.PrefilterSeconds, 2),
        };
    }

    /// <summary>Frees the model's tensors and a disposable rollout source.</summary>
    public void Dispose()
    {
        _model.Dispose();
        if (_source is IDisposable disposable)
            disposable.Dispose();
        else if (_source is IAsyncDisposable asyncDisposable)
            asyncDisposable.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    // An answer reward would otherwise fail at the first such task's scoring, a step or an hour into the run.
    private static void RequireAnswers(IReadOnlyList<TrajectoryTask> tasks, IReadOnlyList<IRewardFunction> functions)
    {
        if (functions.FirstOrDefault(f => f is AnswerMatchReward) is not { } answer)
            return;
        var missing = tasks.Where(t => string.IsNullOrWhiteSpace(t.ReferenceAnswer)).ToList();
        if (missing.Count > 0)
            throw new InvalidDataException(
                $"task '{missing[0].Id}'{(missing.Count > 1 ? $" (and {missing.Count - 1} more)" : "")} has no answer; the '{answer.Name}' reward compares with it.");
    }

    // A fresh run into a folder holding files would mix two runs' metrics and rollouts, or silently continue one.
    private static void CheckOutput(string output, bool resume)
    {
        if (!resume && Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any())
            throw new InvalidOperationException($"the output '{output}' already holds files: resume (--resume) to continue the run there, or choose a new directory.");
    }

    private static void CheckSameBase(string output, string initCheckpoint)
    {
        var recorded = Path.Combine(output, GrpoRunFiles.LastCheckpoint, CheckpointFiles.TrainingConfig);
        if (!File.Exists(recorded))
            return;
        using var record = JsonDocument.Parse(File.ReadAllText(recorded));
        var baseOf = record.RootElement.TryGetProperty(nameof(GrpoTrainingRecord.Base), out var value) ? value.GetString() : null;
        if (baseOf is not null && !string.Equals(Path.GetFullPath(baseOf), initCheckpoint, StringComparison.Ordinal))
            throw new InvalidOperationException($"the run in '{output}' started from '{baseOf}'; resuming it from '{initCheckpoint}' would not continue the same run.");
    }
}
