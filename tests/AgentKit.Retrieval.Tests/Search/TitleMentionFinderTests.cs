using AgentKit.Retrieval.Search;
using AgentKit.Retrieval.Tests.Support;

namespace AgentKit.Retrieval.Tests.Search;

public sealed class TitleMentionFinderTests
{
    private static readonly Passage[] Atlas =
    [
        P("country/niger", "Niger"),
        P("country/nigeria", "Nigeria"),
        P("country/guinea", "Guinea"),
        P("country/equatorial-guinea", "Equatorial Guinea"),
        P("country/guinea-bissau", "Guinea-Bissau"),
        P("country/sao-tome-and-principe", "Sao Tome and Principe"),
        P("capital/sao-tome", "Sao Tome"),
        // Inserted out of id order on purpose: passages sharing a title come out ordered by id.
        P("country/djibouti", "Djibouti"),
        P("capital/djibouti", "Djibouti"),
        P("city/new-york", "New York"),
        P("bay/york-bay", "York Bay"),
    ];

    private readonly TitleMentionFinder _finder = new(Atlas);

    private static Passage P(string id, string title) => new(id, title, $"About {title}.", 0);

    private string[] Ids(string text, string idPrefix = "") => [.. _finder.Find(text, idPrefix).Select(p => p.Id)];

    [Theory]
    [InlineData("Where is Nigeria?", new[] { "country/nigeria" })]
    [InlineData("Niger borders Nigeria.", new[] { "country/niger", "country/nigeria" })]
    [InlineData("Nigerian food", new string[0])]
    [InlineData("UNiger", new string[0])]
    [InlineData("Niger2 and 2Niger", new string[0])]
    [InlineData("niger, NIGER", new string[0])]
    [InlineData("(Niger)", new[] { "country/niger" })]
    [InlineData("Niger", new[] { "country/niger" })]
    public void Titles_match_only_as_whole_case_sensitive_words(string text, string[] expected)
    {
        Assert.Equal(expected, Ids(text));
    }

    [Theory]
    [InlineData("What is the capital of Equatorial Guinea?", new[] { "country/equatorial-guinea" })]
    [InlineData("Is Guinea-Bissau larger than Guinea?", new[] { "country/guinea-bissau", "country/guinea" })]
    [InlineData("Sao Tome and Principe", new[] { "country/sao-tome-and-principe" })]
    [InlineData("Sao Tome is a city", new[] { "capital/sao-tome" })]
    public void The_longest_title_wins_where_matches_overlap(string text, string[] expected)
    {
        Assert.Equal(expected, Ids(text));
    }

    [Fact]
    public void A_hyphen_is_a_word_boundary_when_no_longer_title_covers_it()
    {
        var finder = new TitleMentionFinder(Atlas.Where(p => p.Id != "country/guinea-bissau"));

        Assert.Equal(["country/guinea"], finder.Find("Guinea-Bissau").Select(p => p.Id));
    }

    [Fact]
    public void Equal_length_overlaps_go_to_the_earlier_match()
    {
        // "New York" and "York Bay" are both 8 characters and share "York".
        Assert.Equal(["city/new-york"], Ids("New York Bay"));
        Assert.Equal(["bay/york-bay"], Ids("Old York Bay"));
    }

    [Fact]
    public void Results_follow_the_order_of_first_mention_and_repeat_no_passage()
    {
        Assert.Equal(
            ["country/nigeria", "country/guinea", "country/niger"],
            Ids("Compare Nigeria, Guinea and Niger; then Nigeria and Guinea again."));
    }

    [Fact]
    public void Passages_sharing_a_title_come_out_together_ordered_by_id()
    {
        Assert.Equal(["country/niger", "capital/djibouti", "country/djibouti"], Ids("Niger or Djibouti?"));
    }

    [Fact]
    public void Prefix_filter_applies_before_overlaps_are_resolved()
    {
        const string text = "What is the capital of Sao Tome and Principe?";

        Assert.Equal(["country/sao-tome-and-principe"], Ids(text));
        Assert.Equal(["country/sao-tome-and-principe"], Ids(text, "country/"));
        // The country's longer title would hide "Sao Tome", but the prefix removed the country first.
        Assert.Equal(["capital/sao-tome"], Ids(text, "capital/"));
        Assert.Equal(["capital/djibouti"], Ids("Djibouti and Niger", "capital/"));
        Assert.Empty(Ids(text, "river/"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\t")]
    [InlineData("What is the capital of Peru?")]
    public void Empty_text_or_no_known_title_gives_an_empty_list(string text)
    {
        Assert.Empty(_finder.Find(text));
    }

    [Fact]
    public void Passages_are_returned_whole_and_titles_match_without_surrounding_space()
    {
        var finder = new TitleMentionFinder([new("x/1", "  Chad ", "Chad is landlocked.", 0), new("x/2", "", "untitled", 0), new("x/3", " ", "blank", 0)]);

        var hit = Assert.Single(finder.Find("Is Chad landlocked?"));

        Assert.Equal(new Passage("x/1", "  Chad ", "Chad is landlocked.", 0), hit);
        Assert.Equal(1, finder.TitleCount);
    }

    [Fact]
    public void An_empty_catalog_finds_nothing()
    {
        Assert.Empty(new TitleMentionFinder([]).Find("Niger"));
    }

    [Fact]
    public void Many_titles_are_matched_exactly()
    {
        // 20,000 generated titles, many sharing prefixes ("Land 12" is inside "Land 123"): only whole titles match.
        var passages = Enumerable.Range(0, 20_000).Select(i => P($"land/{i:D5}", $"Land {i}")).ToArray();
        var finder = new TitleMentionFinder(passages);

        Assert.Equal(["land/00123", "land/19999", "land/00012"], finder.Find("Land 123, Land 19999 and Land 12.").Select(p => p.Id));
    }

    [Fact]
    public void Null_arguments_are_rejected()
    {
        Assert.Throws<ArgumentNullException>(() => _finder.Find(null!));
        Assert.Throws<ArgumentNullException>(() => _finder.Find("Niger", null!));
        Assert.Throws<ArgumentNullException>(() => new TitleMentionFinder(null!));
    }
}

/// <summary>The finder over a real index: passages enumerated from <see cref="LuceneSearcher.AllPassages"/>.</summary>
public sealed class TitleMentionFinderIndexTests(IndexFixture index) : IClassFixture<IndexFixture>
{
    [Fact]
    public void Finds_the_mentioned_passages_of_a_Lucene_index()
    {
        var finder = new TitleMentionFinder(index.Searcher.AllPassages());

        var hits = finder.Find("Is the Seine longer than the Nile, and does Mount Everest beat Cusco?");

        Assert.Equal(["seine", "nile", "everest", "cusco"], hits.Select(p => p.Id));
        Assert.Equal(SampleCorpus.Documents.Single(d => d.Id == "nile").Text, hits[1].Text);
        Assert.Equal(SampleCorpus.Documents.Length, finder.TitleCount);
    }
}
