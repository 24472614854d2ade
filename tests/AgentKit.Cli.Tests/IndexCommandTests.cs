using System.Text.Json;
using static AgentKit.Cli.Tests.CliRun;

namespace AgentKit.Cli.Tests;

public sealed class IndexCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "agentkit-cli-index-" + Guid.NewGuid().ToString("N"));

    public IndexCommandTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    internal static string WriteCorpus(string dir, string name = "corpus.jsonl", string? extraLine = null)
    {
        var path = Path.Combine(dir, name);
        File.WriteAllLines(path,
        [
            """{"id":"lima","title":"Lima","text":"Lima is the capital and largest city of Peru."}""",
            """{"id":"paris","title":"Paris","text":"Paris is the capital of France."}""",
            """{"id":"nile","title":"Nile","text":"The Nile is a river in Africa."}""",
            .. extraLine is null ? Array.Empty<string>() : [extraLine],
        ]);
        return path;
    }

    [Fact]
    public async Task Json_reports_documents_time_and_size_of_a_searchable_index()
    {
        var corpus = WriteCorpus(_dir);
        var index = Path.Combine(_dir, "index");

        var (exit, stdout, stderr) = await RunAsync("index", "--corpus", corpus, "--out", index, "--json");

        Assert.True(exit == 0, stderr);
        using var json = JsonDocument.Parse(stdout); // stdout holds exactly one JSON document
        Assert.Equal(3, json.RootElement.GetProperty("documents").GetInt64());
        Assert.True(json.RootElement.GetProperty("size_bytes").GetInt64() > 0);
        Assert.True(json.RootElement.GetProperty("seconds").GetDouble() >= 0);
        Assert.Equal(Path.GetFullPath(index), json.RootElement.GetProperty("index").GetString());
        Assert.True(File.Exists(Path.Combine(index, "agentkit-index.json")));
    }

    [Fact]
    public async Task Human_output_ends_with_a_table_of_figures()
    {
        var corpus = WriteCorpus(_dir);

        var (exit, stdout, stderr) = await RunAsync("index", "--corpus", corpus, "--out", Path.Combine(_dir, "index"));

        Assert.True(exit == 0, stderr);
        Assert.Contains("documents", stdout);
        Assert.Contains("index size", stdout);
        Assert.Contains("KiB", stdout);
    }

    [Fact]
    public async Task Malformed_corpus_exits_1_naming_the_line()
    {
        var corpus = WriteCorpus(_dir, extraLine: """{"id":"x","title":"no text"}""");

        var (exit, stdout, stderr) = await RunAsync("index", "--corpus", corpus, "--out", Path.Combine(_dir, "index"), "--json");

        Assert.Equal(1, exit);
        Assert.Contains("line 4", stderr);
        Assert.Contains("missing field \"text\"", stderr);
        Assert.Equal("", stdout);
        Assert.False(Directory.Exists(Path.Combine(_dir, "index")));
    }

    [Fact]
    public async Task Missing_corpus_exits_2()
    {
        var (exit, _, stderr) = await RunAsync("index", "--corpus", Path.Combine(_dir, "missing.jsonl"), "--out", Path.Combine(_dir, "index"));

        Assert.Equal(2, exit);
        Assert.Contains("corpus file not found", stderr);
    }

    [Fact]
    public async Task Output_directory_with_other_files_exits_2_and_is_left_alone()
    {
        var corpus = WriteCorpus(_dir);
        var notes = Path.Combine(_dir, "notes.txt");
        File.WriteAllText(notes, "mine");

        var (exit, _, stderr) = await RunAsync("index", "--corpus", corpus, "--out", _dir);

        Assert.Equal(2, exit);
        Assert.Contains("not empty and does not hold an index", stderr);
        Assert.Equal("mine", File.ReadAllText(notes));
    }

    [Fact]
    public async Task Missing_required_options_exit_2()
    {
        Assert.Equal(2, (await RunAsync("index", "--out", Path.Combine(_dir, "index"))).Exit);
        Assert.Equal(2, (await RunAsync("index", "--corpus", WriteCorpus(_dir))).Exit);
    }
}
