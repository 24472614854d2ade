using System.Text.Json.Nodes;
using AgentKit.Models.LlamaSharp;
using AgentKit.Server.Tools;

namespace AgentKit.Server.Tests.Tools;

public sealed class JsonSchemaGrammarTests
{
    [Theory]
    [InlineData("""{"type":"object","properties":{"city":{"type":"string"},"days":{"type":"integer"},"metric":{"type":"boolean"}}}""", "\"\\\"city\\\"\"")]
    [InlineData("""{"type":"object","properties":{"tags":{"type":"array","items":{"enum":["a","b"]}},"inner":{"type":"object","properties":{"x":{"type":"number"}}}}}""", "(\"\\\"a\\\"\" | \"\\\"b\\\"\")")]
    [InlineData("""{"anyOf":[{"type":"string"},{"type":"null"}]}""", "root ::= value")]
    [InlineData("""{"type":"object"}""", "root ::= object")]
    [InlineData("""{"const":"fixed"}""", "root ::= \"\\\"fixed\\\"\"")]
    public void SchemasBecomeGrammarsLlamaCppAccepts(string schema, string expected)
    {
        var grammar = JsonSchemaGrammar.ForSchema(JsonNode.Parse(schema));

        GbnfValidator.Validate(grammar);
        Assert.Contains(expected, grammar);
    }

    [Fact]
    public void LiteralsEscapeQuotesBackslashesAndNewlines() =>
        Assert.Equal("\"a\\\"b\\\\c\\n\"", JsonSchemaGrammar.Literal("a\"b\\c\n"));
}
