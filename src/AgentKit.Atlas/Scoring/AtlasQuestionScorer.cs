using AgentKit.Atlas.Questions;

namespace AgentKit.Atlas.Scoring;

/// <summary>
/// Grades answers by question id against a question list, each with <see cref="AtlasAnswerScorer"/> (the question's
/// own tolerance; "not found" for bad questions). For reward functions that see only a task id and an answer, such as
/// <c>agentkit train grpo --reward atlas</c>. Pure: the same id and answer always grade the same.
/// </summary>
public sealed class AtlasQuestionScorer
{
    private readonly Dictionary<string, AtlasQuestion> _byId = new(StringComparer.Ordinal);

    /// <summary>A scorer over <paramref name="questions"/>.</summary>
    /// <exception cref="ArgumentException">Two questions share an id (an answer could not be graded unambiguously).</exception>
    public AtlasQuestionScorer(IEnumerable<AtlasQuestion> questions)
    {
        ArgumentNullException.ThrowIfNull(questions);
        foreach (var question in questions)
        {
            if (!_byId.TryAdd(question.Id, question))
                throw new ArgumentException($"Two questions have the id '{question.Id}'.", nameof(questions));
        }
    }

    /// <summary>How many questions the scorer knows.</summary>
    public int Count => _byId.Count;

    /// <summary>The question with id <paramref name="questionId"/>, or null when the list has none.</summary>
    public AtlasQuestion? Find(string questionId) => _byId.GetValueOrDefault(questionId);

    /// <summary>Whether <paramref name="answer"/> is correct for question <paramref name="questionId"/>; null when the list has no such question.</summary>
    public bool? IsCorrect(string questionId, string? answer) =>
        Find(questionId) is { } question ? AtlasAnswerScorer.IsCorrect(question, answer) : null;
}
