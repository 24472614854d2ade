namespace AgentKit.Abstractions.Trajectories;

/// <summary>A question put to an agent.</summary>
/// <param name="Id">Identifier of the task within its task file (or a generated one).</param>
/// <param name="Question">The task text given to the agent.</param>
/// <param name="ReferenceAnswer">The gold answer, when known; enables scoring.</param>
public sealed record TrajectoryTask(string Id, string Question, string? ReferenceAnswer = null);
