using AgentKit.Core.Scoring.Benchmarks;

namespace AgentKit.Core.Tests.Scoring.Benchmarks;

public class MathAnswerExtractorTests
{
    [Theory]
    [InlineData(@"So the answer is $\boxed{\frac{1}{2}}$.", @"\frac{1}{2}")]
    [InlineData(@"First \boxed{3}, then corrected: \boxed{\left( 3, \frac{\pi}{2} \right)}", @"\left( 3, \frac{\pi}{2} \right)")]
    [InlineData(@"\boxed{\text{\{1, 2\}}}", @"\text{\{1, 2\}}")]
    [InlineData(@"The total is \boxed 42 dollars", "42")]
    [InlineData(@"\fbox{7}", "7")]
    public void Takes_the_last_boxed_answer_with_nested_braces(string text, string expected) =>
        Assert.Equal(new ExtractedAnswer(expected, AnswerSource.Boxed), MathAnswerExtractor.Extract(text));

    [Theory]
    [InlineData("We add them.\nFinal answer: 12 apples.", "12 apples")]
    [InlineData("Thus the answer is $-3$.", "-3")]
    [InlineData("**Final Answer:** **5/8**", "5/8")]
    [InlineData("Answer: x = 4\nCheck: 4 + 1 = 5", "x = 4")]
    public void Falls_back_to_the_last_answer_marker(string text, string expected) =>
        Assert.Equal(new ExtractedAnswer(expected, AnswerSource.Marker), MathAnswerExtractor.Extract(text));

    [Theory]
    [InlineData(@"\frac{\pi}{2}")]
    [InlineData("x = 5")]
    [InlineData(@"5\text{ cm}")]
    [InlineData("2x - y + 2z - 18 = 0")]
    [InlineData("-(ab + ac + bc)")]
    [InlineData(@"\begin{pmatrix} -1/3 \\ 2/3 \end{pmatrix}")]
    public void A_bare_expression_is_the_answer(string text) =>
        Assert.Equal(new ExtractedAnswer(text, AnswerSource.WholeText), MathAnswerExtractor.Extract(text));

    [Theory]
    [InlineData("She had 3 apples and bought 9 more, so 12 apples.", "12")]
    [InlineData("The loss was -1,250.5 dollars in all", "-1,250.5")]
    public void Last_number_is_the_weakest_fallback(string text, string expected) =>
        Assert.Equal(new ExtractedAnswer(expected, AnswerSource.LastNumber), MathAnswerExtractor.Extract(text));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("I do not know")]
    [InlineData(@"unclosed \boxed{")]
    public void Nothing_to_extract_is_null(string? text) => Assert.Null(MathAnswerExtractor.Extract(text));

    [Fact]
    public void Marked_answers_only_ignore_bare_text() =>
        Assert.Null(MathAnswerExtractor.FindMarked("so 12 apples"));
}
