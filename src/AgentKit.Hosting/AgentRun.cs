using AgentKit.Abstractions.Trajectories;
using AgentKit.Core.Running;
using AgentKit.Core.Trajectories;

namespace AgentKit.Hosting;

/// <summary>What <see cref="AgentRun.RunAsync"/> did (<c>agentkit run --json</c> prints it).</summary>
/// <param name="RunId">The run's id in the trajectory file.</param>
/// <param name="Answer">The final answer, if the agent gave one.</param>
/// <param name="Outcome">How the run ended (<see cref="RunOutcome"/> name).</param>
/// <param name="Steps">Action steps taken.</param>
/// <param name="Seconds">Wall time of the run.</param>
/// <param name="PromptTokens">Prompt tokens over all model calls.</param>
/// <param name="CompletionTokens">Generated tokens over all model calls.</param>
/// <param name="Trajectory">The trajectory file the run was appended to.</param>
public sealed record AgentRunReport(string RunId, string? Answer, string Outcome, int Steps, double Seconds, int PromptTokens, int CompletionTokens, string Trajectory);

/// <summary>
/// One question through an agent folder on real components (<c>agentkit run</c>), recorded step by step
/// (<see cref="AgentRunOptions.RecordEachStep"/>): the run so far is appended and flushed after every step, then the
/// finished run, so a killed process keeps the steps that finished.
/// <code>
/// var report = await AgentRun.RunAsync(new AgentHostSettings { AgentFolder = "agents/atlas" }, "What is the capital of Peru?", null, null, ct);
/// </code>
/// </summary>
public static class AgentRun
{
    /// <summary>Opens the agent, runs <paramref name="question"/> and closes everything.</summary>
    /// <param name="settings">The agent folder and overrides.</param>
    /// <param name="question">The task.</param>
    /// <param name="trajectoryPath">The JSONL file to append to; null for <see cref="DefaultTrajectoryPath"/> of the agent's name.</param>
    /// <param name="progress">Hears the run's events as they happen (steps, candidates, results).</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <param name="timeProvider">Clock of the default file name (default: the system clock).</param>
    /// <exception cref="ArgumentException">The question is empty, or <paramref name="settings"/> are inconsistent.</exception>
    public static async Task<AgentRunReport> RunAsync(AgentHostSettings settings, string question, string? trajectoryPath, IProgress<AgentEvent>? progress,
        CancellationToken cancellationToken = default, TimeProvider? timeProvider = null)
    {
        if (string.IsNullOrWhiteSpace(question))
            throw new ArgumentException("the question must not be empty.", nameof(question));
        await using var host = await AgentHost.OpenAsync(settings, cancellationToken).ConfigureAwait(false);
        using var writer = new JsonlTrajectoryWriter(trajectoryPath ?? DefaultTrajectoryPath(host.Agent.Definition.Name, timeProvider ?? TimeProvider.System));
        var agent = host.CreateAgent(new AgentRunOptions { Sink = writer, RecordEachStep = true, Progress = progress });
        var result = await agent.RunAsync(new TrajectoryTask("cli", question), null, cancellationToken).ConfigureAwait(false);
        var record = result.Trajectory;
        return new AgentRunReport(record.RunId, record.FinalAnswer, record.Outcome.ToString(), result.ActionSteps,
            Math.Round(record.DurationMs / 1000, 3), record.PromptTokens, record.CompletionTokens, writer.Path);
    }

    /// <summary><c>runs/&lt;agent&gt;-&lt;UTC time&gt;.jsonl</c> under the current folder.</summary>
    public static string DefaultTrajectoryPath(string agentName, TimeProvider timeProvider) =>
        Path.Combine("runs", $"{agentName}-{timeProvider.GetUtcNow():yyyyMMdd-HHmmss}.jsonl");
}
