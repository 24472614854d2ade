using AgentKit.Atlas.Corpus;
using AgentKit.Atlas.Data;
using AgentKit.Core.Definitions;
using AgentKit.Retrieval.Corpus;
using AgentKit.Retrieval.Indexing;
using AgentKit.Retrieval.Search;
using AgentKit.Retrieval.Tools;
using AgentKit.Sandbox;

namespace AgentKit.Atlas.Tests.Support;

/// <summary>The real components the teacher runs against: a Lucene index of the atlas corpus, the Search and Mentions tools, the out-of-process sandbox and the shipped agent definition.</summary>
public sealed class TeachingFixture : IAsyncLifetime
{
    private readonly DirectoryInfo _indexFolder = Directory.CreateTempSubdirectory("atlas-index-");
    private LuceneSearcher? _searcher;

    public CodeSandbox Sandbox { get; private set; } = null!;
    public SearchTool Search { get; private set; } = null!;
    /// <summary>The tools the atlas agent names: Search and Mentions over the same index.</summary>
    public IReadOnlyList<AgentKit.Abstractions.Tools.IAgentTool> Tools { get; private set; } = null!;
    public AgentDefinition Definition { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var data = AtlasSourceLoader.Load(Path.Combine(AtlasFixture.RepositoryRoot(), "agents", "atlas", "data", "source"));
        var passages = new AtlasCorpusBuilder().Build(data);
        new LuceneIndexBuilder().Build(passages.Select(p => new CorpusDocument(p.Id, p.Title, p.Text)), _indexFolder.FullName);
        _searcher = LuceneSearcher.Open(_indexFolder.FullName);
        Search = new SearchTool(_searcher);
        Tools = [Search, new MentionsTool(_searcher)];
        Definition = AgentDefinitionLoader.Load(Path.Combine(AtlasFixture.RepositoryRoot(), "agents", "atlas")).Definition;
        Sandbox = await CodeSandbox.StartAsync(new SandboxOptions { PoolSize = 2, Timeout = TimeSpan.FromSeconds(10) });
    }

    public async Task DisposeAsync()
    {
        await Sandbox.DisposeAsync();
        _searcher?.Dispose();
        _indexFolder.Delete(recursive: true);
    }
}
