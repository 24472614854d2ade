using AgentKit.Retrieval.Corpus;
using AgentKit.Retrieval.Tests.Support;

namespace AgentKit.Retrieval.Tests.Corpus;

public sealed class SyntheticCorpusTests
{
    private static readonly SyntheticCorpusOptions Small = new() { Passages = 500, VocabularySize = 2000, WordsPerPassage = 40 };

    [Fact]
    public void Same_seed_gives_the_same_corpus_and_another_seed_another()
    {
        var a = new SyntheticCorpus(Small).Documents().ToList();
        var b = new SyntheticCorpus(Small).Documents().ToList();
        var c = new SyntheticCorpus(Small with { Seed = 19 }).Documents().ToList();

        Assert.Equal(a, b);
        Assert.NotEqual(a.Select(d => d.Text), c.Select(d => d.Text));
        Assert.Equal(Enumerable.Range(1, 500).Select(i => i.ToString()), a.Select(d => d.Id));
        Assert.All(a, d => Assert.InRange(d.Text.Split(' ').Length, 40, 42)); // 40 words; a passage opening an article starts with its title
        Assert.True(a.Select(d => d.Title).Distinct().Count() is > 40 and < 500, "articles span several passages");
    }

    [Fact]
    public void Word_frequencies_fall_off_like_a_zipf_law()
    {
        var counts = new SyntheticCorpus(Small with { Passages = 2000 }).Documents()
            .SelectMany(d => d.Text.ToLowerInvariant().Split(' ', '.', '"'))
            .Where(w => w.Length > 0).GroupBy(w => w).Select(g => g.Count()).OrderDescending().ToList();

        // s = 1: the top word is about twice the second and ten times the tenth.
        Assert.InRange((double)counts[0] / counts[1], 1.5, 2.6);
        Assert.InRange((double)counts[0] / counts[9], 6, 14);
    }

    [Fact]
    public void Tsv_and_jsonl_files_read_back_identical()
    {
        using var dir = new TempDirectory();
        var documents = new SyntheticCorpus(Small).Documents().ToList();
        Assert.Contains(documents, d => d.Text.Contains('"'));

        foreach (var format in new[] { CorpusFormat.Tsv, CorpusFormat.Jsonl })
        {
            var path = dir.Combine(format == CorpusFormat.Tsv ? "c.tsv" : "c.jsonl");
            Assert.Equal(500, CorpusWriter.Write(documents, path, format));
            using var reader = CorpusReader.OpenFile(path);
            Assert.Equal(documents, reader.ReadDocuments());
        }
    }

    [Fact]
    public void Queries_are_deterministic()
    {
        var queries = new SyntheticCorpus(Small).Queries(20);
        Assert.Equal(queries, new SyntheticCorpus(Small).Queries(20));
        Assert.All(queries, q => Assert.InRange(q.Split(' ').Length, 3, 6));
    }
}
