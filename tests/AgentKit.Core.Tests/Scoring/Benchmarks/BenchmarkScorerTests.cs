using AgentKit.Core.Scoring.Benchmarks;

namespace AgentKit.Core.Tests.Scoring.Benchmarks;

public class BenchmarkScorerTests
{
    [Theory]
    [InlineData("MATH", BenchmarkKind.Math)]
    [InlineData("GSM-hard", BenchmarkKind.Math)]
    [InlineData("AIME", BenchmarkKind.Math)]
    [InlineData("OlymMATH", BenchmarkKind.Math)]
    [InlineData("hotpotqa/hotpot_qa", BenchmarkKind.Qa)]
    [InlineData("dgslibisey/MuSiQue", BenchmarkKind.Qa)]
    [InlineData("2wikimultihopqa", BenchmarkKind.Qa)]
    [InlineData("chiayewken/bamboogle", BenchmarkKind.Qa)]
    public void The_kind_follows_the_set_name(string name, BenchmarkKind kind) =>
        Assert.Equal(kind, BenchmarkScorer.For(name).Kind);

    [Fact]
    public void An_unknown_name_needs_the_kind_named()
    {
        var error = Assert.Throws<ArgumentException>(() => BenchmarkScorer.For("riddles"));
        Assert.Contains("riddles", error.Message);
        Assert.Equal(BenchmarkKind.Math, BenchmarkScorer.For("riddles", BenchmarkKind.Math).Kind);
        Assert.Equal(BenchmarkKind.Qa, BenchmarkScorer.For("MATH", BenchmarkKind.Qa).Kind); // the override wins
    }

    [Fact]
    public void Qa_sets_report_exact_match_and_f1()
    {
        var score = new BenchmarkScorer(BenchmarkKind.Qa).Score("the Seine river", "Seine");
        Assert.False(score.Correct);
        Assert.False(score.ExactMatch);
        Assert.Equal(2 * 0.5 * 1 / 1.5, score.F1!.Value, 6);
        Assert.True(new BenchmarkScorer(BenchmarkKind.Qa).Score("Seine.", "seine").Correct);
    }

    [Fact]
    public void Math_sets_extract_then_compare()
    {
        var scorer = new BenchmarkScorer(BenchmarkKind.Math);
        var score = scorer.Score(@"Adding gives $\boxed{\dfrac{1}{2}}$.", "0.5");
        Assert.True(score.Correct);
        Assert.Null(score.F1);
        Assert.Equal(@"\dfrac{1}{2}", score.Extracted);
        Assert.Equal(AnswerSource.Boxed, score.Source);
        Assert.False(scorer.Score("I cannot tell", "3").Correct);
        Assert.True(scorer.Score("so she has 12 apples left", "12").Correct);
    }

    [Theory]
    [InlineData("qa", BenchmarkKind.Qa)]
    [InlineData(" MATH ", BenchmarkKind.Math)]
    public void Kinds_parse_from_flags(string text, BenchmarkKind kind)
    {
        Assert.True(BenchmarkKinds.TryParse(text, out var parsed));
        Assert.Equal(kind, parsed);
        Assert.False(BenchmarkKinds.TryParse("code", out _));
    }

    [Fact]
    public void Tolerance_is_validated() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new BenchmarkScorer(BenchmarkKind.Math, 1.5));
}
