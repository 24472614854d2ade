using AgentKit.Atlas.Questions;
using AgentKit.Atlas.Tests.Support;

namespace AgentKit.Atlas.Tests;

[Collection(AtlasCollection.Name)]
public sealed class QuestionTests(AtlasFixture atlas)
{
    private IEnumerable<AtlasQuestion> Answerable => atlas.Questions.Where(q => q.Family != QuestionFamilies.Bad);

    [Fact]
    public void Every_family_gets_its_questions_in_both_splits()
    {
        foreach (var family in QuestionFamilies.Answerable)
        {
            Assert.Equal(400, atlas.Questions.Count(q => q.Family == family && q.Split == QuestionSplits.Train));
            Assert.Equal(40, atlas.Questions.Count(q => q.Family == family && q.Split == QuestionSplits.Test));
        }
        Assert.Equal(40, atlas.Questions.Count(q => q.Family == QuestionFamilies.Bad && q.Split == QuestionSplits.Train));
        Assert.Equal(12, atlas.Questions.Count(q => q.Family == QuestionFamilies.Bad && q.Split == QuestionSplits.Test));
    }

    [Fact]
    public void Splits_are_disjoint_by_entity()
    {
        var trainEntities = atlas.Questions.Where(q => q.Split == QuestionSplits.Train).SelectMany(q => q.Entities).ToHashSet();
        var testEntities = atlas.Questions.Where(q => q.Split == QuestionSplits.Test).SelectMany(q => q.Entities).ToHashSet();
        Assert.NotEmpty(testEntities);
        Assert.Empty(trainEntities.Intersect(testEntities));
        Assert.All(atlas.Questions, q => Assert.All(q.Entities, e => Assert.Equal(q.Split, atlas.Generator.SplitOf(e))));
    }

    [Fact]
    public void Held_out_phrasings_appear_only_in_test_and_every_family_has_one()
    {
        foreach (var (family, templates) in atlas.Generator.Templates)
        {
            Assert.True(templates.Count >= 8, $"{family} has only {templates.Count} phrasings");
            var heldOut = templates.Where(t => t.HeldOut).Select(t => t.Id).ToHashSet();
            Assert.NotEmpty(heldOut);
            var trainTemplates = atlas.Questions.Where(q => q.Family == family && q.Split == QuestionSplits.Train).Select(q => q.Template).ToHashSet();
            Assert.Empty(trainTemplates.Intersect(heldOut));
            Assert.Contains(atlas.Questions, q => q.Family == family && q.Split == QuestionSplits.Test && heldOut.Contains(q.Template));
        }
        Assert.Equal(atlas.Questions.Count, atlas.Questions.Select(q => q.Question.Trim().ToLowerInvariant()).Distinct().Count());
        Assert.Equal(atlas.Questions.Count, atlas.Questions.Select(q => q.Id).Distinct().Count());
    }

    [Fact]
    public void Gold_answers_match_hand_checked_values()
    {
        // Source: Peru 31989256 people, 1285216 km², independent 1821; Chile 18729160, 756626 km², 1810.
        var peru = atlas.Country("Peru");
        var chile = atlas.Country("Chile");
        Assert.Equal((31989256L, 1285216.0, 1821), (peru.Population!.Value, peru.AreaKm2!.Value, peru.IndependenceYear!.Value));
        Assert.Equal((18729160L, 756626.0, 1810), (chile.Population!.Value, chile.AreaKm2!.Value, chile.IndependenceYear!.Value));

        // Draw questions about just these two countries and check each kind against values worked out by hand.
        var context = new DraftContext(atlas.Data, [peru, chile], DraftMode.Test, MaxCitiesPerCountry: 25, new Random(3));
        var expected = new Dictionary<string, Func<QuestionDraft, string>>
        {
            ["density"] = d => d.Entities[0] == "Peru" ? "24.89" : "24.75",
            ["population-sum"] = _ => "50718416",
            ["population-difference"] = _ => "13260096",
            ["area-ratio"] = _ => "1.7",
            ["independence-gap"] = _ => "11",
            ["compare-area-max"] = _ => "Peru",
            ["compare-area-min"] = _ => "Chile",
            ["compare-population-max"] = _ => "Peru",
            ["compare-population-min"] = _ => "Chile",
            ["compare-independence-min"] = _ => "Chile",
            ["compare-independence-max"] = _ => "Peru",
        };
        var seen = new HashSet<string>();
        IQuestionFamily[] families = [new ArithmeticFamily(), new ComparisonFamily()];
        for (var i = 0; i < 400 && seen.Count < expected.Count; i++)
        {
            foreach (var family in families)
            {
                if (family.TryDraw(context) is { } draft && expected.TryGetValue(draft.Kind, out var answer))
                {
                    Assert.Equal(answer(draft), draft.Answer);
                    seen.Add(draft.Kind);
                }
            }
        }
        Assert.Equal(expected.Keys.Order(), seen.Order());
    }

