using System.Text.Json;
using AgentKit.Hosting;
using AgentKit.Core.Definitions;
using AgentKit.Retrieval.Tools;

namespace AgentKit.Hosting.Tests;

public sealed class AgentToolFactoryTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("agentkit-toolfactory-").FullName;

    public AgentToolFactoryTests()
    {
        File.WriteAllLines(Path.Combine(_dir, "corpus.jsonl"),
        [
            """{"id":"country/niger","title":"Niger","text":"Niger is a country in Africa."}""",
            """{"id":"country/nigeria","title":"Nigeria","text":"Nigeria is a country in Africa."}""",
            """{"id":"capital/niamey","title":"Niamey","text":"Niamey is the capital of Niger."}""",
        ]);
    }

    private LoadedAgent Agent(IReadOnlyList<string> tools, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> settings) =>
        new(new AgentDefinition { Name = "t", Tools = tools, ToolSettings = settings, Model = new AgentModelOptions { Path = "model.gguf" } }, _dir);

    private static Dictionary<string, string> Corpus => new() { ["corpus"] = "corpus.jsonl", ["index"] = "index" };

    [Fact]
    public async Task Search_and_Mentions_over_one_corpus_share_one_index()
    {
        using var factory = new AgentToolFactory();

        var tools = factory.Create(Agent(["Search", "Mentions"], new Dictionary<string, IReadOnlyDictionary<string, string>> { ["Search"] = Corpus, ["mentions"] = Corpus }));

        Assert.Equal(["Search", "Mentions"], tools.Select(t => t.Definition.Name));
        Assert.IsType<MentionsTool>(tools[1]);
        Assert.Equal(1, factory.OpenedIndexCount);
        Assert.Equal(tools[0].Definition.TypeDeclarations, tools[1].Definition.TypeDeclarations);
        var found = await tools[1].InvokeAsync([JsonSerializer.SerializeToElement("Is Niamey in Niger or Nigeria?")], CancellationToken.None);
        Assert.Equal(["capital/niamey", "country/niger", "country/nigeria"], found!.AsArray().Select(p => (string)p!["Id"]!));
        // The finder holds titles only; the texts come from the index.
        Assert.All(found.AsArray(), p => Assert.False(string.IsNullOrEmpty((string)p!["Text"]!), $"{p!["Id"]} has no text"));
    }

    [Fact]
    public void Mentions_without_settings_names_the_missing_setting()
    {
        using var factory = new AgentToolFactory();

        var error = Assert.Throws<InvalidDataException>(() => factory.Create(Agent(["Mentions"], new Dictionary<string, IReadOnlyDictionary<string, string>>())));

        Assert.Contains("tool_settings.Mentions.corpus", error.Message);
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { /* a leftover temp folder is harmless */ }
    }
}
