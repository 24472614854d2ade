using AgentKit.Core.Scoring.Benchmarks;

namespace AgentKit.Core.Tests.Scoring.Benchmarks;

public class MathEquivalenceTests
{
    [Theory]
    [InlineData("1/2", @"\frac{1}{2}")]
    [InlineData("0.5", @"\frac{1}{2}")]
    [InlineData(@"\dfrac{1}{2}", "0.5")]
    [InlineData(@"\tfrac12", "1/2")]
    [InlineData(@"-\frac{3}{4}", "-0.75")]
    [InlineData(@"\frac{-3}{4}", "-0.75")]
    [InlineData(@"\frac{14}{3}", "4.66667")] // within the 1e-4 relative tolerance
    [InlineData(@"\sqrt{4}", "2")]
    [InlineData(@"\sqrt2", @"\sqrt{2}")]
    public void Fractions_and_decimals_are_numbers(string prediction, string gold) =>
        Assert.True(MathEquivalence.AreEquivalent(prediction, gold));

    [Theory]
    [InlineData("13,138,980", "13138980.0")]
    [InlineData("1{,}000", "1000")]
    [InlineData("8", "8.0")]
    [InlineData("-12", "-12.00")]
    [InlineData("$42$", "42")]
    [InlineData(@"\boxed{7}", "7")]
    [InlineData("x = 5", "5")]
    [InlineData("5.", "5")]
    public void Separators_signs_and_wrappers_do_not_matter(string prediction, string gold) =>
        Assert.True(MathEquivalence.AreEquivalent(prediction, gold));

    [Theory]
    [InlineData(@"5\text{ cm}", "5")]
    [InlineData(@"12 \text{ square units}", @"12\text{ sq units}")]
    [InlineData(@"90^\circ", "90")]
    [InlineData(@"90^{\circ}", "90°")]
    [InlineData(@"10\%", "10")]
    [InlineData(@"\text{Evelyn}", "evelyn")]
    [InlineData(@"\left( 3, \frac{\pi}{2} \right)", @"(3,\frac{\pi}{2})")]
    [InlineData(@"\$\,1\!000", "1000")]
    [InlineData(@"125\textnormal{ miles}", "125")]
    public void Units_degrees_and_latex_spacing_are_dropped(string prediction, string gold) =>
        Assert.True(MathEquivalence.AreEquivalent(prediction, gold));

    [Theory]
    [InlineData("(1, 0.5)", @"\left(1,\frac{1}{2}\right)")]
    [InlineData(@"[-2, 3)", "[-2,3)")]
    [InlineData(@"(-\infty,-8] \cup [8,\infty)", @"(-\infty,-8]\cup[8,\infty)")]
    [InlineData("-2, 1", "1, -2")] // bare lists pair up in any order
    [InlineData(@"\begin{pmatrix} 1/2 \\ 3 \end{pmatrix}", @"\begin{pmatrix}0.5\\3\end{pmatrix}")]
    public void Tuples_and_intervals_compare_element_by_element(string prediction, string gold) =>
        Assert.True(MathEquivalence.AreEquivalent(prediction, gold));

    [Theory]
    [InlineData("2", "-2")]
    [InlineData("0.51", "0.5")]
    [InlineData("(1, 2)", "(2, 1)")]      // tuple order matters
    [InlineData("(1, 2)", "[1, 2]")]      // open vs closed interval
    [InlineData("(1, 2, 3)", "(1, 2)")]
    [InlineData(@"\begin{pmatrix} 1 \\ 2 \end{pmatrix}", @"\begin{pmatrix} 2 \\ 1 \end{pmatrix}")]
    [InlineData("2x+2", "2(x+1)")]        // no algebra
    [InlineData("1,2", "12")]             // not a thousands separator
    [InlineData("", "0")]
    [InlineData(null, "0")]
    [InlineData("0.001", "0")]
    public void Different_answers_are_not_equivalent(string? prediction, string gold) =>
        Assert.False(MathEquivalence.AreEquivalent(prediction, gold));

    [Fact]
    public void Normalize_states_the_canonical_form()
    {
        Assert.Equal(@"\frac{1}{2}", MathEquivalence.Normalize(@"$\dfrac12$"));
        Assert.Equal("1000", MathEquivalence.Normalize("1,000"));
        Assert.True(MathEquivalence.TryEvaluate(@"\frac{\frac{1}{2}}{2}", out var quarter));
        Assert.Equal(0.25, quarter);
        Assert.False(MathEquivalence.TryEvaluate(@"\pi", out _));
    }

    [Fact]
    public void Tolerance_is_validated() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => MathEquivalence.AreEquivalent("1", "1", relativeTolerance: -1));
}
