using AgentKit.Atlas.Corpus;
using AgentKit.Atlas.Data;
using AgentKit.Atlas.Questions;
using AgentKit.Atlas.Tests.Support;

namespace AgentKit.Atlas.Tests.Data;

[Collection(AtlasCollection.Name)]
public sealed class SyntheticAtlasTests(AtlasFixture atlas)
{
    [Fact]
    public void Invents_unique_places_that_shadow_no_real_name()
    {
        var invented = SyntheticAtlas.Generate(atlas.Data, 120, seed: 3);

        Assert.Equal(120, invented.Countries.Count);
        var real = atlas.Data.Countries
            .SelectMany(c => (IEnumerable<string?>)[c.Name, c.Capital, .. c.Cities])
            .Where(n => n is not null).Select(n => n!.ToLowerInvariant()).ToHashSet();
        var names = invented.Countries.SelectMany(c => (IEnumerable<string>)[c.Name, c.Capital!, .. c.Cities]).ToList();
        Assert.Equal(names.Count, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.DoesNotContain(names, n => real.Contains(n.ToLowerInvariant()));
        Assert.All(invented.Countries, c =>
        {
            Assert.True(c.Population > 0 && c.AreaKm2 > 0 && c.IndependenceYear is not null);
            Assert.NotNull(c.Continent);
            Assert.Contains(c.CurrencyName!.Split(' ')[0], c.Name, StringComparison.Ordinal); // the currency is named after the country
        });
    }

    [Fact]
    public void Is_deterministic_for_a_seed_and_feeds_the_corpus_builder_and_question_generator()
    {
        var a = SyntheticAtlas.Generate(atlas.Data, 60, seed: 5);
        var b = SyntheticAtlas.Generate(atlas.Data, 60, seed: 5);
        var c = SyntheticAtlas.Generate(atlas.Data, 60, seed: 6);
        Assert.Equal(a.Countries.Select(x => x.Name), b.Countries.Select(x => x.Name));
        Assert.NotEqual(a.Countries.Select(x => x.Name), c.Countries.Select(x => x.Name));

        var passages = new AtlasCorpusBuilder().Build(a);
        Assert.Contains(passages, p => p.Title == a.Countries[0].Name && p.Text.Contains($"The capital of {a.Countries[0].Name} is {a.Countries[0].Capital}."));
        var questions = new AtlasQuestionGenerator(new QuestionGeneratorOptions { TrainPerFamily = 10, TestPerFamily = 0, BadTrain = 0, BadTest = 0 }).Generate(a);
        Assert.Equal([QuestionFamilies.Arithmetic, QuestionFamilies.Bridge, QuestionFamilies.Comparison, QuestionFamilies.Lookup, QuestionFamilies.Set],
            questions.Select(q => q.Family).Distinct().Order(StringComparer.Ordinal));
    }
}
