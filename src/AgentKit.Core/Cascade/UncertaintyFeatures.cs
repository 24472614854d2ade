using AgentKit.Abstractions.Models;

namespace AgentKit.Core.Cascade;

/// <summary>
/// Computes <see cref="TokenUncertainty"/> from the per-token log probabilities of a request's candidates. A log
/// probability below <see cref="Floor"/> (a token the grammar forced against a vanishing probability, down to minus
/// infinity) counts as the floor, so every statistic stays finite.
/// </summary>
public static class UncertaintyFeatures
{
    /// <summary>The lowest log probability a token counts with.</summary>
    public const double Floor = -100;

    /// <summary>
    /// The statistics of <paramref name="candidates"/>' tokens: quantiles, minimum and mean pool every candidate's
    /// tokens; <see cref="TokenUncertainty.Total"/> is the mean over candidates of each one's sum. A request with no
    /// generated token at all is certain (every statistic 0).
    /// </summary>
    /// <exception cref="ArgumentException">A candidate carries no log probabilities (the request did not ask for them).</exception>
    public static TokenUncertainty Compute(IReadOnlyList<CandidateCompletion> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        if (candidates.Count == 0)
            throw new ArgumentException("There are no candidates to measure.", nameof(candidates));
        var pooled = new List<double>();
        var totals = 0.0;
        foreach (var candidate in candidates)
        {
            var logprobs = candidate.Logprobs ?? throw new ArgumentException(
                "A candidate has no token log probabilities; request them with CandidateRequest.TopLogprobs = 0.", nameof(candidates));
            var sum = 0.0;
            foreach (var token in logprobs)
            {
                var logprob = Clamp(token.Logprob);
                pooled.Add(logprob);
                sum += logprob;
            }
            totals += sum;
        }
        return FromLogprobs(pooled, totals / candidates.Count);
    }

    /// <summary>The statistics of one sequence of token log probabilities (its sum is the total).</summary>
    public static TokenUncertainty Compute(IReadOnlyList<double> logprobs)
    {
        ArgumentNullException.ThrowIfNull(logprobs);
        var clamped = logprobs.Select(Clamp).ToList();
        return FromLogprobs(clamped, clamped.Sum());
    }

    private static double Clamp(double logprob) => double.IsNaN(logprob) || logprob < Floor ? Floor : Math.Min(logprob, 0);

    private static TokenUncertainty FromLogprobs(List<double> pooled, double total)
    {
        if (pooled.Count == 0)
            return new TokenUncertainty(0, 0, 0, 0, 0, 0, 0);
        pooled.Sort();
        return new TokenUncertainty(pooled.Count, total, pooled.Average(), pooled[0],
            Interpolate(pooled, 0.10), Interpolate(pooled, 0.25), Interpolate(pooled, 0.50));
    }

    /// <summary>The <paramref name="q"/>-quantile of ascending <paramref name="sorted"/> values, interpolating linearly between closest ranks (NumPy's default).</summary>
    /// <exception cref="ArgumentException">No values, or <paramref name="q"/> outside [0, 1].</exception>
    public static double Quantile(IReadOnlyList<double> sorted, double q)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Count == 0)
            throw new ArgumentException("There are no values.", nameof(sorted));
        if (!(q is >= 0 and <= 1))
            throw new ArgumentException($"q must be in [0, 1], got {q}.", nameof(q));
        return Interpolate(sorted, q);
    }

    private static double Interpolate(IReadOnlyList<double> sorted, double q)
    {
        var position = q * (sorted.Count - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Count - 1);
        return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower);
    }
}