    [Fact]
    public void Generated_gold_answers_agree_with_the_facts()
    {
        foreach (var q in Answerable)
        {
            var countries = q.Entities.Select(atlas.Country).ToList();
            switch (q.Kind)
            {
                case "lookup":
                    Assert.Equal(q.Answer, Eligibility.Value(countries[0], Corpus.AtlasFact.ByKey(q.Param("fact"))));
                    break;
                case var k when k.StartsWith("compare-", StringComparison.Ordinal):
                    var fact = Corpus.AtlasFact.ByKey(q.Param("fact"));
                    var (a, b) = (Eligibility.Number(countries[0], fact), Eligibility.Number(countries[1], fact));
                    Assert.NotEqual(a, b); // no ties
                    var first = q.Param("direction") == "max" ? a > b : a < b;
                    Assert.Equal(first ? countries[0].Name : countries[1].Name, q.Answer);
                    break;
                case "population-sum":
                    Assert.Equal(countries.Sum(c => c.Population!.Value).ToString(System.Globalization.CultureInfo.InvariantCulture), q.Answer);
                    break;
                case "count-continent":
                    Assert.Equal(countries.Count(c => c.Continent == q.Param("value")).ToString(System.Globalization.CultureInfo.InvariantCulture), q.Answer);
                    break;
            }
        }
    }

    [Fact]
    public void Bridge_questions_name_exactly_one_place()
    {
        foreach (var q in Answerable.Where(q => q.Family == QuestionFamilies.Bridge))
        {
            if (q.Params.TryGetValue("capital", out var capital))
            {
                Assert.Equal([q.Entities[0]], atlas.Data.CapitalOwners(capital));
                Assert.False(atlas.Data.IsCountryName(capital));
            }
            else
            {
                var city = q.Param("city");
                Assert.Equal([q.Entities[0]], atlas.Data.CityOwners(city));
                Assert.Single(atlas.Passages, p => string.Equals(p.Title, city, StringComparison.OrdinalIgnoreCase));
            }
        }
    }

    [Fact]
    public void Bad_questions_expect_not_found_and_cover_each_kind()
    {
        var bad = atlas.Questions.Where(q => q.Family == QuestionFamilies.Bad).ToList();
        Assert.All(bad, q => Assert.Equal("not found", q.Answer));
        Assert.Contains(bad, q => q.Question == "" && q.Split == QuestionSplits.Test);
        foreach (var kind in (string[])["bad-fake-country", "bad-gibberish", "bad-foreign"])
        {
            Assert.Contains(bad, q => q.Kind == kind && q.Split == QuestionSplits.Train);
            Assert.Contains(bad, q => q.Kind == kind && q.Split == QuestionSplits.Test);
        }
        Assert.All(bad.Where(q => q.Kind == "bad-fake-country"), q => Assert.Null(atlas.Data.Find(q.Param("country"))));
    }

    [Fact]
    public void Generation_is_deterministic_and_the_seed_matters()
    {
        var again = new AtlasQuestionGenerator().Generate(atlas.Data);
        Assert.Equal(atlas.Questions.Select(q => q.Question), again.Select(q => q.Question));
        var other = new AtlasQuestionGenerator(new QuestionGeneratorOptions { Seed = 8, TrainPerFamily = 20, TestPerFamily = 5 }).Generate(atlas.Data);
        Assert.NotEqual(atlas.Questions.Take(20).Select(q => q.Question), other.Take(20).Select(q => q.Question));
    }

    [Fact]
    public void Question_files_round_trip_and_bad_lines_are_named()
    {
        var path = Path.Combine(Path.GetTempPath(), $"atlas-questions-{Guid.NewGuid():N}.jsonl");
        try
        {
            QuestionFile.Write(atlas.Questions.Take(30), path);
            var read = QuestionFile.Read(path);
            Assert.Equal(atlas.Questions.Take(30).Select(q => (q.Id, q.Question, q.Answer, q.Tolerance)), read.Select(q => (q.Id, q.Question, q.Answer, q.Tolerance)));
            Assert.Equal(atlas.Questions[0].Params, read[0].Params);
            var line = File.ReadLines(path).First();
            Assert.StartsWith("{\"id\":", line);
            Assert.Contains("\"entities\":[", line);

            File.AppendAllText(path, "{not json\n");
            var error = Assert.Throws<InvalidDataException>(() => QuestionFile.Read(path));
            Assert.Contains(":31:", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Options_are_validated()
    {
        Assert.Throws<ArgumentException>(() => new AtlasQuestionGenerator(new QuestionGeneratorOptions { TestCountryPercent = 90 }));
        Assert.Throws<ArgumentException>(() => new AtlasQuestionGenerator(new QuestionGeneratorOptions { TrainPerFamily = -1 }));
    }
}
