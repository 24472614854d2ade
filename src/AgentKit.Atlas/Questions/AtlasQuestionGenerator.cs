using System.Globalization;
using AgentKit.Atlas.Data;

namespace AgentKit.Atlas.Questions;

/// <summary>
/// Generates the atlas questions with gold answers computed from the data. Countries are split by a seeded
/// hash into train and test; a question's countries all come from its split. Train questions use only
/// training phrasings; test questions use training and held-out phrasings. A third set, the rephrased questions
/// (<see cref="GenerateRephrasings"/>), uses only rephrasing templates, for RL. Question texts are unique
/// (case-insensitive). Deterministic for a given seed and data.
/// </summary>
public sealed class AtlasQuestionGenerator
{
    private const string RephrasedIdPart = "rephrased";
    private readonly QuestionGeneratorOptions _options;
    private readonly IReadOnlyList<IQuestionFamily> _families = [new LookupFamily(), new BridgeFamily(), new ComparisonFamily(), new ArithmeticFamily(), new SetFamily()];

    /// <summary>Creates a generator; <paramref name="options"/> are validated here.</summary>
    public AtlasQuestionGenerator(QuestionGeneratorOptions? options = null) => _options = (options ?? new QuestionGeneratorOptions()).Validate();

    /// <summary>Every phrasing template by family (for reports and tests).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<PhrasingTemplate>> Templates => _families.ToDictionary(f => f.Name, f => f.Templates);

    /// <summary>The split of a question country (<see cref="QuestionSplits.Train"/> or <see cref="QuestionSplits.Test"/>).</summary>
    public string SplitOf(string country) =>
        StableHash.Of(country, _options.Seed) % 100 < (uint)_options.TestCountryPercent ? QuestionSplits.Test : QuestionSplits.Train;

    /// <summary>Generates train questions, then test questions, then bad ones; a family that runs out of distinct questions yields fewer.</summary>
    public IReadOnlyList<AtlasQuestion> Generate(AtlasData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var random = new Random(_options.Seed);
        var taken = new HashSet<string>(StringComparer.Ordinal);
        var questions = new List<AtlasQuestion>();
        foreach (var split in (string[])[QuestionSplits.Train, QuestionSplits.Test])
        {
            var test = split == QuestionSplits.Test;
            var context = new DraftContext(data, CountriesOf(data, split), test ? DraftMode.Test : DraftMode.Train, _options.MaxCitiesPerCountry, random);
            questions.AddRange(Draw(context, test ? _options.TestPerFamily : _options.TrainPerFamily, split, split, taken));
        }

        var bad = new BadQuestionFactory(data);
        questions.AddRange(bad.Draw(_options.BadTrain, test: false, random, taken).Select((d, i) => Finish(d, QuestionSplits.Train, QuestionSplits.Train, i)));
        questions.AddRange(bad.Draw(_options.BadTest, test: true, random, taken).Select((d, i) => Finish(d, QuestionSplits.Test, QuestionSplits.Test, i)));
        return questions;
    }

    /// <summary>
    /// The rephrased set for RL: <see cref="QuestionGeneratorOptions.RephrasedPerFamily"/> questions per answerable family
    /// about training countries only, worded only with <see cref="TemplateUse.Rephrasing"/> templates (never a training
    /// or held-out wording), split <see cref="QuestionSplits.Train"/>, ids like <c>comparison-rephrased-0000</c>. Texts are
    /// distinct and differ (case-insensitive) from every question of <see cref="Generate"/>. No bad questions.
    /// Deterministic for a given seed and data.
    /// </summary>
    public IReadOnlyList<AtlasQuestion> GenerateRephrasings(AtlasData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var taken = Generate(data).Select(q => Key(q.Question)).ToHashSet(StringComparer.Ordinal);
        // A random stream of its own: the rephrased set does not change when the normal set's sizes do.
        var random = new Random((int)(StableHash.Of(RephrasedIdPart, _options.Seed) & int.MaxValue));
        var context = new DraftContext(data, CountriesOf(data, QuestionSplits.Train), DraftMode.Rephrased, _options.MaxCitiesPerCountry, random);
        return Draw(context, _options.RephrasedPerFamily, QuestionSplits.Train, RephrasedIdPart, taken);
    }

    private List<CountryFacts> CountriesOf(AtlasData data, string split) =>
        data.Countries.Where(c => Eligibility.IsQuestionCountry(c) && SplitOf(c.Name) == split).ToList();

    /// <summary>Up to <paramref name="perFamily"/> questions of each family, texts not in <paramref name="taken"/> (which is updated).</summary>
    private List<AtlasQuestion> Draw(DraftContext context, int perFamily, string split, string idPart, HashSet<string> taken)
    {
        var questions = new List<AtlasQuestion>();
        foreach (var family in _families)
        {
            var drafts = new List<QuestionDraft>();
            for (var attempt = 0; drafts.Count < perFamily && attempt < perFamily * 50 + 100; attempt++)
            {
                if (family.TryDraw(context) is { } draft && taken.Add(Key(draft.Question)))
                    drafts.Add(draft);
            }
            questions.AddRange(drafts.Select((d, i) => Finish(d, split, idPart, i)));
        }
        return questions;
    }

    private static string Key(string question) => question.Trim().ToLowerInvariant();

    private static AtlasQuestion Finish(QuestionDraft d, string split, string idPart, int index) => new()
    {
        Id = string.Create(CultureInfo.InvariantCulture, $"{d.Family}-{idPart}-{index:D4}"),
        Question = d.Question,
        Answer = d.Answer,
        Family = d.Family,
        Split = split,
        Entities = d.Entities,
        Kind = d.Kind,
        Template = d.Template,
        Tolerance = d.Tolerance,
        Params = d.Params,
    };
}
