namespace AgentKit.Core.SelfConsistency;

/// <summary>The result of voting over a step's candidates.</summary>
/// <param name="ChosenIndex">Index of the chosen candidate.</param>
/// <param name="Votes">Per candidate: how many valid candidates share its outcome (0 for invalid ones).</param>
/// <param name="AnyValid">Whether at least one candidate was valid; when false the choice is a fallback whose error becomes the observation.</param>
public sealed record CandidateVote(int ChosenIndex, IReadOnlyList<int> Votes, bool AnyValid);
