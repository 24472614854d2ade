using AgentKit.Abstractions.Trajectories;

namespace AgentKit.Core.Scoring;

/// <summary>
/// Grades an answer against a reference. When both are numeric answers (see <see cref="NumericAnswer"/>),
/// they match within a relative tolerance (default 1%: 1,234 vs 1,240 is correct, vs 1,300 is not; a
/// reference of 0 needs an exact 0). Otherwise the normalised texts (see <see cref="AnswerNormalizer"/>)
/// must be equal. A pure function, usable as an RL reward.
/// </summary>
public static class AnswerScorer
{
    /// <summary>The default relative tolerance for numeric answers (1%).</summary>
    public const double DefaultRelativeTolerance = 0.01;

    /// <summary>Grades <paramref name="answer"/> against <paramref name="reference"/>.</summary>
    public static TrajectoryScore Score(string? answer, string reference, double relativeTolerance = DefaultRelativeTolerance)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (relativeTolerance is < 0 or >= 1 || double.IsNaN(relativeTolerance))
            throw new ArgumentOutOfRangeException(nameof(relativeTolerance), relativeTolerance, "The relative tolerance must be in [0, 1).");
        if (string.IsNullOrWhiteSpace(answer))
            return new TrajectoryScore(false, "none");
        if (NumericAnswer.TryParse(reference, out var gold) && NumericAnswer.TryParse(answer, out var given))
            return new TrajectoryScore(Math.Abs(given - gold) <= relativeTolerance * Math.Abs(gold), "numeric");
        var normalizedAnswer = AnswerNormalizer.Normalize(answer);
        return new TrajectoryScore(normalizedAnswer.Length > 0 && normalizedAnswer == AnswerNormalizer.Normalize(reference), "exact");
    }
}
