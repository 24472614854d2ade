using AgentKit.Models.LlamaSharp;

namespace AgentKit.Models.Tests.LlamaSharp;

public sealed class GbnfValidatorTests
{
    // llama.cpp's grammars/json.gbnf, a realistic grammar with groups, classes, escapes and repetitions.
    private const string Json = """
        root   ::= object
        value  ::= object | array | string | number | ("true" | "false" | "null") ws

        object ::=
          "{" ws (
                    string ":" ws value
            ("," ws string ":" ws value)*
          )? "}" ws

        array  ::=
          "[" ws (
                    value
            ("," ws value)*
          )? "]" ws

        string ::=
          "\"" (
            [^"\\\x7F\x00-\x1F] |
            "\\" (["\\bfnrt] | "u" [0-9a-fA-F]{4}) # escapes
          )* "\"" ws

        number ::= ("-"? ([0-9] | [1-9] [0-9]{0,15})) ("." [0-9]+)? ([eE] [-+]? [0-9] [1-9]{0,15})? ws

        # Optional space: by convention, applied in this grammar after literal chars when allowed
        ws ::= | " " | "\n" [ \t]{0,20}
        """;

    [Theory]
    [InlineData(Json)]
    [InlineData("root ::= \"a\"")]
    [InlineData("root ::= [a-z]+ \"!\"\r\n")]
    [InlineData("root ::= x | \"\"\nx ::= \"y\" root")]
    [InlineData("root ::= .{2,5} [^\\n]* \"\\u00e9\"")]
    public void Valid_grammars_pass(string grammar) => GbnfValidator.Validate(grammar);

    [Theory]
    [InlineData("root ::= (unclosed", "expecting ')'")]
    [InlineData("root ::= \"open", "unterminated string")]
    [InlineData("root ::= [a-z", "unterminated character class")]
    [InlineData("root ::= other", "'other' is used but never defined")]
    [InlineData("start ::= \"a\"", "no 'root' rule")]
    [InlineData("root ::= root \"a\"", "left-recursive")]
    [InlineData("root ::= x\nx ::= \"a\"? root", "left-recursive")]
    [InlineData("root ::= \"\\q\"", "unknown escape")]
    [InlineData("root ::= \"\\x4\"", "hex digits")]
    [InlineData("root \"a\"", "'::='")]
    [InlineData("root ::= * \"a\"", "needs an item")]
    [InlineData("root ::= \"a\"{3,1}", "maximum below its minimum")]
    [InlineData("root ::= \"a\"{5000}", "above 2000")]
    [InlineData("root ::= \"a\"\nroot ::= \"b\"", "defined twice")]
    [InlineData("root ::= \"a\" ) ", "newline or the end")]
    public void Invalid_grammars_are_explained(string grammar, string expected)
    {
        var ex = Assert.Throws<ArgumentException>(() => GbnfValidator.Validate(grammar));
        Assert.Contains(expected, ex.Message);
        Assert.False(GbnfValidator.TryValidate(grammar, out var error));
        Assert.Equal(ex.Message, error);
    }
}
