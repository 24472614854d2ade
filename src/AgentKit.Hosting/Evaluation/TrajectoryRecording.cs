using AgentKit.Core.Running;
using AgentKit.Core.Tasks;

namespace AgentKit.Hosting.Evaluation;

/// <summary>
/// Runs a teacher agent over a task file and appends its trajectories to a JSONL file: the SFT/RL data of
/// distillation (<c>agentkit record</c>). Opens the agent of the settings (its own model, or a teacher endpoint with
/// the retries of <see cref="AgentHostSettings.EndpointRetry"/>) for a <see cref="TrajectoryRecorder"/>, which resumes an
/// existing output file, filters and writes; when every task is already done, nothing is opened.
/// </summary>
public static class TrajectoryRecording
{
    /// <summary>Opens the teacher agent of <paramref name="settings"/> and records a run for every task not yet recorded.</summary>
    /// <exception cref="ArgumentException">Correct-only recording was asked for and a task has no reference answer.</exception>
    public static async Task<RecordReport> RunAsync(AgentHostSettings settings, TaskReadResult tasks, RecordOptions options,
        IProgress<RecordProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options.Validate();
        settings.Validate();
        if (options.FilterCorrect && tasks.Tasks.Any(t => t.ReferenceAnswer is null))
            throw new ArgumentException("correct-only recording needs a reference answer for every task; some tasks have none.");
        AgentHost? host = null;
        try
        {
            // The host (model, sandbox, indexes) is opened only when a task is left to run.
            var recorder = new TrajectoryRecorder(async ct =>
            {
                host = await AgentHost.OpenAsync(settings, ct).ConfigureAwait(false);
                return (host.CreateAgent(new AgentRunOptions()), host.Generator);
            }, options);
            return await recorder.RunAsync(tasks, progress, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (host is not null)
                await host.DisposeAsync().ConfigureAwait(false);
        }
    }
}
