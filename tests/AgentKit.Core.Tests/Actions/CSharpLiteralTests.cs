using AgentKit.Core.Actions;

namespace AgentKit.Core.Tests.Actions;

public class CSharpLiteralTests
{
    [Theory]
    [InlineData("Peru", "\"Peru\"")]
    [InlineData("a\"b\\c", "\"a\\\"b\\\\c\"")]
    [InlineData("line\nbreak\r\ttab", "\"line\\nbreak\\r\\ttab\"")]
    [InlineData("sep\u2028\u2029\u0085\u0001", "\"sep\\u2028\\u2029\\u0085\\u0001\"")]
    public void Escapes_what_a_regular_string_literal_cannot_hold(string text, string expected) =>
        Assert.Equal(expected, CSharpLiteral.Of(text));
}
