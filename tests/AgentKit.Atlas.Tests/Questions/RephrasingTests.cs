using System.Text.RegularExpressions;
using AgentKit.Atlas.Corpus;
using AgentKit.Atlas.Questions;
using AgentKit.Atlas.Tests.Support;

namespace AgentKit.Atlas.Tests;

/// <summary>The rephrased (RL) question set: its own wordings only, training countries only, and the normal set left as it was.</summary>
[Collection(AtlasCollection.Name)]
public sealed class RephrasingTests(AtlasFixture atlas)
{
    private IReadOnlyList<AtlasQuestion>? _rephrased;

    private IReadOnlyList<AtlasQuestion> Rephrased => _rephrased ??= atlas.Generator.GenerateRephrasings(atlas.Data);

    private HashSet<string> RephrasingIds(string family) =>
        atlas.Generator.Templates[family].Where(t => t.Use == TemplateUse.Rephrasing).Select(t => t.Id).ToHashSet();

    [Fact]
    public void Every_family_has_rephrasings_and_they_never_appear_in_the_train_or_test_split()
    {
        foreach (var (family, templates) in atlas.Generator.Templates)
        {
            var rephrasings = RephrasingIds(family);
            Assert.True(rephrasings.Count >= 4, $"{family} has only {rephrasings.Count} rephrasings");
            Assert.All(templates, t => Assert.Equal(t.Use == TemplateUse.Rephrasing, Regex.IsMatch(t.Id, @"\.r\d+$")));
            Assert.DoesNotContain(atlas.Questions, q => rephrasings.Contains(q.Template));
        }
        Assert.DoesNotContain(atlas.Questions, q => Regex.IsMatch(q.Template, @"\.r\d+$"));
    }

    [Fact]
    public void Rephrased_questions_use_only_rephrasing_templates_and_training_countries()
    {
        foreach (var family in QuestionFamilies.Answerable)
        {
            var questions = Rephrased.Where(q => q.Family == family).ToList();
            Assert.Equal(100, questions.Count);
            var rephrasings = RephrasingIds(family);
            Assert.All(questions, q => Assert.Contains(q.Template, rephrasings));
            Assert.Equal(rephrasings.Order(), questions.Select(q => q.Template).Distinct().Order()); // every rephrasing gets used
        }
        Assert.Equal(QuestionFamilies.Answerable.Count * 100, Rephrased.Count);
        Assert.All(Rephrased, q =>
        {
            Assert.Equal(QuestionSplits.Train, q.Split);
            Assert.Matches($"^{q.Family}-rephrased-\\d{{4}}$", q.Id);
            Assert.NotEmpty(q.Entities);
            Assert.All(q.Entities, e => Assert.Equal(QuestionSplits.Train, atlas.Generator.SplitOf(e)));
        });
        Assert.Equal(Rephrased.Count, Rephrased.Select(q => q.Id).Distinct().Count());
    }

    [Fact]
    public void Rephrased_texts_are_distinct_and_none_repeats_a_normal_question()
    {
        static string Key(AtlasQuestion q) => q.Question.Trim().ToLowerInvariant();
        var normal = atlas.Questions.Select(Key).ToHashSet();
        Assert.Equal(Rephrased.Count, Rephrased.Select(Key).Distinct().Count());
        Assert.DoesNotContain(Rephrased, q => normal.Contains(Key(q)));
    }

    [Fact]
    public void Rephrased_gold_answers_agree_with_the_facts()
    {
        foreach (var q in Rephrased.Where(q => q.Kind == "lookup"))
            Assert.Equal(q.Answer, Eligibility.Value(atlas.Country(q.Entities[0]), AtlasFact.ByKey(q.Param("fact"))));
        foreach (var q in Rephrased.Where(q => q.Kind == "population-sum"))
            Assert.Equal(q.Entities.Sum(e => atlas.Country(e).Population!.Value).ToString(System.Globalization.CultureInfo.InvariantCulture), q.Answer);
        Assert.All(Rephrased.Where(q => q.Kind == "independence-gap" || q.Family == QuestionFamilies.Set), q => Assert.Equal(0, q.Tolerance));
    }

    [Fact]
    public void The_rephrased_set_is_deterministic_and_does_not_depend_on_the_normal_set_sizes()
    {
        var smaller = new AtlasQuestionGenerator(new QuestionGeneratorOptions { TrainPerFamily = 20, TestPerFamily = 5, BadTrain = 3 }).GenerateRephrasings(atlas.Data);
        Assert.Equal(Rephrased.Select(q => (q.Id, q.Question)), smaller.Select(q => (q.Id, q.Question)));
        Assert.Empty(new AtlasQuestionGenerator(new QuestionGeneratorOptions { RephrasedPerFamily = 0 }).GenerateRephrasings(atlas.Data));
        Assert.Throws<ArgumentException>(() => new AtlasQuestionGenerator(new QuestionGeneratorOptions { RephrasedPerFamily = -1 }));
    }

    [Fact]
    public void A_rephrased_draw_picks_only_rephrasing_templates_and_train_and_test_draws_never_do()
    {
        var countries = new[] { atlas.Country("Peru"), atlas.Country("Chile"), atlas.Country("France") };
        IQuestionFamily[] families = [new LookupFamily(), new BridgeFamily(), new ComparisonFamily(), new ArithmeticFamily(), new SetFamily()];
        foreach (var mode in Enum.GetValues<DraftMode>())
        {
            var context = new DraftContext(atlas.Data, countries, mode, MaxCitiesPerCountry: 25, new Random(5));
            foreach (var family in families)
            {
                var uses = Enumerable.Range(0, 60).Select(_ => family.TryDraw(context)).OfType<QuestionDraft>()
                    .Select(d => family.Templates.Single(t => t.Id == d.Template).Use).ToHashSet();
                Assert.NotEmpty(uses);
                Assert.True(mode == DraftMode.Rephrased ? uses.SetEquals([TemplateUse.Rephrasing]) : !uses.Contains(TemplateUse.Rephrasing), $"{family.Name} {mode}: {string.Join(",", uses)}");
            }
        }
    }
}
