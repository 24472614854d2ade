using System.Text.Json;
using AgentKit.Abstractions.Tools;
using AgentKit.Retrieval.Tests.Support;
using AgentKit.Retrieval.Tools;

namespace AgentKit.Retrieval.Tests.Tools;

/// <summary>The shape agent code declares; identical to <see cref="SearchTool.PassageDeclaration"/>.</summary>
public record Passage(string Id, string Title, string Text, double Score);

public sealed class SearchToolTests(IndexFixture index) : IClassFixture<IndexFixture>
{
    private static JsonElement Arg<T>(T value) => JsonSerializer.SerializeToElement(value);

    private static async Task<Passage[]> InvokeAsync(IAgentTool tool, params JsonElement[] args)
    {
        var node = await tool.InvokeAsync(args, CancellationToken.None);
        // Exactly what crosses the sandbox: JSON text, read back with default (case-sensitive) options.
        return JsonSerializer.Deserialize<Passage[]>(node!.ToJsonString())!;
    }

    [Fact]
    public void Definition_matches_the_documented_signature()
    {
        var tool = new SearchTool(index.Searcher);

        Assert.Equal("Passage[] Search(string query, int k = 3)", tool.Definition.Signature);
        Assert.Equal("public record Passage(string Id, string Title, string Text, double Score);", tool.Definition.TypeDeclarations);
    }

    [Fact]
    public async Task Json_result_round_trips_into_the_declared_Passage_record()
    {
        var tool = new SearchTool(index.Searcher);

        var passages = await InvokeAsync(tool, Arg("capital of Peru"), Arg(2));

        Assert.Equal(2, passages.Length);
        var expected = index.Searcher.Search("capital of Peru", 2);
        Assert.Equal(expected.Select(p => (p.Id, p.Title, p.Text)), passages.Select(p => (p.Id, p.Title, p.Text)));
        Assert.Equal(expected[0].Score, passages[0].Score, 3);
    }

    [Fact]
    public async Task Omitted_k_uses_the_default_and_large_k_is_capped()
    {
        var tool = new SearchTool(index.Searcher, new SearchToolOptions { DefaultK = 2, MaxK = 4 });

        Assert.Equal(2, (await InvokeAsync(tool, Arg("capital river language"))).Length);
        Assert.Equal(4, (await InvokeAsync(tool, Arg("capital river language"), Arg(50))).Length);
    }

    [Fact]
    public async Task Long_texts_are_cut()
    {
        var tool = new SearchTool(index.Searcher, new SearchToolOptions { MaxTextChars = 20 });

        var passage = (await InvokeAsync(tool, Arg("Peru"), Arg(1))).Single();

        Assert.Equal("Lima is the capital …", passage.Text);
    }

    [Fact]
    public async Task Query_with_no_match_returns_an_empty_array()
    {
        var node = await new SearchTool(index.Searcher).InvokeAsync([Arg("zzzz qqqq")], CancellationToken.None);

        Assert.Equal("[]", node!.ToJsonString());
    }

    [Theory]
    [InlineData("[]", "got 0 arguments")]
    [InlineData("[42]", "query must be a string")]
    [InlineData("[\"Peru\", \"three\"]", "k must be an integer")]
    [InlineData("[\"Peru\", 2.5]", "k must be an integer")]
    [InlineData("[\"Peru\", 0]", "k must be at least 1")]
    [InlineData("[\"Peru\", 1, 2]", "got 3 arguments")]
    public async Task Bad_arguments_raise_a_tool_error_the_agent_can_read(string argsJson, string expected)
    {
        var args = JsonSerializer.Deserialize<JsonElement[]>(argsJson)!;

        var ex = await Assert.ThrowsAsync<ToolException>(() => new SearchTool(index.Searcher).InvokeAsync(args, CancellationToken.None).AsTask());

        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void Invalid_options_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => new SearchTool(index.Searcher, new SearchToolOptions { DefaultK = 11, MaxK = 10 }));
    }
}
