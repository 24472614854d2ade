using AgentKit.Core.Distillation;
using AgentKit.Core.Running;
using AgentKit.Core.Tasks;
using AgentKit.Core.Trajectories;

namespace AgentKit.Hosting.Evaluation;

/// <summary>How <see cref="TrajectoryRecording.RunAsync"/> records.</summary>
public sealed record RecordOptions
{
    /// <summary>The JSONL file the trajectories are appended to.</summary>
    public required string Out { get; init; }

    /// <summary>Force the first paragraph of a chain-of-thought answer as the start of the first step.</summary>
    public bool FirstThought { get; init; }

    /// <summary>Keep only runs scored correct (every task then needs a reference answer).</summary>
    public bool FilterCorrect { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> when the output path is empty.</summary>
    public RecordOptions Validate() =>
        string.IsNullOrWhiteSpace(Out) ? throw new ArgumentException("the trajectory output path must not be empty.") : this;
}

/// <summary>Progress of a recording: tasks done, runs kept and dropped so far.</summary>
/// <param name="Done">Tasks run.</param>
/// <param name="Kept">Runs written.</param>
/// <param name="Dropped">Runs the filter dropped.</param>
public sealed record RecordProgress(int Done, int Kept, int Dropped);

/// <summary>What <see cref="TrajectoryRecording.RunAsync"/> recorded (<c>agentkit record --json</c> prints it).</summary>
/// <param name="Tasks">Tasks run.</param>
/// <param name="Recorded">Runs written.</param>
/// <param name="Dropped">Runs the filter dropped.</param>
/// <param name="Success">Share of correct tasks.</param>
/// <param name="MeanSteps">Mean action steps per task.</param>
/// <param name="Out">The trajectory file.</param>
/// <param name="Skipped">Task-file lines skipped as unusable.</param>
/// <param name="SkippedLines">Those lines and why.</param>
/// <param name="Results">Per task.</param>
public sealed record RecordReport(int Tasks, int Recorded, int Dropped, double Success, double MeanSteps, string Out,
    int Skipped, IReadOnlyList<SkippedTask> SkippedLines, IReadOnlyList<TaskResult> Results);

/// <summary>
/// Runs a teacher agent over a task file and appends its trajectories to a JSONL file: the SFT/RL data of
/// distillation. With <see cref="RecordOptions.FirstThought"/> the teacher first answers in plain chain-of-thought
/// and the first paragraph is forced as the start of the first agent step.
/// </summary>
public static class TrajectoryRecording
{
    /// <summary>Opens the teacher agent of <paramref name="settings"/> and records a run for every task.</summary>
    /// <exception cref="ArgumentException">Correct-only recording was asked for and a task has no reference answer.</exception>
    public static async Task<RecordReport> RunAsync(AgentHostSettings settings, TaskReadResult tasks, RecordOptions options,
        IProgress<RecordProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options.Validate();
        if (options.FilterCorrect && tasks.Tasks.Any(t => t.ReferenceAnswer is null))
            throw new ArgumentException("correct-only recording needs a reference answer for every task; some tasks have none.");
        await using var host = await AgentHost.OpenAsync(settings, cancellationToken).ConfigureAwait(false);
        using var writer = new JsonlTrajectoryWriter(options.Out);
        var sink = options.FilterCorrect ? FilteringTrajectorySink.CorrectOnly(writer) : new FilteringTrajectorySink(writer, _ => true);
        var agent = host.CreateAgent(new AgentRunOptions { Sink = sink });
        var sampling = host.Agent.Definition.Sampling;

        var results = new List<TaskResult>();
        foreach (var task in tasks.Tasks)
        {
            AgentRunSettings? runSettings = null;
            if (options.FirstThought)
            {
                var prefix = await FirstThought.GetAsync(host.Generator, task.Question, sampling.Temperature, sampling.Seed, sampling.MaxTokensPerStep, cancellationToken)
                    .ConfigureAwait(false);
                runSettings = new AgentRunSettings { FirstThoughtPrefix = prefix };
            }
            results.Add(await TaskEvaluator.RunOneAsync(agent, task, runSettings, cancellationToken).ConfigureAwait(false));
            progress?.Report(new RecordProgress(results.Count, sink.Kept, sink.Dropped));
        }

        var summary = TaskRunSummary.From(results);
        return new RecordReport(summary.Tasks, sink.Kept, sink.Dropped, summary.Success, summary.MeanSteps, writer.Path, tasks.Skipped.Count, tasks.Skipped, results);
    }
}
