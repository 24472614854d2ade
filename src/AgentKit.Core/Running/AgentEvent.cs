using AgentKit.Abstractions.Trajectories;

namespace AgentKit.Core.Running;

/// <summary>Something that happened in a run, reported as it happens for live display.</summary>
/// <param name="RunId">The run it belongs to.</param>
public abstract record AgentEvent(string RunId);

/// <summary>The run started.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Task">The task.</param>
public sealed record RunStartedEvent(string RunId, TrajectoryTask Task) : AgentEvent(RunId);

/// <summary>The model is being asked for step <paramref name="Step"/>'s action (or for a plan before it).</summary>
/// <param name="RunId">The run.</param>
/// <param name="Step">1-based action step.</param>
/// <param name="Planning">True when a plan is requested first.</param>
public sealed record StepStartedEvent(string RunId, int Step, bool Planning) : AgentEvent(RunId);

/// <summary>A plan was written.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Plan">The planning step.</param>
public sealed record PlanCreatedEvent(string RunId, PlanningStep Plan) : AgentEvent(RunId);

/// <summary>An action step finished: chosen action and its observation.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Action">The step.</param>
public sealed record ActionCompletedEvent(string RunId, ActionStep Action) : AgentEvent(RunId);

/// <summary>The run ended (in any way) and its record is complete.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Trajectory">The full record.</param>
public sealed record RunCompletedEvent(string RunId, TrajectoryRecord Trajectory) : AgentEvent(RunId);
