using AgentKit.Retrieval.Corpus;
using AgentKit.Retrieval.Indexing;

namespace AgentKit.SemanticKernel.Tests.Support;

/// <summary>A three-passage Lucene index in a temp directory, deleted on dispose.</summary>
public sealed class TestIndex : IDisposable
{
    public TestIndex()
    {
        new LuceneIndexBuilder().Build(
        [
            new CorpusDocument("lima", "Lima", "Lima is the capital and largest city of Peru."),
            new CorpusDocument("paris", "Paris", "Paris is the capital of France."),
            new CorpusDocument("nile", "Nile", "The Nile is a river in Africa."),
        ], Directory);
    }

    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "agentkit-sk-index-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try { System.IO.Directory.Delete(Directory, recursive: true); }
        catch (IOException) { /* best effort */ }
    }
}
