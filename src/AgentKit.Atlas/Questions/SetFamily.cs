using AgentKit.Atlas.Corpus;
using AgentKit.Atlas.Data;

namespace AgentKit.Atlas.Questions;

/// <summary>
/// Counting over 3 to 5 countries: how many are on a continent, have more than N million inhabitants, or became
/// independent before a year. Countries whose value equals the threshold are not used (no borderline cases).
/// </summary>
internal sealed class SetFamily : IQuestionFamily
{
    private static readonly string[] s_continents = ["Africa", "Asia", "Europe", "North America", "Oceania", "South America"];
    private static readonly int[] s_millions = [1, 2, 5, 10, 20, 50, 100];
    private static readonly int[] s_years = [1800, 1900, 1950, 1960, 1970, 1990];

    private static readonly Dictionary<string, PhrasingTemplate[]> s_templates = new()
    {
        ["count-continent"] =
        [
            new("set.continent.0", "How many of these countries are in {value}: {list}?"),
            new("set.continent.1", "Of {list}, how many are located in {value}?"),
            new("set.continent.2", "Count the countries in {value} among {list}."),
            new("set.continent.3", "Among {list}, how many lie on the continent of {value}?"),
            new("set.continent.4", "Here are some countries: {list}. How many of them are in {value}?"),
            new("set.continent.5", "Considering {list}, how many belong to {value}?", TemplateUse.HeldOut),
            new("set.continent.r0", "Out of {list}, count those in {value}.", TemplateUse.Rephrasing),
            new("set.continent.r1", "From the list {list}, how many countries are in {value}?", TemplateUse.Rephrasing),
        ],
        ["count-population"] =
        [
            new("set.population.0", "How many of these countries have more than {value} million inhabitants: {list}?"),
            new("set.population.1", "Of {list}, how many have a population above {value} million?"),
            new("set.population.2", "Count how many of {list} have more than {value} million people."),
            new("set.population.3", "Among {list}, how many countries have a population greater than {value} million?"),
            new("set.population.4", "Here are some countries: {list}. How many of them have over {value} million inhabitants?"),
            new("set.population.5", "Considering {list}, how many are home to more than {value} million people?", TemplateUse.HeldOut),
            new("set.population.r0", "Out of {list}, count those with more than {value} million inhabitants.", TemplateUse.Rephrasing),
            new("set.population.r1", "From the list {list}, how many have a population over {value} million?", TemplateUse.Rephrasing),
        ],
        ["count-independence"] =
        [
            new("set.independence.0", "How many of these countries became independent before {value}: {list}?"),
            new("set.independence.1", "Of {list}, how many gained independence before {value}?"),
            new("set.independence.2", "Count how many of {list} have an independence year earlier than {value}."),
            new("set.independence.3", "Among {list}, how many were independent before the year {value}?"),
            new("set.independence.4", "Here are some countries: {list}. How many of them became independent before {value}?"),
            new("set.independence.5", "Considering {list}, how many had their independence before {value}?", TemplateUse.HeldOut),
            new("set.independence.r0", "Out of {list}, count those independent before {value}.", TemplateUse.Rephrasing),
            new("set.independence.r1", "From the list {list}, how many became independent before {value}?", TemplateUse.Rephrasing),
        ],
    };

    public string Name => QuestionFamilies.Set;

    public IReadOnlyList<PhrasingTemplate> Templates { get; } = [.. s_templates.Values.SelectMany(t => t)];

    public QuestionDraft? TryDraw(DraftContext context)
    {
        var kind = context.Pick(s_templates.Keys.ToList());
        var size = 3 + context.Random.Next(3);
        Func<CountryFacts, bool> eligible;
        Func<DraftContext, IReadOnlyList<CountryFacts>, (string Value, Func<CountryFacts, bool?> Counts)> rule;
        switch (kind)
        {
            case "count-continent":
                (eligible, rule) = (c => Eligibility.Has(c, AtlasFact.Continent), ContinentRule);
                break;
            case "count-population":
                (eligible, rule) = (c => Eligibility.Has(c, AtlasFact.Population), PopulationRule);
                break;
            default:
                (eligible, rule) = (c => Eligibility.Has(c, AtlasFact.Independence), IndependenceRule);
                break;
        }
        var countries = context.PickCountries(size, c => eligible(c) && Eligibility.IsListable(c));
        if (countries is null)
            return null;
        var (value, counts) = rule(context, countries);
        if (countries.Any(c => counts(c) is null))
            return null; // a country sits exactly on the threshold
        var names = countries.Select(c => c.Name).ToList();
        var template = context.PickTemplate(s_templates[kind]);
        var text = template.Fill(new Dictionary<string, string> { ["value"] = value, ["list"] = FactFormatting.List(names) });
        var answer = FactFormatting.Integer(countries.Count(c => counts(c) == true));
        return new QuestionDraft(text, answer, Name, kind, template.Id, names, 0,
            new Dictionary<string, string> { ["value"] = value, ["countries"] = string.Join("|", names) });
    }

    /// <summary>Mostly the continent of one of the countries (so counts are rarely all zero), sometimes any continent.</summary>
    private static (string, Func<CountryFacts, bool?>) ContinentRule(DraftContext context, IReadOnlyList<CountryFacts> countries)
    {
        var continent = context.Random.Next(4) == 0 ? context.Pick(s_continents) : context.Pick(countries).Continent!;
        return (continent, c => c.Continent == continent);
    }

    /// <summary>More than N million; null (unusable) for a population of exactly N million.</summary>
    private static (string, Func<CountryFacts, bool?>) PopulationRule(DraftContext context, IReadOnlyList<CountryFacts> countries)
    {
        var threshold = context.Pick(s_millions) * 1_000_000L;
        return (FactFormatting.Integer(threshold / 1_000_000), c => c.Population == threshold ? null : c.Population > threshold);
    }

    /// <summary>Independent before year Y; null (unusable) for independence in Y itself.</summary>
    private static (string, Func<CountryFacts, bool?>) IndependenceRule(DraftContext context, IReadOnlyList<CountryFacts> countries)
    {
        var year = context.Pick(s_years);
        return (FactFormatting.Integer(year), c => c.IndependenceYear == year ? null : c.IndependenceYear < year);
    }
}
