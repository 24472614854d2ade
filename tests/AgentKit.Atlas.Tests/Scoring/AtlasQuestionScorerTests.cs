using AgentKit.Atlas.Questions;
using AgentKit.Atlas.Scoring;

namespace AgentKit.Atlas.Tests;

/// <summary><see cref="AtlasQuestionScorer"/>: each question graded by its own tolerance, bad questions by "not found".</summary>
public sealed class AtlasQuestionScorerTests
{
    private static AtlasQuestion Question(string id, string family, string kind, string answer, double? tolerance) => new()
    {
        Id = id, Question = $"question {id}", Answer = answer, Family = family, Split = QuestionSplits.Train, Entities = [],
        Kind = kind, Template = "test", Tolerance = tolerance,
    };

    private static readonly AtlasQuestionScorer s_scorer = new(
    [
        Question("year", QuestionFamilies.Lookup, "lookup", "1821", 0),
        Question("population", QuestionFamilies.Lookup, "lookup", "31989256", 0.01),
        Question("capital", QuestionFamilies.Lookup, "lookup", "Lima", null),
        Question("fake", QuestionFamilies.Bad, "bad-fake-country", "not found", null),
    ]);

    [Theory]
    [InlineData("year", "1821", true)]
    [InlineData("year", "1822", false)] // tolerance 0: a year off by one is wrong
    [InlineData("population", "32000000", true)] // within 1%
    [InlineData("population", "33000000", false)] // 3% off
    [InlineData("capital", "lima", true)]
    [InlineData("capital", "not found", false)]
    [InlineData("fake", "Not found.", true)]
    [InlineData("fake", "I could not find it in the atlas", true)]
    [InlineData("fake", "1821", false)]
    [InlineData("fake", null, false)]
    public void Answers_are_graded_by_their_question(string id, string? answer, bool correct) =>
        Assert.Equal(correct, s_scorer.IsCorrect(id, answer));

    [Fact]
    public void An_unknown_id_is_not_graded_and_duplicate_ids_are_refused()
    {
        Assert.Null(s_scorer.IsCorrect("no-such-question", "Lima"));
        Assert.Null(s_scorer.Find("no-such-question"));
        Assert.Equal(4, s_scorer.Count);
        var twice = Question("x", QuestionFamilies.Lookup, "lookup", "1", 0);
        Assert.Contains("'x'", Assert.Throws<ArgumentException>(() => new AtlasQuestionScorer([twice, twice])).Message);
    }
}
