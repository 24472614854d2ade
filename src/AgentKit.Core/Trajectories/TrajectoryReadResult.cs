using AgentKit.Abstractions.Trajectories;

namespace AgentKit.Core.Trajectories;

/// <summary>The records read from a trajectory file and what had to be skipped.</summary>
/// <param name="Records">Valid records in file order.</param>
/// <param name="Warnings">One message per skipped line, with its line number.</param>
public sealed record TrajectoryReadResult(IReadOnlyList<TrajectoryRecord> Records, IReadOnlyList<string> Warnings);
