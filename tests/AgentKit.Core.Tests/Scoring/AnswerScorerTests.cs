using AgentKit.Core.Scoring;

namespace AgentKit.Core.Tests.Scoring;

public class AnswerScorerTests
{
    [Theory]
    [InlineData("The Eiffel Tower!", "eiffel   tower")]
    [InlineData("  an Apple.", "apple")]
    [InlineData("Zürich", "zurich")]
    [InlineData("New-York", "new york")]
    public void Normalised_texts_match(string answer, string gold)
    {
        var score = AnswerScorer.Score(answer, gold);
        Assert.True(score.Correct);
        Assert.Equal("exact", score.Method);
    }

    [Theory]
    [InlineData("Paris", "Lyon")]
    [InlineData("the", "a")] // both normalise to nothing: never a match
    [InlineData("tower eiffel", "eiffel tower")]
    public void Different_texts_do_not_match(string answer, string gold) =>
        Assert.False(AnswerScorer.Score(answer, gold).Correct);

    [Theory]
    [InlineData("1,234", "1234", true)]
    [InlineData("1240", "1,234", true)]      // within 1%
    [InlineData("1300", "1234", false)]
    [InlineData("3.5 million", "3500000", true)]
    [InlineData("$3,500,000", "3.5 million", true)]
    [InlineData("45%", "45", true)]
    [InlineData("-2", "2", false)]
    [InlineData("0", "0", true)]
    [InlineData("0.001", "0", false)]
    [InlineData("42.", "42", true)]
    public void Numbers_match_within_relative_tolerance(string answer, string gold, bool correct)
    {
        var score = AnswerScorer.Score(answer, gold);
        Assert.Equal(correct, score.Correct);
        Assert.Equal("numeric", score.Method);
    }

    [Fact]
    public void Number_with_words_around_it_is_compared_as_text()
    {
        Assert.False(NumericAnswer.TryParse("about 5 apples", out _));
        Assert.False(NumericAnswer.TryParse("1,23", out _));
        Assert.Equal("exact", AnswerScorer.Score("about 5 apples", "5").Method);
    }

    [Fact]
    public void Missing_answer_is_wrong() => Assert.Equal(new(false, "none"), AnswerScorer.Score(null, "x"));

    [Fact]
    public void Tolerance_is_validated() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => AnswerScorer.Score("1", "1", relativeTolerance: 2));
}
