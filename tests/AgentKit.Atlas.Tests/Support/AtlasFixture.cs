using System.Text.Json;
using AgentKit.Atlas.Corpus;
using AgentKit.Atlas.Data;
using AgentKit.Atlas.Questions;

namespace AgentKit.Atlas.Tests.Support;

/// <summary>
/// The atlas built once from the repository's own copy of the source data (agents/atlas/data/source, never
/// the shared data folder): facts, corpus and a question set with the default options.
/// </summary>
public sealed class AtlasFixture
{
    public AtlasFixture()
    {
        SourceFolder = Path.Combine(RepositoryRoot(), "agents", "atlas", "data", "source");
        Data = AtlasSourceLoader.Load(SourceFolder);
        Passages = new AtlasCorpusBuilder().Build(Data);
        Generator = new AtlasQuestionGenerator();
        Questions = Generator.Generate(Data);
    }

    public string SourceFolder { get; }
    public AtlasData Data { get; }
    public IReadOnlyList<AtlasPassage> Passages { get; }
    public AtlasQuestionGenerator Generator { get; }
    public IReadOnlyList<AtlasQuestion> Questions { get; }

    public CountryFacts Country(string name) => Data.Find(name) ?? throw new InvalidOperationException($"No country {name}.");

    public AtlasPassage Passage(string title) => Passages.Single(p => p.Title == title);

    /// <summary>The raw value of <paramref name="property"/> for <paramref name="country"/> in a source file, read independently of the loader.</summary>
    public JsonElement RawValue(string file, string country, string property)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(SourceFolder, file)));
        return doc.RootElement.EnumerateArray().Single(e => e.GetProperty("country").GetString() == country).GetProperty(property).Clone();
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AgentKit.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("AgentKit.sln not found above the test directory.");
    }
}

[CollectionDefinition(Name)]
public sealed class AtlasCollection : ICollectionFixture<AtlasFixture>
{
    public const string Name = "atlas";
}
