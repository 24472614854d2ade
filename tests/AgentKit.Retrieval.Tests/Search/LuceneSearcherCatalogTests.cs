using AgentKit.Retrieval.Indexing;
using AgentKit.Retrieval.Search;
using AgentKit.Retrieval.Tests.Support;
using Lucene.Net.Index;
using Lucene.Net.Store;

namespace AgentKit.Retrieval.Tests.Search;

public sealed class LuceneSearcherCatalogTests
{
    [Fact]
    public void AllPassages_lists_every_stored_document_with_score_zero()
    {
        using var dir = new TempDirectory();
        new LuceneIndexBuilder().BuildFromFile(SampleCorpus.WriteTo(dir), dir.Combine("index"));
        using var searcher = LuceneSearcher.Open(dir.Combine("index"));

        var passages = searcher.AllPassages().ToList();

        Assert.Equal(
            SampleCorpus.Documents.Select(d => (d.Id, d.Title, d.Text)).OrderBy(t => t.Id, StringComparer.Ordinal),
            passages.Select(p => (p.Id, p.Title, p.Text)).OrderBy(t => t.Id, StringComparer.Ordinal));
        Assert.All(passages, p => Assert.Equal(0, p.Score));
    }

    [Fact]
    public void AllPassages_skips_deleted_documents()
    {
        using var dir = new TempDirectory();
        var indexDir = dir.Combine("index");
        new LuceneIndexBuilder().BuildFromFile(SampleCorpus.WriteTo(dir), indexDir);
        using (var directory = FSDirectory.Open(indexDir))
        using (var analyzer = IndexFields.CreateAnalyzer())
        using (var writer = new IndexWriter(directory, new IndexWriterConfig(IndexFields.Version, analyzer)))
        {
            writer.DeleteDocuments(new Term(IndexFields.Id, "nile"));
            writer.Commit();
        }
        using var searcher = LuceneSearcher.Open(indexDir);

        var ids = searcher.AllPassages().Select(p => p.Id).ToList();

        Assert.Equal(SampleCorpus.Documents.Length - 1, ids.Count);
        Assert.DoesNotContain("nile", ids);
    }

    [Fact]
    public void AllPassages_after_dispose_throws()
    {
        using var dir = new TempDirectory();
        new LuceneIndexBuilder().BuildFromFile(SampleCorpus.WriteTo(dir), dir.Combine("index"));
        var searcher = LuceneSearcher.Open(dir.Combine("index"));
        searcher.Dispose();

        Assert.Throws<ObjectDisposedException>(() => searcher.AllPassages());
    }
}
