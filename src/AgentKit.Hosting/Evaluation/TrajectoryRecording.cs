using AgentKit.Core.Running;
using AgentKit.Core.Tasks;

namespace AgentKit.Hosting.Evaluation;

/// <summary>
/// Runs a teacher agent over a task file and appends its trajectories to a JSONL file: the SFT/RL data of
/// distillation (<c>agentkit record</c>). Opens the agent of the settings (its own model, or a teacher endpoint with
/// the retries of <see cref="AgentHostSettings.EndpointRetry"/>) and hands it to a <see cref="TrajectoryRecorder"/>,
/// which resumes an existing output file, filters and writes.
/// </summary>
public static class TrajectoryRecording
{
    /// <summary>Opens the teacher agent of <paramref name="settings"/> and records a run for every task not yet recorded.</summary>
    /// <exception cref="ArgumentException">Correct-only recording was asked for and a task has no reference answer.</exception>
    public static async Task<RecordReport> RunAsync(AgentHostSettings settings, TaskReadResult tasks, RecordOptions options,
        IProgress<RecordProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options.Validate();
        if (options.FilterCorrect && tasks.Tasks.Any(t => t.ReferenceAnswer is null))
            throw new ArgumentException("correct-only recording needs a reference answer for every task; some tasks have none.");
        await using var host = await AgentHost.OpenAsync(settings, cancellationToken).ConfigureAwait(false);
        var recorder = new TrajectoryRecorder(host.CreateAgent(new AgentRunOptions()), host.Generator, options);
        return await recorder.RunAsync(tasks, progress, cancellationToken).ConfigureAwait(false);
    }
}
