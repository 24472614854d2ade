using AgentKit.Retrieval.Corpus;
using AgentKit.Retrieval.Indexing;
using AgentKit.Retrieval.Search;
using AgentKit.Retrieval.Tests.Support;

namespace AgentKit.Retrieval.Tests.Indexing;

/// <summary>Checkpoints, resume after an interruption, and the multi-threaded build, on a small generated corpus.</summary>
public sealed class ResumableBuildTests
{
    private const int Passages = 1200;
    private static readonly SyntheticCorpus Corpus = new(new SyntheticCorpusOptions { Passages = Passages, VocabularySize = 3000, WordsPerPassage = 30 });

    private static string WriteCorpus(TempDirectory dir, string name = "psgs.tsv")
    {
        var path = dir.Combine(name);
        CorpusWriter.Write(Corpus.Documents(), path, CorpusFormat.Tsv);
        return path;
    }

    private static LuceneIndexBuilder Builder(int threads = 1, int commitInterval = 100) =>
        new(new LuceneIndexOptions { Threads = threads, CommitInterval = commitInterval, ProgressInterval = 50 });

    /// <summary>
    /// Every match of a handful of queries with its score, ordered by score then id: equal lists mean the same documents
    /// and statistics. (Documents with equal scores may come in another order when threads interleave them.)
    /// </summary>
    private static List<string> Results(string index)
    {
        using var searcher = LuceneSearcher.Open(index, new LuceneSearchOptions { MaxK = Passages });
        Assert.Equal(Passages, searcher.DocumentCount);
        return Corpus.Queries(15).SelectMany(q => searcher.Search(q, Passages)
            .OrderByDescending(p => Math.Round(p.Score, 4)).ThenBy(p => p.Id, StringComparer.Ordinal)
            .Select(p => $"{p.Id}:{p.Title}:{p.Text.Length}:{p.Score:F4}")).ToList();
    }

    /// <summary>Cancels the build once the given number of passages has been handed to the writer.</summary>
    private sealed class CancelAt(CancellationTokenSource cts, long documents) : IProgress<IndexProgress>
    {
        public void Report(IndexProgress value)
        {
            if (value.Documents >= documents)
                cts.Cancel();
        }
    }

    private static string Interrupt(TempDirectory dir, string corpus, long at, int threads = 1)
    {
        var index = dir.Combine("resumed");
        using var cts = new CancellationTokenSource();
        Assert.ThrowsAny<OperationCanceledException>(() => Builder(threads).BuildFromFile(corpus, index, new CancelAt(cts, at), cts.Token));
        return index;
    }

    [Fact]
    public void A_cancelled_build_resumes_to_the_same_index_as_an_uninterrupted_one()
    {
        using var dir = new TempDirectory();
        var corpus = WriteCorpus(dir);
        var whole = dir.Combine("whole");
        Builder().BuildFromFile(corpus, whole);

        var index = Interrupt(dir, corpus, at: 750);
        var checkpoint = LuceneIndexBuilder.ReadLastCheckpoint(index);
        Assert.NotNull(checkpoint);
        Assert.False(checkpoint.Complete);
        Assert.Equal(700, checkpoint.Passages); // the last checkpoint before the cancellation; the rest was rolled back
        Assert.Null(IndexManifest.TryRead(index));
        var refused = Assert.Throws<InvalidDataException>(() => LuceneSearcher.Open(index));
        Assert.Contains("interrupted build", refused.Message);

        var result = Builder().BuildFromFile(corpus, index);

        Assert.Equal(700, result.ResumedFrom);
        Assert.Equal(Passages, result.Documents);
        Assert.Equal(Passages, IndexManifest.TryRead(index)!.Documents);
        Assert.Equal(Results(whole), Results(index));
    }

    [Fact]
    public void A_changed_corpus_is_refused_and_a_restart_builds_it_afresh()
    {
        using var dir = new TempDirectory();
        var corpus = WriteCorpus(dir);
        var index = Interrupt(dir, corpus, at: 300);
        File.AppendAllText(corpus, "99999\t\"one more passage\"\tExtra\n");

        var ex = Assert.Throws<CorpusChangedException>(() => Builder().BuildFromFile(corpus, index));
        Assert.Contains("interrupted build of psgs.tsv (300 passages committed)", ex.Message);
        Assert.Contains("--restart", ex.Message);

        var result = new LuceneIndexBuilder(new LuceneIndexOptions { Resume = false }).BuildFromFile(corpus, index);
        Assert.Equal(0, result.ResumedFrom);
        Assert.Equal(Passages + 1, result.Documents);
    }

    [Fact]
    public void Several_threads_index_the_same_documents_as_one()
    {
        using var dir = new TempDirectory();
        var corpus = WriteCorpus(dir);
        Builder(threads: 1).BuildFromFile(corpus, dir.Combine("one"));

        var result = Builder(threads: 3, commitInterval: 250).BuildFromFile(corpus, dir.Combine("three"));

        Assert.Equal(3, result.Threads);
        Assert.Equal(Results(dir.Combine("one")), Results(dir.Combine("three")));
        using var searcher = LuceneSearcher.Open(dir.Combine("three"));
        Assert.Equal(Enumerable.Range(1, Passages).Select(i => i.ToString()).Order(), searcher.AllPassages().Select(p => p.Id).Order());
    }

    [Fact]
    public void A_multi_threaded_build_resumes_too()
    {
        using var dir = new TempDirectory();
        var corpus = WriteCorpus(dir);
        var index = Interrupt(dir, corpus, at: 520, threads: 2);

        var result = Builder(threads: 2).BuildFromFile(corpus, index);

        Assert.Equal(500, result.ResumedFrom);
        using var searcher = LuceneSearcher.Open(index);
        Assert.Equal(Enumerable.Range(1, Passages).Select(i => i.ToString()).Order(), searcher.AllPassages().Select(p => p.Id).Order());
    }

    [Fact]
    public void A_repeated_id_fails_the_build_naming_it()
    {
        using var dir = new TempDirectory();
        var corpus = dir.Combine("dup.tsv");
        File.WriteAllText(corpus, "id\ttext\ttitle\n1\t\"alpha\"\tA\n2\t\"beta\"\tB\n1\t\"gamma\"\tC\n");

        var ex = Assert.Throws<InvalidDataException>(() => Builder().BuildFromFile(corpus, dir.Combine("index")));

        Assert.Contains("the id \"1\" occurs more than once", ex.Message);
        Assert.False(Directory.Exists(dir.Combine("index")));
    }
}
