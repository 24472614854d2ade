using System.Text.Json;
using static AgentKit.Cli.Tests.CliRun;

namespace AgentKit.Cli.Tests;

public sealed class SearchCommandTests : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "agentkit-cli-search-" + Guid.NewGuid().ToString("N"));
    private string _index = "";

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        _index = Path.Combine(_dir, "index");
        var corpus = IndexCommandTests.WriteCorpus(_dir);
        var exit = await CliApp.RunAsync(["index", "--corpus", corpus, "--out", _index, "--json"], new StringWriter(), new StringWriter());
        Assert.Equal(0, exit);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_dir, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Json_lists_ranked_hits_with_elapsed_time()
    {
        var (exit, stdout, stderr) = await RunAsync("search", "--index", _index, "--k", "2", "--json", "capital of Peru");

        Assert.True(exit == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal("capital of Peru", root.GetProperty("query").GetString());
        Assert.True(root.GetProperty("elapsed_ms").GetDouble() >= 0);
        var hits = root.GetProperty("hits").EnumerateArray().ToList();
        Assert.Equal(2, hits.Count);
        Assert.Equal("lima", hits[0].GetProperty("id").GetString());
        Assert.Equal("Lima", hits[0].GetProperty("title").GetString());
        Assert.StartsWith("Lima is the capital", hits[0].GetProperty("text").GetString());
        Assert.True(hits[0].GetProperty("score").GetDouble() > hits[1].GetProperty("score").GetDouble());
    }

    [Fact]
    public async Task Unquoted_words_form_one_query_and_syntax_characters_are_plain_text()
    {
        var (exit, stdout, stderr) = await RunAsync("search", "--index", _index, "--json", "\"AND", "(Peru:", "capital*");

        Assert.True(exit == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal("\"AND (Peru: capital*", json.RootElement.GetProperty("query").GetString());
        Assert.Equal("lima", json.RootElement.GetProperty("hits")[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task Human_output_is_a_table_of_hits()
    {
        var (exit, stdout, stderr) = await RunAsync("search", "--index", _index, "river");

        Assert.True(exit == 0, stderr);
        Assert.Contains("nile", stdout);
        Assert.Contains("1 hits in", stdout);
        Assert.DoesNotContain("lima", stdout);
    }

    [Fact]
    public async Task No_match_gives_an_empty_hit_list()
    {
        var (exit, stdout, _) = await RunAsync("search", "--index", _index, "--json", "zzzz");

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal(0, json.RootElement.GetProperty("hits").GetArrayLength());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    public async Task K_below_one_exits_2(string k)
    {
        var (exit, stdout, stderr) = await RunAsync("search", "--index", _index, "--k", k, "--json", "Peru");

        Assert.Equal(2, exit);
        Assert.Contains("--k must be at least 1", stderr);
        Assert.Equal("", stdout);
    }

    [Fact]
    public async Task Directory_without_an_index_exits_2()
    {
        var (exit, _, stderr) = await RunAsync("search", "--index", _dir, "Peru");

        Assert.Equal(2, exit);
        Assert.Contains("is not an index directory", stderr);
    }

    [Fact]
    public async Task Missing_index_directory_exits_2()
    {
        var (exit, _, stderr) = await RunAsync("search", "--index", Path.Combine(_dir, "nope"), "Peru");

        Assert.Equal(2, exit);
        Assert.Contains("index directory not found", stderr);
    }

    [Fact]
    public async Task Missing_query_or_non_numeric_k_exits_2()
    {
        Assert.Equal(2, (await RunAsync("search", "--index", _index)).Exit);
        Assert.Equal(2, (await RunAsync("search", "--index", _index, "--k", "three", "Peru")).Exit);
    }
}
