namespace AgentKit.Core.Scoring.Benchmarks;

/// <summary>The score of one prediction on a benchmark question.</summary>
/// <param name="Correct">The set's accuracy criterion: exact match for QA, equivalence for math.</param>
/// <param name="ExactMatch">QA only: normalised exact match (null for math).</param>
/// <param name="F1">QA only: token F1 in [0, 1] (null for math).</param>
/// <param name="Extracted">The answer that was compared (math: what <see cref="MathAnswerExtractor"/> took out; QA: the prediction), null when none.</param>
/// <param name="Source">Math only: where the compared answer was found (null for QA or when none was).</param>
public sealed record BenchmarkScore(bool Correct, bool? ExactMatch, double? F1, string? Extracted, AnswerSource? Source);

/// <summary>
/// Scores predictions on a benchmark set by its <see cref="BenchmarkKind"/>: QA sets by <see cref="QaScorer"/> (correct =
/// exact match, with F1 beside it), math sets by extracting the answer (<see cref="MathAnswerExtractor.Extract"/>) and
/// comparing it with <see cref="MathEquivalence"/>. The kind comes from the set's name (<see cref="BenchmarkKinds.TryInfer"/>)
/// unless the caller names it.
/// </summary>
public sealed class BenchmarkScorer
{
    /// <summary>Creates a scorer for sets of <paramref name="kind"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The kind or the tolerance is out of range.</exception>
    public BenchmarkScorer(BenchmarkKind kind, double mathRelativeTolerance = MathEquivalence.DefaultRelativeTolerance)
    {
        if (!Enum.IsDefined(kind))
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown benchmark kind.");
        if (mathRelativeTolerance is < 0 or >= 1 || double.IsNaN(mathRelativeTolerance))
            throw new ArgumentOutOfRangeException(nameof(mathRelativeTolerance), mathRelativeTolerance, "The relative tolerance must be in [0, 1).");
        Kind = kind;
        MathRelativeTolerance = mathRelativeTolerance;
    }

    /// <summary>The kind of set this scorer grades.</summary>
    public BenchmarkKind Kind { get; }

    /// <summary>The relative tolerance of numeric math answers.</summary>
    public double MathRelativeTolerance { get; }

    /// <summary>
    /// The scorer for a set named <paramref name="setName"/>, or for <paramref name="kind"/> when given (the override).
    /// </summary>
    /// <exception cref="ArgumentException">No kind was given and the name does not tell it.</exception>
    public static BenchmarkScorer For(string setName, BenchmarkKind? kind = null)
    {
        if (kind is { } chosen)
            return new BenchmarkScorer(chosen);
        return BenchmarkKinds.TryInfer(setName, out var inferred)
            ? new BenchmarkScorer(inferred)
            : throw new ArgumentException($"cannot tell whether set \"{setName}\" is QA or math from its name; name the kind (qa or math).", nameof(setName));
    }

    /// <summary>Scores <paramref name="prediction"/> against <paramref name="gold"/>.</summary>
    public BenchmarkScore Score(string? prediction, string gold)
    {
        ArgumentNullException.ThrowIfNull(gold);
        if (Kind == BenchmarkKind.Qa)
        {
            var qa = QaScorer.Score(prediction, gold);
            return new BenchmarkScore(qa.ExactMatch, qa.ExactMatch, qa.F1, string.IsNullOrWhiteSpace(prediction) ? null : prediction.Trim(), null);
        }
        var extracted = MathAnswerExtractor.Extract(prediction);
        if (extracted is null)
            return new BenchmarkScore(false, null, null, null, null);
        return new BenchmarkScore(MathEquivalence.AreEquivalent(extracted.Answer, gold, MathRelativeTolerance), null, null, extracted.Answer, extracted.Source);
    }
}
