using AgentKit.Retrieval.Indexing;
using AgentKit.Retrieval.Search;

namespace AgentKit.Retrieval.Tests.Support;

/// <summary>Builds one index over <see cref="SampleCorpus"/> per test class and opens a searcher on it.</summary>
public sealed class IndexFixture : IDisposable
{
    private readonly TempDirectory _dir = new();

    public IndexFixture()
    {
        IndexDirectory = _dir.Combine("index");
        var corpus = SampleCorpus.WriteTo(_dir);
        BuildResult = new LuceneIndexBuilder().BuildFromFile(corpus, IndexDirectory);
        Searcher = LuceneSearcher.Open(IndexDirectory);
    }

    public string IndexDirectory { get; }

    public IndexBuildResult BuildResult { get; }

    public LuceneSearcher Searcher { get; }

    public void Dispose()
    {
        Searcher.Dispose();
        _dir.Dispose();
    }
}
