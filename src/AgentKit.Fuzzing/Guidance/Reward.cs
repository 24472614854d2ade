namespace AgentKit.Fuzzing.Guidance;

/// <summary>The score of one candidate input against a target branch.</summary>
/// <param name="Value">1.0 when the target block ran; else in [0, <see cref="DistanceRewardOptions.MissCap"/>].</param>
/// <param name="TargetHit">The target block ran.</param>
/// <param name="Distance">Least block distance from the input's coverage to the target (null: unreachable, or no coverage).</param>
/// <param name="NewBlocks">Blocks the input ran that the campaign had not covered.</param>
/// <param name="Finding">The input crashed, killed the worker or hung: record it as a finding whatever its score.</param>
/// <param name="Reason">One line saying how the value came about.</param>
public sealed record Reward(double Value, bool TargetHit, int? Distance, int NewBlocks, bool Finding, string Reason);
