using AgentKit.Core.Scoring;
using AgentKit.Training.Grpo.Rollouts;

namespace AgentKit.Training.Grpo.Rewards;

/// <summary>How <see cref="AnswerMatchReward"/> compares an answer with the reference.</summary>
public enum AnswerMatch
{
    /// <summary>The project's grading (<see cref="AnswerScorer"/>, as <c>agentkit eval</c> scores): numeric within a tolerance when both are numbers, else normalised equality.</summary>
    Graded,

    /// <summary>Equal after trimming whitespace, case and punctuation kept.</summary>
    Exact,

    /// <summary>Equal after <see cref="AnswerNormalizer"/> (lower case, no accents, punctuation or articles).</summary>
    Normalized,

    /// <summary>Both numbers (<see cref="NumericAnswer"/>) within the relative tolerance; a non-numeric answer scores 0.</summary>
    Numeric,

    /// <summary>Word-overlap F1 of the normalised texts (SQuAD's partial credit), in [0, 1].</summary>
    F1,
}

/// <summary>
/// 1 when the rollout's final answer matches the task's reference answer, else 0 (<see cref="AnswerMatch.F1"/>: the
/// overlap in between). A rollout without an answer scores 0; a task without a reference answer is a setup error.
/// </summary>
public sealed class AnswerMatchReward : IRewardFunction
{
    private readonly AnswerMatch _match;
    private readonly double _tolerance;

    /// <summary>Creates the reward.</summary>
    /// <param name="match">The comparison (default <see cref="AnswerMatch.Graded"/>).</param>
    /// <param name="relativeTolerance">Relative tolerance of numeric comparisons, in [0, 1) (default 1%).</param>
    /// <param name="name">Name in metrics (default <c>answer</c>).</param>
    public AnswerMatchReward(AnswerMatch match = AnswerMatch.Graded, double relativeTolerance = AnswerScorer.DefaultRelativeTolerance, string name = "answer")
    {
        if (!Enum.IsDefined(match))
            throw new ArgumentOutOfRangeException(nameof(match), match, "Unknown answer comparison.");
        if (relativeTolerance is < 0 or >= 1 || double.IsNaN(relativeTolerance))
            throw new ArgumentOutOfRangeException(nameof(relativeTolerance), relativeTolerance, "The relative tolerance must be in [0, 1).");
        _match = match;
        _tolerance = relativeTolerance;
        Name = string.IsNullOrWhiteSpace(name) ? throw new ArgumentException("A reward function needs a name.", nameof(name)) : name;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public RewardResult Score(Rollout rollout)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        var reference = rollout.Task.ReferenceAnswer
            ?? throw new InvalidOperationException($"Task '{rollout.Task.Id}' has no reference answer; the '{Name}' reward needs one.");
        var answer = rollout.FinalAnswer;
        if (string.IsNullOrWhiteSpace(answer))
            return new RewardResult(0, "no answer");
        switch (_match)
        {
            case AnswerMatch.Graded:
                var score = AnswerScorer.Score(answer, reference, _tolerance);
                return new RewardResult(score.Correct ? 1 : 0, $"{score.Method} {(score.Correct ? "match" : "mismatch")}");
            case AnswerMatch.Exact:
                var exact = string.Equals(answer.Trim(), reference.Trim(), StringComparison.Ordinal);
                return new RewardResult(exact ? 1 : 0, exact ? "exact match" : "exact mismatch");
            case AnswerMatch.Normalized:
                var normalized = AnswerNormalizer.Normalize(answer);
                var same = normalized.Length > 0 && normalized == AnswerNormalizer.Normalize(reference);
                return new RewardResult(same ? 1 : 0, same ? "normalised match" : "normalised mismatch");
            case AnswerMatch.Numeric:
                if (!NumericAnswer.TryParse(reference, out var gold))
                    throw new InvalidOperationException($"Task '{rollout.Task.Id}': reference '{reference}' is not a number; the '{Name}' reward compares numbers.");
                if (!NumericAnswer.TryParse(answer, out var given))
                    return new RewardResult(0, "answer is not a number");
                var close = Math.Abs(given - gold) <= _tolerance * Math.Abs(gold);
                return new RewardResult(close ? 1 : 0, close ? "numeric match" : $"numeric mismatch ({given:G6} vs {gold:G6})");
            default:
                var f1 = TokenF1.Compute(answer, reference);
                return new RewardResult(f1, $"F1 {f1:F2}");
        }
    }
}
