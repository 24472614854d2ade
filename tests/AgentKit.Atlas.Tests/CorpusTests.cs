using System.Globalization;
using System.Text.RegularExpressions;
using AgentKit.Atlas.Corpus;
using AgentKit.Atlas.Data;
using AgentKit.Atlas.Tests.Support;

namespace AgentKit.Atlas.Tests;

[Collection(AtlasCollection.Name)]
public sealed class CorpusTests(AtlasFixture atlas)
{
    [Theory]
    [InlineData("Peru")]
    [InlineData("France")]
    [InlineData("Japan")]
    [InlineData("Kenya")]
    public void Country_passage_states_the_source_facts(string name)
    {
        var text = atlas.Passage(name).Text;
        var population = atlas.RawValue("country-by-population.json", name, "population").GetInt64();
        var capital = atlas.RawValue("country-by-capital-city.json", name, "city").GetString()!;
        var continent = atlas.RawValue("country-by-continent.json", name, "continent").GetString()!;
        var currency = atlas.RawValue("country-by-currency-name.json", name, "currency_name").GetString()!;
        var area = atlas.RawValue("country-by-surface-area.json", name, "area").GetDouble();

        Assert.Contains($"The population of {name} is {population.ToString(CultureInfo.InvariantCulture)}.", text);
        Assert.Contains($"The capital of {name} is {capital}.", text);
        Assert.Contains($"The continent of {name} is {continent}.", text);
        Assert.Contains($"The currency of {name} is {currency}.", text);
        Assert.Contains($"The surface area of {name} is {area.ToString("0.##", CultureInfo.InvariantCulture)} square kilometres.", text);
    }

    [Fact]
    public void Peru_facts_are_read_back_by_the_fact_patterns()
    {
        var text = atlas.Passage("Peru").Text;
        string Read(AtlasFact fact) => Regex.Match(text, fact.Pattern).Groups[1].Value;

        Assert.Equal("Lima", Read(AtlasFact.Capital));
        Assert.Equal("South America", Read(AtlasFact.Continent));
        Assert.Equal("31989256", Read(AtlasFact.Population));
        Assert.Equal("1285216", Read(AtlasFact.Area));
        Assert.Equal("1821", Read(AtlasFact.Independence));
        Assert.Equal("Republic", Read(AtlasFact.Government));
    }

    [Fact]
    public void Capitals_and_cities_have_their_own_passages()
    {
        Assert.Equal("Lima is the capital of Peru.", atlas.Passage("Lima").Text);
        // Kingston is the capital of two places: one passage names both, so the title stays unique.
        Assert.Equal("Kingston is the capital of Jamaica. Kingston is the capital of Norfolk Island.", atlas.Passage("Kingston").Text);
        var city = atlas.Passages.First(p => p.Id.StartsWith("city/peru/", StringComparison.Ordinal));
        Assert.Equal($"{city.Title} is a city in Peru.", city.Text);
        Assert.Contains(city.Title, atlas.Country("Peru").Cities);
    }

    [Fact]
    public void Titles_and_ids_are_unique_and_passages_fit_the_search_tool()
    {
        Assert.Equal(atlas.Passages.Count, atlas.Passages.Select(p => p.Id).Distinct().Count());
        Assert.Equal(atlas.Passages.Count, atlas.Passages.Select(p => p.Title.ToLowerInvariant()).Distinct().Count());
        Assert.All(atlas.Passages, p => Assert.True(p.Text.Length <= 1800, $"{p.Id} has {p.Text.Length} characters"));
        Assert.Equal(atlas.Data.Countries.Count, atlas.Passages.Count(p => p.Id.StartsWith("country/", StringComparison.Ordinal)));
    }

    [Fact]
    public void Cleaning_drops_garbled_and_ambiguous_values()
    {
        // The source spells Peru's languages "Aimar√°" and "Ket¬öua" (mojibake): only Spanish survives.
        Assert.Equal(["Spanish"], atlas.Country("Peru").Languages);
        Assert.Equal("Bruxelles", atlas.Country("Belgium").Capital);
        // Alias: the capital file says "Vetican City".
        Assert.NotNull(atlas.Country("Holy See (Vatican City State)").Capital);
        Assert.All(atlas.Data.Countries.SelectMany(c => c.Cities), c => Assert.DoesNotMatch(@"[().,/`\[\]]", c));
    }

    [Fact]
    public void Build_is_deterministic_and_writes_jsonl_the_indexer_reads()
    {
        var again = new AtlasCorpusBuilder().Build(AtlasSourceLoader.Load(atlas.SourceFolder));
        Assert.Equal(atlas.Passages, again);

        var path = Path.Combine(Path.GetTempPath(), $"atlas-corpus-{Guid.NewGuid():N}.jsonl");
        try
        {
            AtlasCorpusBuilder.WriteJsonl(atlas.Passages, path);
            using var reader = Retrieval.Corpus.CorpusReader.OpenFile(path);
            var documents = reader.ReadDocuments().ToList();
            Assert.Equal(atlas.Passages.Count, documents.Count);
            Assert.Equal(atlas.Passage("Peru").Text, documents.Single(d => d.Title == "Peru").Text);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Missing_source_folder_or_file_gives_a_clear_error()
    {
        var missing = Assert.Throws<DirectoryNotFoundException>(() => AtlasSourceLoader.Load(Path.Combine(Path.GetTempPath(), "no-such-atlas-" + Guid.NewGuid().ToString("N"))));
        Assert.Contains("Atlas source folder not found", missing.Message);

        var empty = Directory.CreateTempSubdirectory("atlas-empty-");
        try
        {
            var file = Assert.Throws<FileNotFoundException>(() => AtlasSourceLoader.Load(empty.FullName));
            Assert.Contains("LICENSE", file.Message);
        }
        finally
        {
            empty.Delete(true);
        }
    }

    [Fact]
    public void Options_are_validated()
    {
        Assert.Throws<ArgumentException>(() => new AtlasCorpusBuilder(new AtlasCorpusOptions { MaxCitiesPerCountry = -1 }));
        Assert.Throws<ArgumentException>(() => new AtlasCorpusBuilder(new AtlasCorpusOptions { MaxCountryPassageChars = 10 }));
    }
}
