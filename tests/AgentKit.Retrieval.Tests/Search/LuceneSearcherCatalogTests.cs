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
        using var searcher = LuceneSearcher.Open(IndexWithout(dir, "nile"));

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

    [Fact]
    public void AllTitles_lists_ids_and_titles_without_texts_and_skips_deleted_documents()
    {
        using var dir = new TempDirectory();
        using var searcher = LuceneSearcher.Open(IndexWithout(dir, "nile"));

        var titles = searcher.AllTitles().ToList();

        Assert.Equal(
            SampleCorpus.Documents.Where(d => d.Id != "nile").Select(d => (d.Id, d.Title)).OrderBy(t => t.Id, StringComparer.Ordinal),
            titles.Select(p => (p.Id, p.Title)).OrderBy(t => t.Id, StringComparer.Ordinal));
        Assert.All(titles, p => Assert.Equal("", p.Text));
    }

    [Fact]
    public void Passages_by_id_come_in_the_order_asked_with_their_texts_and_unknown_ids_left_out()
    {
        using var dir = new TempDirectory();
        new LuceneIndexBuilder().BuildFromFile(SampleCorpus.WriteTo(dir), dir.Combine("index"));
        using var searcher = LuceneSearcher.Open(dir.Combine("index"));
        var lima = SampleCorpus.Documents.Single(d => d.Id == "lima");
        var seine = SampleCorpus.Documents.Single(d => d.Id == "seine");

        var passages = searcher.Passages(["lima", "no-such-id", "seine"]);

        Assert.Equal([(lima.Id, lima.Title, lima.Text), (seine.Id, seine.Title, seine.Text)], passages.Select(p => (p.Id, p.Title, p.Text)));
        Assert.All(passages, p => Assert.Equal(0, p.Score));
    }

    [Fact]
    public void The_catalog_defaults_give_what_the_Lucene_overrides_give()
    {
        using var dir = new TempDirectory();
        new LuceneIndexBuilder().BuildFromFile(SampleCorpus.WriteTo(dir), dir.Combine("index"));
        using var searcher = LuceneSearcher.Open(dir.Combine("index"));
        IPassageCatalog listOnly = new ListCatalog([.. searcher.AllPassages()]);

        Assert.Equal(searcher.AllTitles(), listOnly.AllTitles());
        Assert.Equal(searcher.Passages(["seine", "missing", "lima"]), listOnly.Passages(["seine", "missing", "lima"]));
    }

    /// <summary>A catalog that implements only <see cref="IPassageCatalog.AllPassages"/>, as a user's store might.</summary>
    private sealed class ListCatalog(IReadOnlyList<Passage> passages) : IPassageCatalog
    {
        public IEnumerable<Passage> AllPassages() => passages;
    }

    /// <summary>The sample corpus indexed in <paramref name="dir"/>, then the document <paramref name="id"/> deleted; returns the index folder.</summary>
    private static string IndexWithout(TempDirectory dir, string id)
    {
        var indexDir = dir.Combine("index");
        new LuceneIndexBuilder().BuildFromFile(SampleCorpus.WriteTo(dir), indexDir);
        using var directory = FSDirectory.Open(indexDir);
        using var analyzer = IndexFields.CreateAnalyzer();
        using var writer = new IndexWriter(directory, new IndexWriterConfig(IndexFields.Version, analyzer));
        writer.DeleteDocuments(new Term(IndexFields.Id, id));
        writer.Commit();
        return indexDir;
    }
}
