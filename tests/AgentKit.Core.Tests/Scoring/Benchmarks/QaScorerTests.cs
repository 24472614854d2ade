using AgentKit.Core.Scoring.Benchmarks;

namespace AgentKit.Core.Tests.Scoring.Benchmarks;

public class QaScorerTests
{
    [Theory]
    [InlineData("The Eiffel Tower.", "eiffel tower")]
    [InlineData("  an   apple ", "Apple")]
    [InlineData("Cahiers du Cinéma", "cahiers du cinema")]
    [InlineData("New-York!", "new york")]
    public void Normalised_answers_match_exactly(string prediction, string gold)
    {
        var score = QaScorer.Score(prediction, gold);
        Assert.True(score.ExactMatch);
        Assert.Equal(1.0, score.F1);
    }

    [Fact]
    public void F1_counts_shared_words_after_normalisation()
    {
        // prediction words: river seine in paris (4); gold: seine river (2); common 2 → P = 2/4, R = 2/2, F1 = 2/3.
        var score = QaScorer.Score("The river Seine, in Paris", "Seine River");
        Assert.False(score.ExactMatch);
        Assert.Equal(2.0 / 3, score.F1, 6);
        // "a" and "the" vanish: "a big red barn" vs "the red house": big red barn / red house → common 1, P = 1/3, R = 1/2, F1 = 0.4.
        Assert.Equal(0.4, QaScorer.Score("a big red barn", "the red house").F1, 6);
        // repeated words count once per occurrence in the gold: "paris paris" vs "paris" → P = 1/2, R = 1, F1 = 2/3.
        Assert.Equal(2.0 / 3, QaScorer.Score("Paris Paris", "Paris").F1, 6);
    }

    [Theory]
    [InlineData("Lyon", "Paris")]
    [InlineData(null, "Paris")]
    [InlineData("   ", "Paris")]
    public void Different_or_missing_answers_score_zero(string? prediction, string gold) =>
        Assert.Equal(new QaScore(false, 0), QaScorer.Score(prediction, gold));

    [Fact]
    public void The_best_of_several_gold_answers_counts()
    {
        var score = QaScorer.Score("NYC", ["New York City", "nyc"]);
        Assert.True(score.ExactMatch);
        Assert.Throws<ArgumentException>(() => QaScorer.Score("x", Array.Empty<string>()));
    }
}
