using AgentKit.Retrieval.Corpus;
using AgentKit.Retrieval.Indexing;
using AgentKit.Retrieval.Search;
using AgentKit.Retrieval.Tests.Support;

namespace AgentKit.Retrieval.Tests.Indexing;

public sealed class LuceneIndexBuilderTests
{
    /// <summary>Collects reports synchronously (Progress&lt;T&gt; would post them to the thread pool).</summary>
    private sealed class ListProgress : IProgress<IndexProgress>
    {
        public List<IndexProgress> Reports { get; } = [];
        public void Report(IndexProgress value) => Reports.Add(value);
    }

    [Fact]
    public void Builds_an_index_with_manifest_and_reports_progress()
    {
        using var dir = new TempDirectory();
        var corpus = SampleCorpus.WriteTo(dir);
        var progress = new ListProgress();

        var result = new LuceneIndexBuilder(new LuceneIndexOptions { ProgressInterval = 5 })
            .BuildFromFile(corpus, dir.Combine("index"), progress);

        Assert.Equal(SampleCorpus.Documents.Length, result.Documents);
        Assert.True(result.SizeBytes > 0);
        Assert.True(LuceneSearcher.IsIndex(dir.Combine("index")));
        // Every 5 documents, then a final report at 100%.
        Assert.Equal([5L, 10L, 12L], progress.Reports.Select(r => r.Documents));
        Assert.Equal(1.0, progress.Reports[^1].Fraction);
        Assert.All(progress.Reports, r => Assert.InRange(r.Fraction!.Value, 0.0, 1.0));

        var manifest = IndexManifest.TryRead(dir.Combine("index"));
        Assert.NotNull(manifest);
        Assert.Equal(SampleCorpus.Documents.Length, manifest.Documents);
        Assert.Equal("corpus.jsonl", manifest.Corpus);
    }

    [Fact]
    public void Malformed_corpus_fails_naming_the_line_and_leaves_no_index()
    {
        using var dir = new TempDirectory();
        var corpus = dir.Combine("bad.jsonl");
        File.WriteAllText(corpus, SampleCorpus.ToJsonl(SampleCorpus.Documents.Take(4)) + "{\"id\": \"x\", \"title\": \"oops\"}\n");

        var ex = Assert.Throws<CorpusFormatException>(() => new LuceneIndexBuilder().BuildFromFile(corpus, dir.Combine("index")));

        Assert.Equal(5, ex.Line);
        Assert.False(Directory.Exists(dir.Combine("index")), "a failed build into a new directory removes it");
    }

    [Fact]
    public void Rebuilding_replaces_an_existing_index()
    {
        using var dir = new TempDirectory();
        var index = dir.Combine("index");
        new LuceneIndexBuilder().Build(SampleCorpus.Documents, index);

        var result = new LuceneIndexBuilder().Build([new CorpusDocument("only", "Only", "a single document")], index);

        Assert.Equal(1, result.Documents);
        using var searcher = LuceneSearcher.Open(index);
        Assert.Equal(1, searcher.DocumentCount);
        Assert.Empty(searcher.Search("Peru", 3));
    }

    [Fact]
    public void Failed_rebuild_keeps_the_previous_index()
    {
        using var dir = new TempDirectory();
        var index = dir.Combine("index");
        new LuceneIndexBuilder().Build(SampleCorpus.Documents, index);
        var bad = dir.Combine("bad.jsonl");
        File.WriteAllText(bad, "{\"id\":\"a\",\"title\":\"A\",\"text\":\"x\"}\nnot json\n");

        Assert.Throws<CorpusFormatException>(() => new LuceneIndexBuilder().BuildFromFile(bad, index));

        using var searcher = LuceneSearcher.Open(index);
        Assert.Equal(SampleCorpus.Documents.Length, searcher.DocumentCount);
        Assert.Equal("lima", searcher.Search("Peru", 1).Single().Id);
    }

    [Fact]
    public void Refuses_a_directory_holding_other_files()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("notes.txt"), "mine");

        var ex = Assert.Throws<IOException>(() => new LuceneIndexBuilder().Build(SampleCorpus.Documents, dir.Path));

        Assert.Contains("not empty and does not hold an index", ex.Message);
        Assert.True(File.Exists(dir.Combine("notes.txt")));
    }

    [Fact]
    public void Cancellation_rolls_the_build_back()
    {
        using var dir = new TempDirectory();
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        Assert.Throws<OperationCanceledException>(() =>
            new LuceneIndexBuilder().Build(SampleCorpus.Documents, dir.Path, cancellationToken: cts.Token));
        Assert.False(LuceneSearcher.IsIndex(dir.Path));
        Assert.True(Directory.Exists(dir.Path), "an existing directory is kept");
    }

    [Theory]
    [InlineData(0.5, 1000)]
    [InlineData(64, 0)]
    public void Invalid_options_are_rejected_at_construction(double ramMb, int interval)
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            new LuceneIndexBuilder(new LuceneIndexOptions { RamBufferSizeMb = ramMb, ProgressInterval = interval }));
        Assert.Contains("must be", ex.Message);
    }
}
