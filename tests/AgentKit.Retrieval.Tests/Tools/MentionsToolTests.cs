using System.Text.Json;
using AgentKit.Abstractions.Tools;
using AgentKit.Retrieval.Search;
using AgentKit.Retrieval.Tests.Support;
using AgentKit.Retrieval.Tools;

namespace AgentKit.Retrieval.Tests.Tools;

public sealed class MentionsToolTests(IndexFixture index) : IClassFixture<IndexFixture>
{
    private static readonly AgentKit.Retrieval.Search.Passage[] Countries =
    [
        new("country/niger", "Niger", "Niger is a landlocked country in West Africa; its capital is Niamey.", 0),
        new("country/nigeria", "Nigeria", "Nigeria is the most populous country in Africa.", 0),
        new("country/guinea", "Guinea", "Guinea is a country in West Africa.", 0),
        new("country/equatorial-guinea", "Equatorial Guinea", "Equatorial Guinea is a country in Central Africa.", 0),
        new("capital/niamey", "Niamey", "Niamey is the capital of Niger.", 0),
    ];

    private static JsonElement Arg<T>(T value) => JsonSerializer.SerializeToElement(value);

    private static async Task<Passage[]> InvokeAsync(IAgentTool tool, params JsonElement[] args)
    {
        var node = await tool.InvokeAsync(args, CancellationToken.None);
        // Exactly what crosses the sandbox: JSON text, read back with default (case-sensitive) options.
        return JsonSerializer.Deserialize<Passage[]>(node!.ToJsonString())!;
    }

    private static MentionsTool CountryTool(MentionsToolOptions? options = null) => new(new TitleMentionFinder(Countries), options);

    [Fact]
    public void Definition_matches_the_documented_signature_and_shares_the_Search_record()
    {
        var tool = CountryTool();

        Assert.Equal("Passage[] Mentions(string text, string idPrefix = \"\")", tool.Definition.Signature);
        Assert.Equal(new SearchTool(index.Searcher).Definition.TypeDeclarations, tool.Definition.TypeDeclarations);
        Assert.Equal("Passage[]", tool.Definition.ReturnType);
    }

    [Fact]
    public async Task Json_result_round_trips_into_the_declared_Passage_record()
    {
        var passages = await InvokeAsync(CountryTool(), Arg("Is Equatorial Guinea bigger than Niger?"));

        Assert.Equal(
            [
                new Passage("country/equatorial-guinea", "Equatorial Guinea", "Equatorial Guinea is a country in Central Africa.", 0),
                new Passage("country/niger", "Niger", "Niger is a landlocked country in West Africa; its capital is Niamey.", 0),
            ],
            passages);
    }

    [Fact]
    public async Task IdPrefix_keeps_only_matching_ids()
    {
        var tool = CountryTool();

        Assert.Equal(["capital/niamey"], (await InvokeAsync(tool, Arg("Is Niamey in Niger?"), Arg("capital/"))).Select(p => p.Id));
        Assert.Equal(["capital/niamey", "country/niger"], (await InvokeAsync(tool, Arg("Is Niamey in Niger?"), Arg(""))).Select(p => p.Id));
    }

    [Fact]
    public async Task Results_are_capped_in_order_of_mention()
    {
        var tool = CountryTool(new MentionsToolOptions { MaxResults = 2 });

        var passages = await InvokeAsync(tool, Arg("Guinea, Nigeria, Niger and Niamey"));

        Assert.Equal(["country/guinea", "country/nigeria"], passages.Select(p => p.Id));
    }

    [Fact]
    public async Task Long_texts_are_cut_like_Search_cuts_them()
    {
        var tool = CountryTool(new MentionsToolOptions { MaxTextChars = 20 });

        var passage = (await InvokeAsync(tool, Arg("Nigeria"))).Single();

        Assert.Equal("Nigeria is the most …", passage.Text);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("What is the capital of Peru?")]
    public async Task Text_with_no_mention_returns_an_empty_array(string text)
    {
        var node = await CountryTool().InvokeAsync([Arg(text)], CancellationToken.None);

        Assert.Equal("[]", node!.ToJsonString());
    }

    [Fact]
    public async Task A_finder_without_a_text_source_answers_with_its_own_passages()
    {
        var tool = new MentionsTool(new TitleMentionFinder(Countries), null); // compiles: no overload takes (finder, null) ambiguously

        var passage = (await InvokeAsync(tool, Arg("Nigeria"))).Single();

        Assert.Equal((Countries[1].Id, Countries[1].Title, Countries[1].Text), (passage.Id, passage.Title, passage.Text));
    }

    [Fact]
    public async Task Works_over_a_Lucene_index()
    {
        var tool = new MentionsTool(index.Searcher);

        var passages = await InvokeAsync(tool, Arg("Does the Seine reach Paris? And Lima?"));

        Assert.Equal(["seine", "paris", "lima"], passages.Select(p => p.Id));
        Assert.Equal(SampleCorpus.Documents.Single(d => d.Id == "lima").Text, passages[2].Text);
        Assert.All(passages, p => Assert.Equal(0, p.Score));
    }

    [Theory]
    [InlineData("[]", "got 0 arguments")]
    [InlineData("[42]", "text must be a string")]
    [InlineData("[null]", "text must be a string")]
    [InlineData("[\"Niger\", 3]", "idPrefix must be a string")]
    [InlineData("[\"Niger\", null]", "idPrefix must be a string")]
    [InlineData("[\"Niger\", \"\", 1]", "got 3 arguments")]
    public async Task Bad_arguments_raise_a_tool_error_the_agent_can_read(string argsJson, string expected)
    {
        var args = JsonSerializer.Deserialize<JsonElement[]>(argsJson)!;

        var ex = await Assert.ThrowsAsync<ToolException>(() => CountryTool().InvokeAsync(args, CancellationToken.None).AsTask());

        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void Invalid_options_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => CountryTool(new MentionsToolOptions { MaxResults = 0 }));
        Assert.Throws<ArgumentException>(() => CountryTool(new MentionsToolOptions { MaxTextChars = 15 }));
    }
}
