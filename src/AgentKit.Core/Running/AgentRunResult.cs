using AgentKit.Abstractions.Trajectories;

namespace AgentKit.Core.Running;

/// <summary>The outcome of <see cref="Agent.RunAsync(string, CancellationToken)"/>.</summary>
/// <param name="Trajectory">The full record of the run (also sent to the sink).</param>
public sealed record AgentRunResult(TrajectoryRecord Trajectory)
{
    /// <summary>The final answer; null only when the model gave no text at the step limit.</summary>
    public string? FinalAnswer => Trajectory.FinalAnswer;

    /// <summary>The memory of the run in order.</summary>
    public IReadOnlyList<AgentStep> Steps => Trajectory.Steps;

    /// <summary>How the run ended.</summary>
    public RunOutcome Outcome => Trajectory.Outcome;

    /// <summary>Number of action steps taken.</summary>
    public int ActionSteps => Steps.OfType<ActionStep>().Count();
}
