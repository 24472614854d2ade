namespace AgentKit.Abstractions.Trajectories;

/// <summary>How candidate actions were sampled in a run.</summary>
/// <param name="Candidates">Candidates per action step (N of self-consistency; 1 = plain sampling).</param>
/// <param name="Temperature">Sampling temperature (0 = greedy).</param>
/// <param name="TopP">Nucleus sampling threshold.</param>
/// <param name="Seed">Seed of the first request, when fixed; later requests use derived seeds.</param>
/// <param name="MaxTokens">Token limit per candidate.</param>
/// <param name="Grammar">Whether actions were constrained by the action grammar.</param>
public sealed record SamplingSettings(int Candidates, float Temperature, float TopP, int? Seed, int MaxTokens, bool Grammar);
