using AgentKit.Core.Running;
using AgentKit.Core.Tasks;
using AgentKit.Core.Trajectories;

namespace AgentKit.Hosting.Evaluation;

/// <summary>What <see cref="AgentEvaluation.RunAsync"/> found (<c>agentkit eval --json</c> prints it).</summary>
/// <param name="Tasks">Tasks evaluated.</param>
/// <param name="Success">Share of correct tasks.</param>
/// <param name="N">Candidate actions per step.</param>
/// <param name="MeanSteps">Mean action steps per task.</param>
/// <param name="ParseErrorRate">Share of sampled candidates that did not parse.</param>
/// <param name="SecondsPerTask">Mean wall time per task.</param>
/// <param name="Trajectory">The JSONL file the runs were recorded to, if any.</param>
/// <param name="Skipped">Task-file lines skipped as unusable.</param>
/// <param name="SkippedLines">Those lines and why.</param>
/// <param name="Results">Per task.</param>
public sealed record EvalReport(int Tasks, double Success, int N, double MeanSteps, double ParseErrorRate, double SecondsPerTask, string? Trajectory,
    int Skipped, IReadOnlyList<SkippedTask> SkippedLines, IReadOnlyList<TaskResult> Results);

/// <summary>Evaluates a hosted agent on a task file: success rate, mean steps, parse errors per sampled action, time per task.</summary>
public static class AgentEvaluation
{
    /// <summary>
    /// Opens the agent of <paramref name="settings"/>, runs it on every task of <paramref name="tasks"/> (recording each run to
    /// <paramref name="trajectoryPath"/> when given) and reports each result to <paramref name="progress"/> as it is known.
    /// </summary>
    public static async Task<EvalReport> RunAsync(AgentHostSettings settings, TaskReadResult tasks, string? trajectoryPath,
        IProgress<TaskResult>? progress = null, CancellationToken cancellationToken = default)
    {
        await using var host = await AgentHost.OpenAsync(settings, cancellationToken).ConfigureAwait(false);
        using var writer = trajectoryPath is null ? null : new JsonlTrajectoryWriter(trajectoryPath);
        var agent = host.CreateAgent(new AgentRunOptions { Sink = writer });
        var results = await TaskEvaluator.RunAllAsync(agent, tasks.Tasks, progress, cancellationToken).ConfigureAwait(false);
        var summary = TaskRunSummary.From(results);
        return new EvalReport(summary.Tasks, summary.Success, host.Agent.Definition.Sampling.Candidates, summary.MeanSteps,
            summary.ParseErrorRate, summary.SecondsPerTask, writer?.Path, tasks.Skipped.Count, tasks.Skipped, results);
    }
}
