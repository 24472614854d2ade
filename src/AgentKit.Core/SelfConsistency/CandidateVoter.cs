namespace AgentKit.Core.SelfConsistency;

/// <summary>
/// Self-consistent action selection (agent-distillation paper): drop candidates that failed to parse or
/// execute, then pick the candidate whose outcome is most common, ties to the earliest. The outcome key is
/// the printed output, trimmed, plus the last expression's value and the final answer when present (two
/// snippets that print nothing but return different values are different outcomes).
/// With no valid candidate, the first one that parsed is chosen (its execution error is the most useful
/// observation), else the first candidate (its parse error).
/// </summary>
public static class CandidateVoter
{
    /// <summary>Votes over <paramref name="candidates"/> (at least one).</summary>
    public static CandidateVote Vote(IReadOnlyList<CandidateOutcome> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        if (candidates.Count == 0)
            throw new ArgumentException("There must be at least one candidate to vote on.", nameof(candidates));

        var keys = candidates.Select(c => c.IsValid ? OutcomeKey(c) : null).ToArray();
        var counts = keys.OfType<string>().GroupBy(k => k, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var votes = keys.Select(k => k is null ? 0 : counts[k]).ToArray();

        var best = -1;
        for (var i = 0; i < votes.Length; i++)
            if (votes[i] > 0 && (best < 0 || votes[i] > votes[best]))
                best = i;
        if (best >= 0)
            return new CandidateVote(best, votes, AnyValid: true);

        var firstParsed = Enumerable.Range(0, candidates.Count).FirstOrDefault(i => candidates[i].Parse.Succeeded, 0);
        return new CandidateVote(firstParsed, votes, AnyValid: false);
    }

    /// <summary>The normalised outcome two candidates must share to vote together.</summary>
    public static string OutcomeKey(CandidateOutcome candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        var execution = candidate.Execution;
        if (execution is null)
            return "";
        return string.Join('\u001f', execution.Output.Trim(), execution.ReturnValue?.Trim() ?? "", execution.FinalAnswer?.Trim() ?? "\u0000");
    }
}
