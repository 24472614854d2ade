using AgentKit.Abstractions.Models;

namespace AgentKit.Core.Cascade;

/// <summary>Computes <see cref="TokenUncertainty"/> from the per-token log probabilities of a request's candidates.</summary>
public static class UncertaintyFeatures
{
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
                pooled.Add(token.Logprob);
                sum += token.Logprob;
            }
            totals += sum;
        }
        return FromLogprobs(pooled, totals / candidates.Count);
    }

    /// <summary>The statistics of one sequence of token log probabilities (its sum is the total).</summary>
    public static TokenUncertainty Compute(IReadOnlyList<double> logprobs)
    {
        ArgumentNullException.ThrowIfNull(logprobs);
        return FromLogprobs([.. logprobs], logprobs.Sum());
    }

    private static TokenUncertainty FromLogprobs(List<double> pooled, double total)
    {
        if (pooled.Count == 0)
            return new TokenUncertainty(0, 0, 0, 0, 0, 0, 0);
        pooled.Sort();
        return new TokenUncertainty(pooled.Count, total, pooled.Average(), pooled[0],
            Quantile(pooled, 0.10), Quantile(pooled, 0.25), Quantile(pooled, 0.50));
    }

    /// <summary>Linear interpolation between closest ranks (NumPy's default) over sorted values.</summary>
    internal static double Quantile(IReadOnlyList<double> sorted, double q)
    {
        var position = q * (sorted.Count - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Count - 1);
        return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower);
    }
}
