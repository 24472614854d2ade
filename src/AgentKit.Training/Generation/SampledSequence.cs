namespace AgentKit.Training.Generation;

/// <summary>One continuation sampled by <see cref="TokenSampler.GenerateScored"/>.</summary>
/// <param name="Tokens">The generated ids, without the stop token.</param>
/// <param name="LogProbs">Log-probability of each id in <paramref name="Tokens"/> under the temperature-scaled distribution it was drawn from.</param>
/// <param name="StopToken">The stop token that ended the sequence, or null when it ended at the length limit or by the caller's stop rule.</param>
/// <param name="StopTokenLogProb">Log-probability of <paramref name="StopToken"/> (0 when there is none).</param>
public sealed record SampledSequence(int[] Tokens, float[] LogProbs, int? StopToken, float StopTokenLogProb);
