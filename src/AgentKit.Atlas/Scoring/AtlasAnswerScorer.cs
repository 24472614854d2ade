using AgentKit.Atlas.Questions;
using AgentKit.Core.Scoring;

namespace AgentKit.Atlas.Scoring;

/// <summary>
/// Grades an answer to an atlas question. A bad question is answered correctly by any honest "not found"
/// style answer (see <see cref="IsNotFound"/>); a numeric gold answer is matched within the question's own
/// relative tolerance (0 = exact, e.g. years and counts); anything else by normalised exact match
/// (<see cref="AnswerNormalizer"/>). A pure function.
/// </summary>
public static class AtlasAnswerScorer
{
    private static readonly string[] s_notFoundPhrases =
    [
        "not found", "no answer", "unknown", "cannot find", "can not find", "could not find", "couldn t find", "can t find",
        "no information", "not in atlas", "does not exist", "no such country", "cannot answer", "can not answer", "don t know",
    ];

    /// <summary>Whether <paramref name="answer"/> is correct for <paramref name="question"/>.</summary>
    public static bool IsCorrect(AtlasQuestion question, string? answer)
    {
        ArgumentNullException.ThrowIfNull(question);
        if (question.Family == QuestionFamilies.Bad)
            return IsNotFound(answer);
        if (IsNotFound(answer))
            return false;
        return AnswerScorer.Score(answer, question.Answer, question.Tolerance ?? AnswerScorer.DefaultRelativeTolerance).Correct;
    }

    /// <summary>Whether <paramref name="answer"/> says, in one of a few plain ways, that the atlas has no answer.</summary>
    public static bool IsNotFound(string? answer)
    {
        var normalized = AnswerNormalizer.Normalize(answer);
        return normalized.Length > 0 && s_notFoundPhrases.Any(p => normalized.Contains(p, StringComparison.Ordinal));
    }
}
