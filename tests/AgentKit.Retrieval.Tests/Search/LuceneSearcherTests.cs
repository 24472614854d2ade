using System.Collections.Concurrent;
using AgentKit.Retrieval.Indexing;
using AgentKit.Retrieval.Search;
using AgentKit.Retrieval.Tests.Support;

namespace AgentKit.Retrieval.Tests.Search;

public sealed class LuceneSearcherTests(IndexFixture index) : IClassFixture<IndexFixture>
{
    private readonly LuceneSearcher _searcher = index.Searcher;

    [Theory]
    [InlineData("capital of Peru", "lima")]
    [InlineData("Inca Empire Andes", "cusco")]
    [InlineData("highest mountain", "everest")]
    [InlineData("statically typed language Microsoft", "csharp")]
    [InlineData("river flowing into the Mediterranean", "nile")]
    public void Passage_containing_the_query_terms_ranks_first(string query, string expectedId)
    {
        var hits = _searcher.Search(query, 5);

        Assert.Equal(expectedId, hits[0].Id);
        Assert.True(hits.Count == 1 || hits[0].Score > hits[1].Score, "the best hit should score strictly higher than the runner-up");
        Assert.Equal(hits.OrderByDescending(h => h.Score).Select(h => h.Id), hits.Select(h => h.Id));
    }

    [Fact]
    public void Hits_carry_stored_title_and_text()
    {
        var hit = _searcher.Search("Lima Peru", 1).Single();

        Assert.Equal(new Passage("lima", "Lima", "Lima is the capital and largest city of Peru, on the Pacific coast.", hit.Score), hit);
        Assert.True(hit.Score > 0);
    }

    [Fact]
    public void Title_match_is_boosted_over_a_text_match()
    {
        // "falcon" is the title of one passage and a word in the text of another of the same size.
        Assert.Equal("falcon", _searcher.Search("falcon", 2)[0].Id);

        using var unboosted = LuceneSearcher.Open(index.IndexDirectory, new LuceneSearchOptions { TitleBoost = 0.01f });
        Assert.Equal("birds", unboosted.Search("falcon", 2)[0].Id);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void K_is_honoured(int k)
    {
        // These words match seven passages.
        Assert.Equal(k, _searcher.Search("capital river language", k).Count);
    }

    [Fact]
    public void K_larger_than_the_matches_returns_every_match()
    {
        var hits = _searcher.Search("capital", 100);

        Assert.Equal(["cusco", "lima", "paris"], hits.Select(h => h.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void K_below_one_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _searcher.Search("Peru", 0));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \t\n")]
    [InlineData("the of and")]
    [InlineData("?!.,;:")]
    public void Query_without_searchable_words_returns_nothing(string query)
    {
        Assert.Empty(_searcher.Search(query, 3));
    }

    [Theory]
    [InlineData("\"AND OR ( ) : * ?")]
    [InlineData("AND")]
    [InlineData("Peru AND (capital")]
    [InlineData("title:Lima OR text:")]
    [InlineData("\"unterminated phrase")]
    [InlineData("[1 TO 5} {x TO y] ^2 ~0.5")]
    [InlineData("&& || ! - + \\ /regex/ *wild?")]
    [InlineData("NOT")]
    [InlineData("C# .NET")]
    public void Query_syntax_characters_are_plain_text(string query)
    {
        var hits = _searcher.Search(query, 3);

        Assert.All(hits, h => Assert.True(h.Score > 0));
        if (query.Contains("Peru"))
            Assert.Equal("lima", hits[0].Id);
    }

    [Fact]
    public void Operator_words_are_searched_as_words_not_syntax()
    {
        // Lower-cased by the analyzer, "or" and "not" are stop words, so this finds the passage about the colon.
        Assert.Equal("ops", _searcher.Search("colon AND wildcard", 1).Single().Id);
    }

    [Fact]
    public void Very_long_query_is_cut_instead_of_failing()
    {
        var words = string.Join(' ', Enumerable.Range(0, 5000).Select(i => "w" + i));

        Assert.Equal("lima", _searcher.Search("Peru " + words, 3)[0].Id);
        Assert.Empty(_searcher.Search(words + " Peru", 3)); // "Peru" is past the 64-term cut
    }

    [Fact]
    public void Concurrent_searches_match_sequential_results()
    {
        string[] queries = ["capital of Peru", "programming language", "river", "highest mountain", "bird of prey", "search library BM25"];
        var expected = queries.ToDictionary(q => q, q => _searcher.Search(q, 3).Select(h => h.Id).ToArray());
        var mismatches = new ConcurrentBag<string>();

        Parallel.For(0, 600, new ParallelOptions { MaxDegreeOfParallelism = 16 }, i =>
        {
            var query = queries[i % queries.Length];
            var ids = _searcher.Search(query, 3).Select(h => h.Id).ToArray();
            if (!ids.SequenceEqual(expected[query]))
                mismatches.Add(query);
        });

        Assert.Empty(mismatches);
    }

    [Fact]
    public void Opening_a_directory_without_an_index_fails_clearly()
    {
        using var dir = new TempDirectory();

        var ex = Assert.Throws<InvalidDataException>(() => LuceneSearcher.Open(dir.Path));
        Assert.Contains("does not hold a Lucene index", ex.Message);
        Assert.Throws<DirectoryNotFoundException>(() => LuceneSearcher.Open(dir.Combine("missing")));
    }

    [Fact]
    public void Index_of_a_newer_format_is_refused()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("index");
        new LuceneIndexBuilder().Build(SampleCorpus.Documents.Take(2), path);
        var manifestPath = Path.Combine(path, IndexManifest.FileName);
        File.WriteAllText(manifestPath, File.ReadAllText(manifestPath).Replace("\"format_version\": 1", "\"format_version\": 99"));

        var ex = Assert.Throws<InvalidDataException>(() => LuceneSearcher.Open(path));
        Assert.Contains("format 99", ex.Message);
    }

    [Fact]
    public void Searching_after_dispose_throws()
    {
        var searcher = LuceneSearcher.Open(index.IndexDirectory);
        searcher.Dispose();

        Assert.Throws<ObjectDisposedException>(() => searcher.Search("Peru", 1));
    }

    [Theory]
    [InlineData(0f, 64, 10)]
    [InlineData(2f, 0, 10)]
    [InlineData(2f, 64, 0)]
    public void Invalid_options_are_rejected(float boost, int maxTerms, int maxK)
    {
        Assert.Throws<ArgumentException>(() =>
            LuceneSearcher.Open(index.IndexDirectory, new LuceneSearchOptions { TitleBoost = boost, MaxQueryTerms = maxTerms, MaxK = maxK }));
    }
}
