namespace AgentKit.Abstractions.Models;

/// <summary>
/// How sure a model was of the tokens it generated for one request, from their log probabilities. A cascade
/// compares one of these (or a rule over all of them) with a threshold to decide whether a stronger model should
/// answer instead. With several candidates the token statistics pool every candidate's tokens and
/// <see cref="Total"/> is the candidates' mean.
/// </summary>
/// <param name="Tokens">Tokens the statistics are over (all candidates).</param>
/// <param name="Total">Sum of the token log probabilities of a candidate (mean over candidates): the sequence score, lower for longer outputs.</param>
/// <param name="Mean">Mean token log probability (length-normalised).</param>
/// <param name="Min">The least likely token's log probability.</param>
/// <param name="P10">10th percentile of the token log probabilities.</param>
/// <param name="P25">25th percentile.</param>
/// <param name="P50">Median.</param>
public sealed record TokenUncertainty(int Tokens, double Total, double Mean, double Min, double P10, double P25, double P50);
