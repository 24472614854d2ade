namespace AgentKit.Core.Scoring.Benchmarks;

/// <summary>The two usual scores of a factual (QA) answer.</summary>
/// <param name="ExactMatch">True when the normalised prediction equals the normalised gold answer.</param>
/// <param name="F1">Word-overlap F1 of the normalised texts, in [0, 1].</param>
public sealed record QaScore(bool ExactMatch, double F1);

/// <summary>
/// Scores factual answers the SQuAD / HotpotQA way: exact match and word-overlap F1 after
/// <see cref="AnswerNormalizer"/> (lower case, accents, punctuation and the articles a/an/the dropped, whitespace
/// collapsed; see <see cref="TokenF1"/>). With several gold answers the best score over them counts.
/// A missing or blank prediction scores (false, 0).
/// </summary>
public static class QaScorer
{
    /// <summary>Scores <paramref name="prediction"/> against one gold answer.</summary>
    public static QaScore Score(string? prediction, string gold)
    {
        ArgumentNullException.ThrowIfNull(gold);
        if (string.IsNullOrWhiteSpace(prediction))
            return new QaScore(false, 0);
        var normalized = AnswerNormalizer.Normalize(prediction);
        var exact = normalized.Length > 0 && normalized == AnswerNormalizer.Normalize(gold);
        return new QaScore(exact, exact ? 1 : TokenF1.Compute(prediction, gold));
    }

    /// <summary>Scores <paramref name="prediction"/> against the best of several gold answers (aliases).</summary>
    /// <exception cref="ArgumentException">No gold answer was given.</exception>
    public static QaScore Score(string? prediction, IReadOnlyList<string> golds)
    {
        ArgumentNullException.ThrowIfNull(golds);
        if (golds.Count == 0)
            throw new ArgumentException("at least one gold answer is needed.", nameof(golds));
        var scores = golds.Select(g => Score(prediction, g)).ToList();
        return new QaScore(scores.Any(s => s.ExactMatch), scores.Max(s => s.F1));
    }
}
